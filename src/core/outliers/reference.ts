/**
 * Plain typed-array implementation of <quant-outliers>'s methods, the oracle the jax-js session is
 * tested against, step for step as methods.ts and rotation.ts compute them. Float steps are
 * float32 (Math.fround, division as a · fl(1/b), reference.ts's div32) so codes match exactly;
 * integer accumulations and sums are float64 (exact). Where the engine's float step is not exactly
 * reproducible — a float32 matmul's summation order, jax-js's exp/log — the step functions take
 * the engine's value as input (as referenceQuantize takes the engine's noise), and the tests check
 * that value separately against this file's float64 one.
 */
import { div32, MIN_SCALE, roundHalfEven } from '../reference.js';
import { castFloat } from '../formats/reference.js';
import { FP16 } from '../formats/tables.js';
import {
  OUTLIER_METHODS,
  resolveMethodConfig,
  rotatedWidth,
  symmetricQmax,
  type OutlierMethod,
  type OutlierMethodConfig,
} from './config.js';
import type { Blocking } from './methods.js';
import { outputError, spreadOf, storageBits } from './metrics.js';
import type { OutlierMethodResult, OutliersResult } from './types.js';

const f = Math.fround;

/** A row-major matrix. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export interface RefQuantized {
  codes: Int32Array;
  /** One per tensor, per row or per column. */
  scale: Float32Array;
}

/** Symmetric quantization of m at `bits` (methods.ts quantizeSymmetric). */
export function refQuantize(m: Matrix, blocking: Blocking, bits: number): RefQuantized {
  const { data, rows, cols } = m;
  const qmax = symmetricQmax(bits);
  const blockOf = (i: number) =>
    blocking === 'tensor' ? 0 : blocking === 'row' ? Math.floor(i / cols) : i % cols;
  const count = blocking === 'tensor' ? 1 : blocking === 'row' ? rows : cols;
  const amax = new Float32Array(count);
  data.forEach((v, i) => (amax[blockOf(i)] = Math.max(amax[blockOf(i)], Math.abs(v))));
  const scale = amax.map((a) => (a === 0 ? 1 : Math.max(div32(a, qmax), MIN_SCALE)));
  const codes = new Int32Array(data.length);
  data.forEach((v, i) => {
    const r = roundHalfEven(div32(v, scale[blockOf(i)]));
    codes[i] = Math.min(Math.max(r, -qmax), qmax);
  });
  return { codes, scale };
}

/** (Σ_k qx·qw) · sx · sw in float32 steps, the sum exact (methods.ts product). */
export function refProduct(x: RefQuantized, w: RefQuantized, t: number, c: number, o: number): Float32Array {
  const out = new Float32Array(t * o);
  const acc = new Float64Array(o);
  for (let i = 0; i < t; i++) {
    acc.fill(0);
    for (let k = 0; k < c; k++) {
      const a = x.codes[i * c + k];
      if (a !== 0) for (let j = 0; j < o; j++) acc[j] += a * w.codes[k * o + j];
    }
    const sx = x.scale.length === 1 ? x.scale[0] : x.scale[i];
    for (let j = 0; j < o; j++) {
      const sw = w.scale.length === 1 ? w.scale[0] : w.scale[j];
      out[i * o + j] = f(f(f(acc[j]) * sx) * sw);
    }
  }
  return out;
}

/** The float64 product of two float32 matrices. */
export function refMatmul(a: Matrix, b: Matrix): Float64Array {
  const { rows: t, cols: c } = a;
  const o = b.cols;
  const out = new Float64Array(t * o);
  for (let i = 0; i < t; i++)
    for (let k = 0; k < c; k++) {
      const v = a.data[i * c + k];
      if (v !== 0) for (let j = 0; j < o; j++) out[i * o + j] += v * b.data[k * o + j];
    }
  return out;
}

/** What one method gives: Y' and its quantized operands. */
export interface RefMethod {
  output: Float32Array;
  x: RefQuantized;
  w: RefQuantized;
}

/** Naive (per tensor) or per-token / per-channel quantization of x [T, C] and w [C, O], and Y'. */
export function refQuantizedProduct(
  x: Matrix,
  w: Matrix,
  perToken: boolean,
  activationBits: number,
  weightBits: number,
): RefMethod {
  const xq = refQuantize(x, perToken ? 'row' : 'tensor', activationBits);
  const wq = refQuantize(w, perToken ? 'column' : 'tensor', weightBits);
  return { output: refProduct(xq, wq, x.rows, x.cols, w.cols), x: xq, w: wq };
}

