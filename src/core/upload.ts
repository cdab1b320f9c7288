import { numpy as np, type Array, type Device } from '@jax-js/jax';

/** jax-js inlines arrays below this size whose values are all equal (index.js `inlineArrayLimit`). */
const INLINE_LIMIT = 128;

/**
 * Copies float32 data to a device as a real buffer. jax-js turns a small
 * all-equal array into a constant, and constants are folded in float64 (and
 * re-associated), which would break the float32 semantics the reference checks.
 * A different trailing value keeps the upload a buffer; the double negation
 * (exact) copies the slice into a buffer of its own, since jax-js 0.1.25's sort
 * fails on a sliced view.
 */
export function upload(data: Float32Array, shape: readonly number[], device: Device): Array {
  if (data.length >= INLINE_LIMIT || data.some((v) => !Object.is(v, data[0]))) {
    return np.array(data, { shape: [...shape], device });
  }
  const padded = new Float32Array(data.length + 1);
  padded.set(data);
  padded[data.length] = data[0] === 0 ? 1 : 0;
  return np
    .array(padded, { device })
    .slice([0, data.length])
    .neg()
    .neg()
    .reshape([...shape]);
}
