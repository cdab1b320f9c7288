/**
 * Exact float casts as jax-js ops, built from the float32 bit pattern (a view
 * as int32) so no step depends on log2/exp2 (approximations in jax-js) or on
 * the sign of a zero surviving arithmetic (jax-js's negative(0) is +0). Every
 * function consumes its array arguments.
 */
import { numpy as np, type Array } from '@jax-js/jax';
import { roundHalfEven } from '../round.js';
import type { FloatLayout } from './tables.js';

const SIGN_BIT = -2147483648; // 0x80000000 as int32
const MAGNITUDE = 0x7fffffff;
/** 2^23: the float32 exponent field starts at bit 23 (shifts as int32 products: jax-js shifts want int32 amounts). */
export const EXPONENT_UNIT = 8388608;

/** |x| with the sign bit cleared: np.abs keeps −0. */
export function magnitude(x: Array): Array {
  return np.bitwiseAnd(x.view(np.int32), MAGNITUDE).view(np.float32);
}

/** The unbiased float32 exponent field of a ≥ 0 (int32): floor(log2 a) for normals, −127 for 0 and subnormals. */
export function exponentOf(a: Array): Array {
  return a.view(np.int32).div(EXPONENT_UNIT).sub(127);
}

/** 2^k (float32) for int32 k in [−126, 127], from its bits. */
export function pow2(k: Array): Array {
  return k.add(127).mul(EXPONENT_UNIT).view(np.float32);
}

/** 2^k for k in [−127, 127]: 2^−127 is the one subnormal an E8M0 scale reaches. */
export function pow2Wide(k: Array): Array {
  return np.where(k.ref.less(-126), 2 ** -127, pow2(np.maximum(k, -126)));
}

/**
 * a · 2^k, exact, for int32 k in [−253, 253] and any a whose product is a
 * normal float32 or a representable subnormal: in two factors, since 2^k alone
 * may not be a float32 (bf16 subnormals need 2^133).
 */
function timesPow2(a: Array, k: Array): Array {
  const half = k.ref
    .add(256)
    .div(2)
    .sub(256 / 2); // floor(k / 2): int division of a positive number
  return a.mul(pow2(half.ref)).mul(pow2(k.sub(half)));
}

/**
 * Round-to-nearest-even cast of float32 v (consumed) to a float layout, after
 * clamping to ±max: the bit pattern (int32) and the value (float32, sign kept,
 * so a negative value that rounds to 0 is −0).
 */
export function castFloat(v: Array, layout: FloatLayout): { code: Array; value: Array } {
  const bits = v.view(np.int32);
  const sign = np.bitwiseAnd(bits.ref, SIGN_BIT);
  const a = np.minimum(np.bitwiseAnd(bits, MAGNITUDE).view(np.float32), layout.max);
  // The quantum is 2^(e − mantissa), e the exponent of a, or emin in the subnormal range.
  const e = np.maximum(exponentOf(a.ref), layout.emin);
  const k = e.ref.neg().add(layout.mantissa);
  // m = a / quantum rounded: an integer ≤ 2^(mantissa + 1), so exact in float32.
  const m = roundHalfEven(timesPow2(a, k.ref));
  // e − emin binades above the subnormals; a carry of m into 2^(mantissa+1) moves up one.
  const mag = e
    .sub(layout.emin)
    .mul(2 ** layout.mantissa)
    .add(m.ref.astype(np.int32));
  const negative = sign.ref.notEqual(0);
  const code = np.where(negative, mag.ref.add(2 ** (layout.bits - 1)), mag);
  const value = np.bitwiseOr(timesPow2(m, k.neg()).view(np.int32), sign).view(np.float32);
  return { code, value };
}