/** max |m| per column (axis 0) or per row (axis 1). */
export function refAbsMax(m: Matrix, axis: 0 | 1): Float32Array {
  const out = new Float32Array(axis === 0 ? m.cols : m.rows);
  m.data.forEach((v, i) => {
    const k = axis === 0 ? i % m.cols : Math.floor(i / m.cols);
    out[k] = Math.max(out[k], Math.abs(v));
  });
  return out;
}

export interface RefInt8 extends RefMethod {
  outlier: Uint8Array;
  xHalf: Float32Array;
  wHalf: Float32Array;
  floatShare: number;
}

/**
 * LLM.int8(): channels with max |X_j| > threshold in float16 (their product summed in float64 and
 * added in float32), the rest per token / per channel.
 */
export function refLlmInt8(
  x: Matrix,
  w: Matrix,
  threshold: number,
  activationBits: number,
  weightBits: number,
): RefInt8 {
  const { rows: t, cols: c } = x;
  const o = w.cols;
  const th = f(threshold);
  const outlier = Uint8Array.from(refAbsMax(x, 0), (m) => (m > th ? 1 : 0));
  const half = (v: number) => castFloat(v, FP16).value;
  const xi = x.data.map((v, i) => (outlier[i % c] ? 0 : v));
  const wi = w.data.map((v, i) => (outlier[Math.floor(i / o)] ? 0 : v));
  const xHalf = x.data.map((v, i) => (outlier[i % c] ? half(v) : 0));
  const wHalf = w.data.map((v, i) => (outlier[Math.floor(i / o)] ? half(v) : 0));
  const m = refQuantizedProduct(
    { data: xi, rows: t, cols: c },
    { data: wi, rows: c, cols: o },
    true,
    activationBits,
    weightBits,
  );
  const h = refMatmul({ data: xHalf, rows: t, cols: c }, { data: wHalf, rows: c, cols: o });
  const output = m.output.map((v, i) => f(v + f(h[i])));
  const floatShare = outlier.reduce((a, b) => a + b, 0) / c;
  return { ...m, output, outlier, xHalf, wHalf, floatShare };
}

/** SmoothQuant's s_j = max|X_j|^α / max|W_j|^(1−α) in float64, 1 where either maximum is 0. */
export function refSmoothingScales(xMax: Float32Array, wMax: Float32Array, alpha: number): Float64Array {
  return Float64Array.from(xMax, (a, j) =>
    a > 0 && wMax[j] > 0 ? Math.pow(a, alpha) / Math.pow(wMax[j], 1 - alpha) : 1,
  );
}

/** X / s (as x · fl(1/s)) and s · W in float32 for float32 scales s [C]. */
export function refSmooth(x: Matrix, w: Matrix, s: Float32Array): [Matrix, Matrix] {
  const c = x.cols;
  const o = w.cols;
  return [
    { ...x, data: x.data.map((v, i) => div32(v, s[i % c])) },
    { ...w, data: w.data.map((v, i) => f(v * s[Math.floor(i / o)])) },
  ];
}

/** H = D · H_n / √n, float32 (every entry ±fl(1/√n): exact). */
export function refHadamard(signs: Float32Array): Matrix {
  const n = signs.length;
  const r = f(1 / Math.sqrt(n));
  const data = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let parity = 0;
      for (let a = i & j; a; a >>= 1) parity ^= a & 1;
      data[i * n + j] = f(signs[i] * (parity ? -1 : 1) * r);
    }
  return { data, rows: n, cols: n };
}

/** X H and Hᵀ W in float64, with X padded by zero channels and W by zero rows to H's order. */
export function refRotate(x: Matrix, w: Matrix, h: Matrix): [Float64Array, Float64Array] {
  const n = h.rows;
  const xp = new Float32Array(x.rows * n);
  for (let i = 0; i < x.rows; i++) xp.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), i * n);
  const wp = new Float32Array(n * w.cols);
  wp.set(w.data);
  const ht = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ht[j * n + i] = h.data[i * n + j];
  return [
    refMatmul({ data: xp, rows: x.rows, cols: n }, h),
    refMatmul({ data: ht, rows: n, cols: n }, { data: wp, rows: n, cols: w.cols }),
  ];
}

