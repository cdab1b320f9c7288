/**
 * What GPTQ and AWQ share, in plain float64 JavaScript (no jax-js): the layer quantizer they
 * target, the Hessian's inverse Cholesky factor (setup: jax-js 0.1.25's linalg runs in float32,
 * and H is at most 784×784, so this takes ~0.1–0.3 s on the worker), and the dead-input rule.
 *
 * Orientation: a layer's weight is [out, in] (a row per output neuron, src/core/inference/mlp.ts);
 * `channel` is a row, a group is `groupSize` consecutive inputs of a row (src/core/blocks.ts).
 * GPTQ's "columns" are input dimensions: it walks them in order, for every row at once.
 */
import type { QuantConfig } from '../config.js';

/** The part of a config GPTQ and AWQ quantize with (minmax range, half-even rounding: see README "method"). */
export type LayerQuant = Pick<QuantConfig, 'bits' | 'scheme' | 'granularity' | 'groupSize'>;

/** Relative dampening of H: λ = DAMP · mean(diag H), the GPTQ paper's 1%. */
export const DAMP = 0.01;

/** Columns per lazy block when the scales are fixed up front (tensor, channel): the paper's 128 is for GPUs. */
export const BLOCK = 32;

/**
 * The effective granularity on a row of `cols` inputs (a group of at least the row is a channel),
 * and GPTQ's block width: one group per block, so a group's scale is computed from the weights
 * updated by every column before it (as the reference implementation with blocksize = groupsize).
 */
export function layout(
  q: LayerQuant,
  cols: number,
): { granularity: QuantConfig['granularity']; block: number } {
  if (q.granularity === 'group' && q.groupSize < cols) return { granularity: 'group', block: q.groupSize };
  const granularity = q.granularity === 'group' ? 'channel' : q.granularity;
  return { granularity, block: Math.min(BLOCK, cols) };
}

/** Code range of SPEC §3. */
export function codeLimits(q: LayerQuant): { qmin: number; qmax: number } {
  if (q.scheme === 'symmetric') {
    const qmax = 2 ** (q.bits - 1) - 1;
    return { qmin: -qmax, qmax };
  }
  return { qmin: 0, qmax: 2 ** q.bits - 1 };
}

