/**
 * Plain typed-array implementation of SPEC §3, the oracle the jax-js engine is
 * tested against. Every float step is rounded to float32 with Math.fround so
 * that codes match the engine exactly; sums are float64 (the exact answer).
 */
import { blockSpan, blocksFor, type Blocks } from './blocks.js';
import { codeRange, resolveConfig, type QuantConfig } from './config.js';
import { checkFinite, toFloat32 } from './data.js';
import type { QuantResult } from './result.js';
import { finishStats } from './stats.js';
// A cycle, but only through functions called later: neither module runs the other's code on load.
import { referenceFormat } from './formats/reference.js';
import { FORMAT_SPECS, formatRange, levelsOf } from './formats/tables.js';

const f = Math.fround;

/**
 * Division as jax-js computes it: a · fl(1/b). PyTorch's quantize kernels do the
 * same (`value * inv_scale`); it differs from a correctly rounded a / b by at
 * most one float32 ulp.
 */
export function div32(a: number, b: number): number {
  return f(a * f(1 / b));
}

export function roundHalfEven(v: number): number {
  const fl = Math.floor(v);
  const d = v - fl;
  if (d > 0.5) return fl + 1;
  if (d < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

/** numpy's "linear" percentile of an ascending array, in float32 steps. */
export function percentileSorted(sorted: Float32Array, p: number): number {
  const pos = (p / 100) * (sorted.length - 1);
  const i = Math.floor(pos);
  const t = f(pos - i);
  const a = sorted[i];
  const b = sorted[Math.min(i + 1, sorted.length - 1)];
  return f(a + f(f(b - a) * t));
}

/**
 * Smallest scale: the smallest normal float32 (2^−126). A range of subnormal
 * width would give a subnormal scale whose reciprocal overflows to Infinity.
 */
export const MIN_SCALE = 2 ** -126;

export interface Params {
  scale: number;
  zeroPoint: number;
}

/** Range → scale and zero-point. `lo ≤ 0 ≤ hi` for affine; `hi` is max|x| for symmetric. */
function paramsFor(lo: number, hi: number, config: QuantConfig): Params {
  const { qmin, qmax } = codeRange(config.bits, config.scheme);
  if (config.scheme === 'symmetric') {
    return { scale: hi === 0 ? 1 : Math.max(div32(hi, qmax), MIN_SCALE), zeroPoint: 0 };
  }
  const scale = hi === lo ? 1 : Math.max(div32(f(hi - lo), qmax - qmin), MIN_SCALE);
  const z = qmin - roundHalfEven(div32(lo, scale));
  return { scale, zeroPoint: Math.min(Math.max(z, qmin), qmax) };
}

/** Unclamped code of one value (zero-point added); `u` is the stochastic draw. */
export function rawCode(x: number, p: Params, rounding: QuantConfig['rounding'], u: number): number {
  const v = div32(x, p.scale);
  let r: number;
  if (rounding === 'half-even') r = roundHalfEven(v);
  else if (rounding === 'half-up') r = Math.floor(f(v + 0.5));
  else r = Math.floor(f(v + u));
  return f(r + p.zeroPoint);
}

/**
 * Clip range of one block from its own values. For a row's shorter last group
 * this equals the range of the zero-padded group for minmax (and so for mse,
 * whose candidates scale it), since every range includes 0; a percentile is
 * taken over the group's own values only, never over padding.
 */
function blockRange(xs: Float32Array, config: QuantConfig): [number, number] {
  const symmetric = config.scheme === 'symmetric';
  if (config.calibration === 'percentile') {
    if (symmetric) {
      const abs = Float32Array.from(xs, Math.abs).sort();
      return [0, percentileSorted(abs, config.percentile)];
    }
    const sorted = Float32Array.from(xs).sort();
    const low = percentileSorted(sorted, 100 - config.percentile);
    const high = percentileSorted(sorted, config.percentile);
    return [Math.min(low, 0), Math.max(high, 0)];
  }
  let lo = 0;
  let hi = 0;
  for (const v of xs) {
    if (symmetric) hi = Math.max(hi, Math.abs(v));
    else {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return [lo, hi];
}

/** α from 1.00 down to 0.01; the first strictly smaller MSE wins, so ties keep the wider range. */
export const MSE_ALPHAS: readonly number[] = Array.from({ length: 100 }, (_, i) => f((100 - i) / 100));

function blockParams(xs: Float32Array, us: Float32Array, config: QuantConfig): Params {
  const [lo, hi] = blockRange(xs, config);
  if (config.calibration !== 'mse') return paramsFor(lo, hi, config);
  const { qmin, qmax } = codeRange(config.bits, config.scheme);
  let best = paramsFor(lo, hi, config);
  let bestErr = Infinity;
  for (const a of MSE_ALPHAS) {
    const p = paramsFor(f(a * lo), f(a * hi), config);
    let err = 0;
    for (let i = 0; i < xs.length; i++) {
      const q = Math.min(Math.max(rawCode(xs[i], p, config.rounding, us[i]), qmin), qmax);
      const e = xs[i] - f(p.scale * f(q - p.zeroPoint));
      err += e * e;
    }
    if (err < bestErr) {
      bestErr = err;
      best = p;
    }
  }
  return best;
}

/**
 * Reference quantization. `noise` holds the u ∈ [0, 1) of stochastic rounding
 * (the engine's own noise, so both sides round the same draws).
 */
export function referenceQuantize(
  data: ArrayLike<number>,
  shape: readonly number[],
  partial: Partial<QuantConfig> = {},
  noise?: Float32Array,
): QuantResult {
  const config = resolveConfig(partial);
  const x = toFloat32(data, shape);
  const blocks = blocksFor(shape, config);
  if (config.format !== 'int') return formatResult(x, shape, config, blocks);
  const { groups } = blocks;
  const { qmin, qmax } = codeRange(config.bits, config.scheme);
  const u = noise ?? new Float32Array(x.length);
  const codes = new Int32Array(x.length);
  const dequantized = new Float32Array(x.length);
  const scale = new Float32Array(groups);
  const zeroPoint = new Int32Array(groups);
  const sums = { n: x.length, sumSqError: 0, sumAbsError: 0, maxAbsError: 0, sumSqSignal: 0, clipped: 0 };
  for (let g = 0; g < groups; g++) {
    const [start, end] = blockSpan(blocks, g);
    const p = blockParams(x.subarray(start, end), u.subarray(start, end), config);
    scale[g] = p.scale;
    zeroPoint[g] = p.zeroPoint;
    for (let i = start; i < end; i++) {
      const raw = rawCode(x[i], p, config.rounding, u[i]);
      if (raw < qmin || raw > qmax) sums.clipped++;
      codes[i] = Math.min(Math.max(raw, qmin), qmax);
      dequantized[i] = f(p.scale * f(codes[i] - p.zeroPoint));
      const e = x[i] - dequantized[i];
      sums.sumSqError += e * e;
      sums.sumAbsError += Math.abs(e);
      sums.maxAbsError = Math.max(sums.maxAbsError, Math.abs(e));
      sums.sumSqSignal += x[i] * x[i];
    }
  }
  const result: QuantResult = {
    codes,
    dequantized,
    scale,
    zeroPoint,
    qmin,
    qmax,
    stats: finishStats(sums, config, groups),
    config,
    shape: [...shape],
    device: 'reference',
  };
  checkFinite(result);
  return result;
}

/** referenceQuantize for a format other than `int` (SPEC §3.1; formats/reference.ts). */
function formatResult(
  x: Float32Array,
  shape: readonly number[],
  config: QuantConfig,
  blocks: Blocks,
): QuantResult {
  const format = config.format as Exclude<QuantConfig['format'], 'int'>;
  const r = referenceFormat(x, config, blocks);
  const result: QuantResult = {
    codes: r.codes,
    dequantized: r.dequantized,
    scale: r.scale,
    zeroPoint: new Int32Array(blocks.groups),
    ...formatRange(format),
    levels: levelsOf(format),
    stats: finishStats(r.sums, config, blocks.groups),
    config,
    shape: [...shape],
    device: 'reference',
  };
  if (FORMAT_SPECS[format].kind === 'mx') result.scaleCodes = r.scaleCodes;
  checkFinite(result);
  return result;
}

/**
 * Histogram binning as src/core/histogram.ts defines it, element by element in
 * float32: bin(x) = clip(floor(fl(fl(x − lo) · fl(bins / (hi − lo)))), 0, bins − 1).
 */
export function referenceHistogram(values: Float32Array, lo: number, hi: number, bins: number): Int32Array {
  const counts = new Int32Array(bins);
  const lo32 = f(lo);
  const factor = f(bins / (hi > lo ? hi - lo : 1));
  for (const v of values) {
    const i = Math.floor(f(f(v - lo32) * factor));
    counts[Math.min(bins - 1, Math.max(0, i))]++;
  }
  return counts;
}