/** [m2, m4, max|x|, mean|x|] in float64 (rotation.ts spreadSums). */
export function refSpreadSums(values: ArrayLike<number>): number[] {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let [m2, m4, max, abs] = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    m2 += d * d;
    m4 += d * d * d * d;
    max = Math.max(max, Math.abs(values[i]));
    abs += Math.abs(values[i]);
  }
  return [m2 / n, m4 / n, max, abs / n];
}

/** [Σ(y − y')², max |y − y'|] in float64. */
export function refErrorSums(y: ArrayLike<number>, yq: ArrayLike<number>): [number, number] {
  let [sq, max] = [0, 0];
  for (let i = 0; i < y.length; i++) {
    const e = y[i] - yq[i];
    sq += e * e;
    max = Math.max(max, Math.abs(e));
  }
  return [sq, max];
}

/**
 * The whole comparison on the reference alone (float64 Y as the truth, its own s and X H rounded to
 * float32): what OutliersSession.run reports, up to the float32 rounding of the engine's Y, s and
 * rotation (the tests bound how far apart they may be). `signs` are the rotation's D (the engine's
 * seeded draw).
 */
export function referenceOutliers(
  x: Matrix,
  w: Matrix,
  partial: Partial<OutlierMethodConfig> & { bits?: number },
  signs: Float32Array,
): Omit<OutliersResult, 'device'> {
  const config = resolveMethodConfig(partial);
  const { activationBits: ab, weightBits: wb } = config;
  const [t, c, o] = [x.rows, x.cols, w.cols];
  const y = refMatmul(x, w);
  const sumSqY = y.reduce((a, v) => a + v * v, 0);
  const xMax = refAbsMax(x, 0);
  const wMax = refAbsMax(w, 1);
  const h = refHadamard(signs);
  const [xh64, hw64] = refRotate(x, w, h);
  const n = h.rows;
  const xh: Matrix = { data: Float32Array.from(xh64), rows: t, cols: n };
  const hw: Matrix = { data: Float32Array.from(hw64), rows: n, cols: o };
  const int8 = refLlmInt8(x, w, config.threshold, ab, wb);
  const s = Float32Array.from(refSmoothingScales(xMax, wMax, config.alpha));
  const [xs, ws] = refSmooth(x, w, s);
  const runs: Record<OutlierMethod, { m: RefMethod; xAfter: Float32Array; wAfter: Float32Array }> = {
    naive: { m: refQuantizedProduct(x, w, false, ab, wb), xAfter: xMax, wAfter: wMax },
    'per-token': { m: refQuantizedProduct(x, w, true, ab, wb), xAfter: xMax, wAfter: wMax },
    'llm-int8': {
      m: int8,
      xAfter: xMax.map((v, j) => (int8.outlier[j] ? 0 : v)),
      wAfter: wMax.map((v, j) => (int8.outlier[j] ? 0 : v)),
    },
    smoothquant: {
      m: refQuantizedProduct(xs, ws, true, ab, wb),
      xAfter: refAbsMax(xs, 0),
      wAfter: refAbsMax(ws, 1),
    },
    rotation: {
      m: refQuantizedProduct(xh, hw, true, ab, wb),
      xAfter: refAbsMax(xh, 0),
      wAfter: refAbsMax(hw, 1),
    },
  };
  const outliers = int8.outlier.reduce((a, b) => a + b, 0);
  const sizes = { tokens: t, channels: c, outputs: o, rotated: n, outliers };
  const methods = OUTLIER_METHODS.map((method): OutlierMethodResult => {
    const { m, xAfter, wAfter } = runs[method];
    const [sq, max] = refErrorSums(y, m.output);
    return {
      method,
      ...outputError(sumSqY, sq, max),
      ...storageBits(method, sizes, ab, wb),
      ...(method === 'llm-int8' ? { floatShare: int8.floatShare } : {}),
      xMaxAfter: xAfter,
      wMaxAfter: wAfter,
    };
  });
  const before = spreadOf(refSpreadSums(x.data));
  const after = spreadOf(refSpreadSums(xh.data));
  const outlierChannels = [...int8.outlier.keys()].filter((j) => int8.outlier[j]);
  return {
    config,
    shape: [t, c, o],
    methods,
    stats: {
      kurtosisBefore: before.kurtosis,
      kurtosisAfterRotation: after.kurtosis,
      maxOverMeanBefore: before.maxOverMean,
      maxOverMeanAfterRotation: after.maxOverMean,
      xMax,
      wMax,
      outlierChannels,
      rotatedChannels: rotatedWidth(c),
    },
  };
}
