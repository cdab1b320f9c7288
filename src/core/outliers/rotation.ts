/**
 * The rotation of <quant-outliers> (QuaRot-style, Ashkboos et al. 2024) and the statistics that
 * show what it does, as jax-js ops (consuming their arguments). H = D · H_n / √n is orthogonal:
 * H_n the Sylvester Hadamard matrix of order n (entries ±1, n the power of two ≥ channels), D a
 * diagonal of seeded random signs. X is padded with zero channels to n and W with zero rows, so
 * (X H)(Hᵀ W) = X W in exact arithmetic, and in float32 up to rounding; an outlier channel of X is
 * spread over all n channels of X H.
 */
import { numpy as np, random, type Array } from '@jax-js/jax';
import { upload } from '../upload.js';

export { rotatedWidth } from './config.js';

/** The random signs of D, ±1 as float32 [n], from the seed's rotation stream (consumed). */
export function rotationSigns(key: Array, n: number): Array {
  return np.where(random.uniform(key, [n]).less(0.5), -1, 1).astype(np.float32);
}

/**
 * H = D · H_n / √n [n, n] from the signs (consumed): H_n[i, j] = (−1)^popcount(i & j), exact; the
 * factor fl(1/√n) is an operand (exact for even log2 n, rounded to float32 otherwise).
 */
export function hadamard(signs: Array): Array {
  const [n] = signs.shape;
  const i = np.arange(n).astype(np.int32).reshape([n, 1]);
  const j = np.arange(n).astype(np.int32).reshape([1, n]);
  const parity = np.bitwiseAnd(np.bitwiseCount(np.bitwiseAnd(i, j)), 1).astype(np.float32);
  const hn = parity.mul(-2).add(1);
  const r = upload(Float32Array.of(Math.fround(1 / Math.sqrt(n))), [], signs.device);
  return hn.mul(signs.reshape([n, 1])).mul(r);
}

/** X [T, C] → X H [T, n] and W [C, O] → Hᵀ W [n, O] (all consumed; zero padding to n). */
export function rotate(x: Array, w: Array, h: Array): [Array, Array] {
  const [, channels] = x.shape;
  const pad = h.shape[0] - channels;
  const xp = pad
    ? np.pad(x, [
        [0, 0],
        [0, pad],
      ])
    : x;
  const wp = pad
    ? np.pad(w, [
        [0, pad],
        [0, 0],
      ])
    : w;
  return [np.matmul(xp, h.ref), np.matmul(h.transpose(), wp)];
}

/**
 * [m2, m4, max|x|, mean|x|] over every value of x (consumed), float64 where `wide`: the central
 * moments m_k = mean((x − mean x)^k) give the (Pearson) kurtosis m4 / m2², 3 for a normal
 * distribution and far more when a few channels are large.
 */
export function spreadSums(x: Array, wide: boolean): Array {
  const v = wide ? x.astype(np.float64) : x;
  const n = v.size;
  const d = v.ref.sub(v.ref.sum().div(n));
  const d2 = d.ref.mul(d);
  const abs = np.abs(v);
  return np.stack([d2.ref.sum().div(n), d2.ref.mul(d2).sum().div(n), abs.ref.max(), abs.sum().div(n)]);
}
