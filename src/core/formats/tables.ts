/**
 * The number formats of SPEC §3.1 as plain numbers: bit layouts, largest
 * finite values, the NF4 levels and their midpoints, and each format's
 * representable values. The reference oracle and the jax-js engine both read
 * these, so a constant lives in one place.
 */
import type { Format } from '../config.js';

const f = Math.fround;

/**
 * A sign–exponent–mantissa format without Inf/NaN in its finite range:
 * `mantissa` bits, smallest normal exponent `emin` (unbiased), largest finite
 * value `max`, `bits` in all (the sign is the top bit).
 */
export interface FloatLayout {
  bits: number;
  mantissa: number;
  emin: number;
  max: number;
}

export const FP16: FloatLayout = { bits: 16, mantissa: 10, emin: -14, max: 65504 };
/** bfloat16: float32's exponent range, 7 mantissa bits; max (2 − 2⁻⁷)·2¹²⁷. */
export const BF16: FloatLayout = { bits: 16, mantissa: 7, emin: -126, max: 255 * 2 ** 120 };
/** E4M3FN (OCP fp8): bias 7, no Inf; only S.1111.111 is NaN, so the max is 1.75·2⁸. */
export const E4M3: FloatLayout = { bits: 8, mantissa: 3, emin: -6, max: 448 };
export const E5M2: FloatLayout = { bits: 8, mantissa: 2, emin: -14, max: 57344 };
export const E2M1: FloatLayout = { bits: 4, mantissa: 1, emin: 0, max: 6 };

/** bitsandbytes' NF4 levels (QLoRA), as float32. */
export const NF4_LEVELS: readonly number[] = [
  -1, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
  -0.18477343022823334, -0.09105003625154495, 0, 0.07958029955625534, 0.16093020141124725,
  0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1,
].map(f);

/**
 * The 15 float32 midpoints between consecutive NF4 levels (fl(L[i] + L[i+1]) / 2,
 * the halving exact): a value exactly on one takes the lower code.
 */
export const NF4_MIDPOINTS: readonly number[] = NF4_LEVELS.slice(1).map((hi, i) =>
  f(f(NF4_LEVELS[i] + hi) * 0.5),
);

/** How a format scales its blocks and what its elements are. */
export type FormatSpec =
  | { kind: 'int' }
  | { kind: 'cast'; element: FloatLayout }
  | { kind: 'float'; element: FloatLayout }
  | { kind: 'nf4' }
  | { kind: 'mx'; element: FloatLayout | 'int8'; emax: number };

/** Every non-int format: `cast` has no scale (scale 1), `float`/`nf4` an absmax float32 scale per block, `mx` an E8M0 one. */
export const FORMAT_SPECS: { readonly [F in Format]: FormatSpec } = {
  int: { kind: 'int' },
  fp16: { kind: 'cast', element: FP16 },
  bf16: { kind: 'cast', element: BF16 },
  'fp8-e4m3': { kind: 'float', element: E4M3 },
  'fp8-e5m2': { kind: 'float', element: E5M2 },
  'fp4-e2m1': { kind: 'float', element: E2M1 },
  nf4: { kind: 'nf4' },
  mxfp4: { kind: 'mx', element: E2M1, emax: 2 },
  mxfp8: { kind: 'mx', element: E4M3, emax: 8 },
  mxint8: { kind: 'mx', element: 'int8', emax: 0 },
};

/** MXINT8 elements are q/64 for q in [−127, 127] (OCP MX v1.0: 1 sign, 1 integer, 6 fraction bits). */
export const MXINT8_MAX_CODE = 127;
export const MXINT8_STEP = 1 / 64;

/** Bits of one element of a non-int format. */
export function elementBits(format: Exclude<Format, 'int'>): number {
  const spec = FORMAT_SPECS[format];
  if (spec.kind === 'nf4') return 4;
  if (spec.kind === 'mx' && spec.element === 'int8') return 8;
  return (spec as { element: FloatLayout }).element.bits;
}

/**
 * Bits of one block's scale: 8 for E8M0 (MX), 32 for a float32 scale, 0 for fp16/bf16, which are
 * plain casts (their `scale` of 1 is stored nowhere).
 */
export function scaleBits(format: Exclude<Format, 'int'>): number {
  const kind = FORMAT_SPECS[format].kind;
  return kind === 'mx' ? 8 : kind === 'cast' ? 0 : 32;
}

/** Largest finite element value of a non-int format, at scale 1. */
export function maxFinite(format: Exclude<Format, 'int'>): number {
  const spec = FORMAT_SPECS[format];
  if (spec.kind === 'nf4') return 1;
  if (spec.kind === 'mx' && spec.element === 'int8') return MXINT8_MAX_CODE * MXINT8_STEP;
  return (spec as { element: FloatLayout }).element.max;
}

/**
 * Magnitude code → value of a float layout: codes below 2^mantissa are
 * subnormals m·2^(emin − mantissa), the rest (1 + m/2^mantissa)·2^e.
 */
export function floatValue(layout: FloatLayout, magnitude: number): number {
  const unit = 2 ** layout.mantissa;
  const field = Math.floor(magnitude / unit);
  const m = magnitude % unit;
  return field === 0
    ? m * 2 ** (layout.emin - layout.mantissa)
    : (unit + m) * 2 ** (layout.emin + field - 1 - layout.mantissa);
}

/** The magnitude code of the largest finite value. */
export function maxMagnitudeCode(layout: FloatLayout): number {
  const e = Math.floor(Math.log2(layout.max));
  return (e - layout.emin) * 2 ** layout.mantissa + layout.max / 2 ** (e - layout.mantissa);
}

function floatLevels(layout: FloatLayout): Float32Array {
  const top = maxMagnitudeCode(layout);
  const out = new Float32Array(2 * top + 1);
  for (let c = 0; c <= top; c++) {
    const v = floatValue(layout, c);
    out[top + c] = v;
    out[top - c] = -v;
  }
  out[top] = 0; // one zero in the list, not −0 then +0
  return out;
}

const levelCache = new Map<Format, Float32Array>();

/** The sorted representable values of a non-int format at scale 1 (one zero); a fresh copy. */
export function levelsOf(format: Exclude<Format, 'int'>): Float32Array {
  let levels = levelCache.get(format);
  if (!levels) {
    const spec = FORMAT_SPECS[format];
    if (spec.kind === 'nf4') levels = Float32Array.from(NF4_LEVELS);
    else if (spec.kind === 'mx' && spec.element === 'int8') {
      levels = Float32Array.from(
        { length: 2 * MXINT8_MAX_CODE + 1 },
        (_, i) => (i - MXINT8_MAX_CODE) * MXINT8_STEP,
      );
    } else levels = floatLevels((spec as { element: FloatLayout }).element);
    levelCache.set(format, levels);
  }
  return levels.slice();
}

/** Codes and values range of a config: ∓ the largest finite value for a non-int format. */
export function formatRange(format: Exclude<Format, 'int'>): { qmin: number; qmax: number } {
  const max = maxFinite(format);
  return { qmin: -max, qmax: max };
}