export function roundHalfEven(v: number): number {
  const fl = Math.floor(v);
  const d = v - fl;
  if (d > 0.5) return fl + 1;
  if (d < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

/** Scale and zero-point of a block whose values lie in [min, max] (SPEC §3 minmax). */
export function gridOf(min: number, max: number, q: LayerQuant): { scale: number; zero: number } {
  const { qmin, qmax } = codeLimits(q);
  if (q.scheme === 'symmetric') {
    const hi = Math.max(Math.abs(min), Math.abs(max));
    return { scale: hi === 0 ? 1 : Math.max(hi / qmax, 2 ** -126), zero: 0 };
  }
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  if (hi === lo) return { scale: 1, zero: qmin };
  const scale = Math.max((hi - lo) / (qmax - qmin), 2 ** -126);
  return { scale, zero: Math.min(qmax, Math.max(qmin, qmin - roundHalfEven(lo / scale))) };
}

/** Code of w on a grid. */
export function codeOf(w: number, scale: number, zero: number, qmin: number, qmax: number): number {
  return Math.min(qmax, Math.max(qmin, roundHalfEven(w / scale) + zero));
}

/**
 * H = (2/n) XᵀX of the [n, cols] calibration inputs, float64 (GPTQ scales by 2/n; the scale does
 * not change the result, since λ is relative to the diagonal).
 */
export function hessian(x: ArrayLike<number>, n: number, cols: number): Float64Array {
  const h = new Float64Array(cols * cols);
  const row = new Float64Array(cols);
  for (let s = 0; s < n; s++) {
    for (let j = 0; j < cols; j++) row[j] = x[s * cols + j];
    for (let i = 0; i < cols; i++) {
      const xi = row[i];
      if (xi === 0) continue;
      const base = i * cols;
      for (let j = 0; j < cols; j++) h[base + j] += xi * row[j];
    }
  }
  for (let i = 0; i < h.length; i++) h[i] *= 2 / n;
  return h;
}

/**
 * GPTQ's preparation of H (in place): an input that is zero on every calibration example ("dead":
 * a corner pixel) gets H_ii = 1 and the caller zeroes its weights, as the reference
 * implementation does; then λ = DAMP · mean(diag H) is added to the diagonal. Returns the dead mask.
 */
export function prepareHessian(h: Float64Array, cols: number): Uint8Array {
  const dead = new Uint8Array(cols);
  for (let i = 0; i < cols; i++)
    if (h[i * cols + i] === 0) {
      dead[i] = 1;
      h[i * cols + i] = 1;
    }
  let mean = 0;
  for (let i = 0; i < cols; i++) mean += h[i * cols + i];
  const damp = (DAMP * mean) / cols;
  for (let i = 0; i < cols; i++) h[i * cols + i] += damp;
  return dead;
}

/**
 * The upper Cholesky factor U of H⁻¹ (H⁻¹ = UᵀU; torch.cholesky(H⁻¹, upper=True)), row-major,
 * without forming H⁻¹: with J the reversal, J H J = L Lᵀ gives H = Ũ Ũᵀ for the upper Ũ = J L J,
 * so H⁻¹ = Ũ⁻ᵀ Ũ⁻¹ and U = Ũ⁻¹ = J L⁻¹ J. One Cholesky and one triangular inverse (n³/2 flops).
 */
export function inverseFactor(h: Float64Array, n: number): Float64Array {
  // L: lower Cholesky of M = J H J (M_ij = H_{n−1−i, n−1−j}).
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = h[(n - 1 - j) * n + (n - 1 - j)];
    for (let k = 0; k < j; k++) s -= l[rj + k] * l[rj + k];
    if (!(s > 0)) throw new RangeError('the Hessian is not positive definite');
    const d = Math.sqrt(s);
    l[rj + j] = d;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = h[(n - 1 - i) * n + (n - 1 - j)];
      for (let k = 0; k < j; k++) t -= l[ri + k] * l[rj + k];
      l[ri + j] = t / d;
    }
  }
  // X = L⁻¹ (lower), row by row: X_i = (e_i − Σ_{k<i} L_ik X_k) / L_ii.
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    x[ri + i] = 1;
    for (let k = 0; k < i; k++) {
      const c = l[ri + k];
      if (c === 0) continue;
      const rk = k * n;
      for (let m = 0; m <= k; m++) x[ri + m] -= c * x[rk + m];
    }
    const d = l[ri + i];
    for (let m = 0; m <= i; m++) x[ri + m] /= d;
  }
  // U = J X J.
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) u[i * n + j] = x[(n - 1 - i) * n + (n - 1 - j)];
  return u;
}

/** Mean |x| of each of the `cols` inputs over the n calibration examples (AWQ's activation statistic). */
export function meanAbs(x: ArrayLike<number>, n: number, cols: number): Float64Array {
  const m = new Float64Array(cols);
  for (let s = 0; s < n; s++) for (let j = 0; j < cols; j++) m[j] += Math.abs(x[s * cols + j]);
  for (let j = 0; j < cols; j++) m[j] /= n;
  return m;
}

/** AWQ's α grid: 0, 0.05, …, 1 (α = 0 is s = 1: plain round-to-nearest). */
export const AWQ_ALPHAS: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

/**
 * AWQ's per-input scales s = mean|x|^α, floored at 1e-4 and normalised by √(max·min) (llm-awq's
 * rule), as float32 (the values both implementations multiply by).
 */
export function awqScales(mean: ArrayLike<number>, alpha: number): Float32Array {
  const s = Float64Array.from(mean, (m) => Math.max(Math.pow(m, alpha), 1e-4));
  let [lo, hi] = [Infinity, 0];
  for (const v of s) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const norm = Math.sqrt(lo * hi);
  return Float32Array.from(s, (v) => v / norm);
}
