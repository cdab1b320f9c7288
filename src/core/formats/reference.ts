/**
 * Plain typed-array implementation of SPEC §3.1 (every format but `int`), the
 * oracle the jax-js engine (engine.ts) is tested against. Float steps are
 * float32 (Math.fround); casts are exact: a float32 value times a power of two
 * is exact in float64, and so is its round-half-even.
 */
import { blockSpan, type Blocks } from '../blocks.js';
import type { Format, QuantConfig } from '../config.js';
import { MIN_SCALE, div32, roundHalfEven } from '../reference.js';
import type { ErrorSums } from '../stats.js';
import {
  FORMAT_SPECS,
  MXINT8_MAX_CODE,
  MXINT8_STEP,
  NF4_LEVELS,
  NF4_MIDPOINTS,
  maxFinite,
  type FloatLayout,
} from './tables.js';

const f = Math.fround;
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The unbiased float32 exponent field of |v|: floor(log2 |v|) for normals, −127 for 0 and subnormals. */
export function exponent32(v: number): number {
  F32[0] = v;
  return ((U32[0] >>> 23) & 0xff) - 127;
}

/** Whether the float32 `v` has its sign bit set (so −0 counts as negative). */
function negative(v: number): boolean {
  return v < 0 || Object.is(v, -0);
}

/**
 * Round-to-nearest-even cast of a float32 value to a float layout, after
 * clamping to ±max (saturation): the bit pattern and its value, sign kept.
 */
export function castFloat(v: number, layout: FloatLayout): { code: number; value: number } {
  const a = Math.min(Math.abs(v), layout.max);
  // The quantum is 2^(e − mantissa), with e the exponent of a, or emin in the subnormal range.
  const e = Math.max(exponent32(a), layout.emin);
  const m = roundHalfEven(a * 2 ** (layout.mantissa - e));
  // e − emin counts the binades above the subnormals; a carry of m into 2^(M+1) moves up one.
  const magnitude = (e - layout.emin) * 2 ** layout.mantissa + m;
  const value = m * 2 ** (e - layout.mantissa);
  return negative(v)
    ? { code: magnitude + 2 ** (layout.bits - 1), value: -value }
    : { code: magnitude, value };
}

/** NF4 code of n ∈ [−1, 1]: how many midpoints n exceeds (on a midpoint: the lower code). */
export function nf4Code(n: number): number {
  let code = 0;
  for (const mid of NF4_MIDPOINTS) if (n > mid) code++;
  return code;
}

/** MX shared exponent of a block's absmax: floor(log2 amax) − emax from the float32 exponent, in [−127, 127]. */
export function sharedExponent(amax: number, emax: number): number {
  return Math.min(Math.max(exponent32(amax) - emax, -127), 127);
}

interface Element {
  code: number;
  value: number;
}

/** One value (already divided by its scale) → its element, per format. */
function elementOf(v: number, format: Exclude<Format, 'int'>): Element {
  const spec = FORMAT_SPECS[format];
  switch (spec.kind) {
    case 'nf4': {
      const code = nf4Code(Math.min(Math.max(v, -1), 1));
      return { code, value: NF4_LEVELS[code] };
    }
    case 'mx':
      if (spec.element === 'int8') {
        const q = Math.min(Math.max(roundHalfEven(f(v * 64)), -MXINT8_MAX_CODE), MXINT8_MAX_CODE);
        // int8 has one zero: q = 0 is +0 whatever the sign of v
        return { code: q & 0xff, value: q * MXINT8_STEP + 0 };
      }
      return castFloat(v, spec.element);
    case 'cast':
    case 'float':
      return castFloat(v, spec.element);
    case 'int':
      throw new Error('int is not a float format');
  }
}

/** A block's scale from its absmax; for MX also its E8M0 code. */
function blockScale(amax: number, format: Exclude<Format, 'int'>): { scale: number; code: number } {
  const spec = FORMAT_SPECS[format];
  switch (spec.kind) {
    case 'cast':
      return { scale: 1, code: 0 };
    case 'nf4':
      // MIN_SCALE (2^−126) keeps fl(1/scale) finite, as for int
      return { scale: amax === 0 ? 1 : Math.max(amax, MIN_SCALE), code: 0 };
    case 'float':
      return { scale: amax === 0 ? 1 : Math.max(div32(amax, spec.element.max), MIN_SCALE), code: 0 };
    case 'mx': {
      const e = sharedExponent(amax, spec.emax);
      return { scale: 2 ** e, code: e + 127 };
    }
    case 'int':
      throw new Error('int is not a float format');
  }
}

export interface FormatArrays {
  codes: Int32Array;
  dequantized: Float32Array;
  scale: Float32Array;
  scaleCodes: Uint8Array;
  sums: ErrorSums;
}

/** Reference quantization of float32 `x` in a non-int format, block by block. */
export function referenceFormat(x: Float32Array, config: QuantConfig, blocks: Blocks): FormatArrays {
  const format = config.format as Exclude<Format, 'int'>;
  const max = maxFinite(format);
  const { groups } = blocks;
  const codes = new Int32Array(x.length);
  const dequantized = new Float32Array(x.length);
  const scale = new Float32Array(groups);
  const scaleCodes = new Uint8Array(groups);
  const sums = { n: x.length, sumSqError: 0, sumAbsError: 0, maxAbsError: 0, sumSqSignal: 0, clipped: 0 };
  for (let g = 0; g < groups; g++) {
    const [start, end] = blockSpan(blocks, g);
    let amax = 0;
    for (let i = start; i < end; i++) amax = Math.max(amax, Math.abs(x[i]));
    const s = blockScale(amax, format);
    scale[g] = s.scale;
    scaleCodes[g] = s.code;
    for (let i = start; i < end; i++) {
      // fp16/bf16 cast x itself (x · fl(1/1) = x)
      const v = div32(x[i], scale[g]);
      if (Math.abs(v) > max) sums.clipped++;
      const el = elementOf(v, format);
      codes[i] = el.code;
      dequantized[i] = f(el.value * scale[g]);
      const e = x[i] - dequantized[i];
      sums.sumSqError += e * e;
      sums.sumAbsError += Math.abs(e);
      sums.maxAbsError = Math.max(sums.maxAbsError, Math.abs(e));
      sums.sumSqSignal += x[i] * x[i];
    }
  }
  return { codes, dequantized, scale, scaleCodes, sums };
}
