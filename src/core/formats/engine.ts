/**
 * The number formats of SPEC §3.1 as jax-js ops, with no await: runs eagerly
 * or traced under jit, like quantizeTraced for `int`, and matches
 * formats/reference.ts exactly (cast.ts says how). Consumes its inputs.
 */
import { numpy as np, type Array } from '@jax-js/jax';
import type { Blocks } from '../blocks.js';
import type { Format, QuantConfig } from '../config.js';
import { errorSums, fromBlocks, toBlocks } from '../quantize.js';
import { MIN_SCALE } from '../reference.js';
import { roundHalfEven } from '../round.js';
import { EXPONENT_UNIT, castFloat, exponentOf, magnitude, pow2Wide } from './cast.js';
import {
  FORMAT_SPECS,
  MXINT8_MAX_CODE,
  MXINT8_STEP,
  NF4_LEVELS,
  NF4_MIDPOINTS,
  maxFinite,
  type FormatSpec,
} from './tables.js';

interface Scaled {
  /** Per block [G, 1]. */
  scale: Array;
  /** x / scale, [G, L]. */
  v: Array;
  /** E8M0 byte per block (int32 [G, 1]); zeros outside MX. */
  scaleCode: Array;
}

/** Block scales from each block's absmax and the values divided by them (consumes xb). */
function scaleBlocks(xb: Array, spec: FormatSpec): Scaled {
  const zeros = () => np.zeros([xb.shape[0], 1], { dtype: np.int32, device: xb.device });
  if (spec.kind === 'cast') {
    // no scale: x itself is cast (x / 1); one block (blocksFor)
    return { scale: np.ones([xb.shape[0], 1], { device: xb.device }), v: xb, scaleCode: zeros() };
  }
  const amax = magnitude(xb.ref).max(1, { keepdims: true });
  if (spec.kind === 'mx') {
    // floor(log2 amax) from the exponent field; 0 and subnormals read −127, so clamp to [−127, 127]
    const shared = np.clip(exponentOf(amax).sub(spec.emax), -127, 127);
    // x · 2^−sharedExp is x / X exactly: fl(1/X) is a power of two too
    const v = xb.mul(pow2Wide(shared.ref.neg()));
    return { scale: pow2Wide(shared.ref), v, scaleCode: shared.add(127) };
  }
  if (spec.kind === 'int') throw new Error('int is not a float format');
  // nf4: scale = absmax; fp8/fp4: absmax / the largest finite value (x / c as x · fl(1/c))
  const s = spec.kind === 'nf4' ? amax.ref : amax.ref.div(spec.element.max);
  // MIN_SCALE keeps fl(1/scale) finite, as for int
  const scale = np.where(amax.equal(0), 1, np.maximum(s, MIN_SCALE));
  return { scale: scale.ref, v: xb.div(scale), scaleCode: zeros() };
}

/** NF4 code and level of n = clamp(v, −1, 1): midpoints n exceeds, a midpoint itself taking the lower code. */
function nf4(v: Array): { code: Array; value: Array } {
  const n = np.clip(v, -1, 1);
  let code: Array = np.zerosLike(n.ref, { dtype: np.int32 });
  let value: Array = np.fullLike(n.ref, NF4_LEVELS[0]);
  NF4_MIDPOINTS.forEach((mid, i) => {
    const above = n.ref.greater(mid);
    code = code.add(above.ref.astype(np.int32));
    value = np.where(above, NF4_LEVELS[i + 1], value);
  });
  n.dispose();
  return { code, value };
}

/**
 * MXINT8: q = clamp(round_half_even(v · 64), ±127); the code is its two's-complement byte, the
 * value q/64 (+0 for 0). q/64 is made by lowering q's exponent field by 6, not as q · (1/64):
 * under jit, jax-js re-associates (q · c) · X into (q · X) · c, and q · X overflows for X = 2^126.
 */
function mxint8(v: Array): { code: Array; value: Array } {
  const q = np
    .clip(roundHalfEven(v.mul(1 / MXINT8_STEP)), -MXINT8_MAX_CODE, MXINT8_MAX_CODE)
    .astype(np.int32);
  const shifted = q.ref
    .astype(np.float32)
    .view(np.int32)
    .sub(Math.log2(1 / MXINT8_STEP) * EXPONENT_UNIT);
  const value = np.where(q.ref.equal(0), 0, shifted.view(np.float32));
  return { code: np.bitwiseAnd(q, 0xff), value };
}

function elements(v: Array, spec: FormatSpec): { code: Array; value: Array } {
  switch (spec.kind) {
    case 'nf4':
      return nf4(v);
    case 'mx':
      return spec.element === 'int8' ? mxint8(v) : castFloat(v, spec.element);
    case 'cast':
    case 'float':
      return castFloat(v, spec.element);
    case 'int':
      throw new Error('int is not a float format');
  }
}

/**
 * What quantizeFormatTraced leaves on the device: codes (int32), dequantized,
 * scale, zero-point (int32), sums, E8M0 scale codes (int32), and the clip mask
 * (int32) when asked for.
 */
export type FormatOutputs =
  [Array, Array, Array, Array, Array, Array] | [Array, Array, Array, Array, Array, Array, Array];

/**
 * Quantization of x (the n values, consumed) in a non-int format; `blocks` is
 * its layout (blocksFor with the format). Codes, dequantized values and the
 * clip mask come back flat [n]; scale, zero-point and scale codes per block.
 */
export function quantizeFormatTraced(
  x: Array,
  config: QuantConfig,
  blocks: Blocks,
  wideSums: boolean,
  clipMask = false,
): FormatOutputs {
  const format = config.format as Exclude<Format, 'int'>;
  const spec = FORMAT_SPECS[format];
  // Zero padding quantizes to +0 (code 0, error 0), never raises an absmax, and is never clipped.
  const xb = toBlocks(x.reshape([blocks.rows, blocks.cols]), blocks);
  const { scale, v, scaleCode } = scaleBlocks(xb.ref, spec);
  const clipped = magnitude(v.ref).greater(maxFinite(format));
  const mask = clipMask ? clipped.ref : null;
  const { code, value } = elements(v, spec);
  const dequantized = value.mul(scale.ref);
  const sums = errorSums(xb, dequantized.ref, clipped, wideSums);
  const zeroPoint = np.zeros([blocks.groups, 1], { dtype: np.int32, device: scale.device });
  const outputs: FormatOutputs = [
    fromBlocks(code, blocks),
    fromBlocks(dequantized, blocks),
    scale,
    zeroPoint,
    sums,
    scaleCode,
  ];
  return clipMask ? [...outputs, fromBlocks(mask!.astype(np.int32), blocks)] : outputs;
}
