/**
 * Plain typed-array GPTQ and AWQ for one layer and for the whole MLP: the oracle the jax-js
 * implementation (gptq.ts, awq.ts) is tested against. GPTQ runs in float64 throughout (the exact
 * answer); AWQ quantizes with the core's reference quantizer (SPEC §3, float32-exact with the
 * engine) and sums its loss in float64.
 */
import { referenceQuantize } from '../reference.js';
import type { MlpLayer } from '../inference/mlp.js';
import {
  AWQ_ALPHAS,
  awqScales,
  codeLimits,
  codeOf,
  gridOf,
  hessian,
  inverseFactor,
  layout,
  meanAbs,
  prepareHessian,
  type LayerQuant,
} from './setup.js';

/** One layer quantized: dequantized weights and codes [out, in], one scale per block in order. */
export interface LayerResult {
  dequantized: Float32Array;
  codes: Int32Array;
  /** GPTQ: scale of each block (row-major: row, then group); AWQ: the chosen α. */
  scales: Float32Array;
}

export interface AwqLayerResult extends LayerResult {
  alpha: number;
  /** The per-input scales s ([in], float32) of the chosen α. */
  s: Float32Array;
  /** ‖X(W − W̃)ᵀ‖² for each α of AWQ_ALPHAS. */
  losses: Float64Array;
}

/**
 * GPTQ on one [out, cols] layer with calibration inputs x [n, cols]: H = (2/n)XᵀX + λI, columns
 * quantized in order, each one's error (w − q)/U_jj fed back to the later columns of its block
 * through row j of U (H⁻¹ = UᵀU), the block's errors to the columns after it at the block's end
 * (lazy batch updates). Scales: per tensor and per channel from the original weights, up front;
 * per group from the current (updated) weights when the group starts.
 */
export function referenceGptq(
  weight: Float32Array,
  [out, cols]: [number, number],
  x: ArrayLike<number>,
  n: number,
  q: LayerQuant,
): LayerResult {
  const { qmin, qmax } = codeLimits(q);
  const { granularity, block } = layout(q, cols);
  const h = hessian(x, n, cols);
  const dead = prepareHessian(h, cols);
  const u = inverseFactor(h, cols);
  const w = Float64Array.from(weight);
  // Fixed grids from the original weights (before dead inputs are zeroed, as the reference does).
  const scale = new Float64Array(out);
  const zero = new Float64Array(out);
  const setRows = (lo: number[], hi: number[]) => {
    for (let r = 0; r < out; r++) ({ scale: scale[r], zero: zero[r] } = gridOf(lo[r], hi[r], q));
  };
  const scales: number[] = [];
  if (granularity !== 'group') {
    const lo = Array.from({ length: out }, (_, r) => Math.min(...weight.subarray(r * cols, (r + 1) * cols)));
    const hi = Array.from({ length: out }, (_, r) => Math.max(...weight.subarray(r * cols, (r + 1) * cols)));
    if (granularity === 'tensor') {
      const [a, b] = [Math.min(...lo), Math.max(...hi)];
      setRows(
        lo.map(() => a),
        hi.map(() => b),
      );
      scales.push(scale[0]);
    } else {
      setRows(lo, hi);
      scales.push(...scale);
    }
  }
  for (let j = 0; j < cols; j++) if (dead[j]) for (let r = 0; r < out; r++) w[r * cols + j] = 0;
  const codes = new Int32Array(out * cols);
  const dq = new Float32Array(out * cols);
  const groupScales: number[][] = Array.from({ length: out }, () => []);
  const err = new Float64Array(out * block);
  for (let i1 = 0; i1 < cols; i1 += block) {
    const i2 = Math.min(i1 + block, cols);
    if (granularity === 'group') {
      const lo = [];
      const hi = [];
      for (let r = 0; r < out; r++) {
        const row = w.subarray(r * cols + i1, r * cols + i2);
        lo.push(Math.min(...row));
        hi.push(Math.max(...row));
      }
      setRows(lo, hi);
      for (let r = 0; r < out; r++) groupScales[r].push(scale[r]);
    }
    for (let j = i1; j < i2; j++) {
      const d = u[j * cols + j];
      for (let r = 0; r < out; r++) {
        const wv = w[r * cols + j];
        const c = codeOf(wv, scale[r], zero[r], qmin, qmax);
        const qv = scale[r] * (c - zero[r]);
        codes[r * cols + j] = c;
        dq[r * cols + j] = qv;
        const e = (wv - qv) / d;
        err[r * block + (j - i1)] = e;
        // Within the block, now.
        for (let k = j + 1; k < i2; k++) w[r * cols + k] -= e * u[j * cols + k];
      }
    }
    // The block's errors, to every later column, at once.
    for (let r = 0; r < out; r++)
      for (let j = i1; j < i2; j++) {
        const e = err[r * block + (j - i1)];
        if (e === 0) continue;
        const uj = j * cols;
        for (let k = i2; k < cols; k++) w[r * cols + k] -= e * u[uj + k];
      }
  }
  if (granularity === 'group') for (const row of groupScales) scales.push(...row);
  return { dequantized: dq, codes, scales: Float32Array.from(scales) };
}

/** ‖X(A − B)ᵀ‖²: the squared output error of weights B against A ([out, cols]) on x [n, cols], float64. */
export function outputError(
  x: ArrayLike<number>,
  n: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  [out, cols]: [number, number],
): number {
  const d = Float64Array.from({ length: out * cols }, (_, i) => a[i] - b[i]);
  let sum = 0;
  for (let s = 0; s < n; s++)
    for (let r = 0; r < out; r++) {
      let y = 0;
      for (let j = 0; j < cols; j++) y += x[s * cols + j] * d[r * cols + j];
      sum += y * y;
    }
  return sum;
}

/** The layer's round-to-nearest (SPEC §3, minmax, half-even): what AWQ scales before. */
function rtn(w: Float32Array, shape: [number, number], q: LayerQuant) {
  return referenceQuantize(w, shape, { ...q, calibration: 'minmax', rounding: 'half-even', format: 'int' });
}

/**
 * AWQ on one layer: for each α of the grid, s = mean|x|^α (awqScales), W̃ = Q(W·diag s)·diag(1/s);
 * the α of least ‖X(W − W̃)ᵀ‖² wins (the first on a tie). W̃ in the original input coordinates is
 * the folded model's layer exactly (see fold.ts), so the element runs W̃ on the unscaled inputs.
 */
export function referenceAwq(
  weight: Float32Array,
  shape: [number, number],
  x: ArrayLike<number>,
  n: number,
  q: LayerQuant,
): AwqLayerResult {
  const [out, cols] = shape;
  const mean = meanAbs(x, n, cols);
  const losses = new Float64Array(AWQ_ALPHAS.length);
  let best: Omit<AwqLayerResult, 'losses'> | null = null;
  for (let k = 0; k < AWQ_ALPHAS.length; k++) {
    const alpha = AWQ_ALPHAS[k];
    const s = awqScales(mean, alpha);
    const scaled = Float32Array.from(weight, (v, i) => Math.fround(v * s[i % cols]));
    const r = rtn(scaled, shape, q);
    const eff = Float32Array.from(r.dequantized, (v, i) => Math.fround(v / s[i % cols]));
    losses[k] = outputError(x, n, weight, eff, [out, cols]);
    if (!best || losses[k] < losses[AWQ_ALPHAS.indexOf(best.alpha)])
      best = { dequantized: eff, codes: r.codes, scales: r.scale, alpha, s };
  }
  return { ...best!, losses };
}

/** relu(x Wᵀ + b) (or without relu for the last layer) in float64, as float32: the next layer's inputs. */
export function referenceDense(
  x: ArrayLike<number>,
  n: number,
  weight: ArrayLike<number>,
  bias: ArrayLike<number>,
  [out, cols]: [number, number],
  relu: boolean,
): Float32Array {
  const y = new Float32Array(n * out);
  for (let s = 0; s < n; s++)
    for (let r = 0; r < out; r++) {
      let v = bias[r];
      for (let j = 0; j < cols; j++) v += x[s * cols + j] * weight[r * cols + j];
      y[s * out + r] = relu ? Math.max(v, 0) : v;
    }
  return y;
}

export type Method = 'gptq' | 'awq';

/**
 * The whole MLP: layer i at `bits[i]`. GPTQ is sequential — layer i calibrates on the inputs the
 * already quantized layers before it produce (what the quantized model will feed it); AWQ calibrates
 * every layer on the float model's inputs (folding leaves the float model unchanged, so those are
 * the folded model's inputs times s).
 */
export function referenceCalibrate(
  layers: readonly MlpLayer[],
  x: Float32Array,
  n: number,
  method: Method,
  q: Omit<LayerQuant, 'bits'>,
  bits: readonly number[],
): LayerResult[] {
  let input = x;
  return layers.map((l, i) => {
    const lq = { ...q, bits: bits[i] };
    const r =
      method === 'gptq'
        ? referenceGptq(l.weight, l.shape, input, n, lq)
        : referenceAwq(l.weight, l.shape, input, n, lq);
    if (i < layers.length - 1)
      input = referenceDense(input, n, method === 'gptq' ? r.dequantized : l.weight, l.bias, l.shape, true);
    return r;
  });
}
