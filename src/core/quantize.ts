/**
 * The quantization engine on jax-js (SPEC §3). Every function consumes the
 * arrays it is given; callers pass `.ref` for what they keep. Float steps are
 * float32 and match `reference.ts` exactly; sums are float64 where the device
 * has it, so stats are exact to ~1e-12 rather than float32's ~1e-5 at 1M values.
 */
import { numpy as np, type Array, type Device } from '@jax-js/jax';
import { codeRange, type QuantConfig } from './config.js';
import { checkFinite } from './data.js';
import { MIN_SCALE, MSE_ALPHAS } from './reference.js';
import type { QuantResult } from './result.js';
import { roundHalfEven } from './round.js';
import { finishStats } from './stats.js';

/** Per-block clip range, shape [..., G, 1]. `lo` is null for symmetric (range is ±hi). */
interface Range {
  lo: Array | null;
  hi: Array;
}

interface Params {
  scale: Array;
  zeroPoint: Array;
}

/** numpy "linear" percentile along the last axis of an ascending [G, L] array. */
function percentileOfSorted(sorted: Array, p: number): Array {
  const length = sorted.shape[1];
  const pos = (p / 100) * (length - 1);
  const i = Math.floor(pos);
  const j = Math.min(i + 1, length - 1);
  const a = sorted.ref.slice([], [i, i + 1]);
  const b = sorted.slice([], [j, j + 1]);
  return a.ref.add(b.sub(a).mul(Math.fround(pos - i)));
}

/** Clip range of each block of x [G, L] from minmax or percentile calibration. */
function blockRange(x: Array, config: QuantConfig): Range {
  const keep = { keepdims: true };
  if (config.scheme === 'symmetric') {
    const abs = np.abs(x);
    if (config.calibration === 'percentile')
      return { lo: null, hi: percentileOfSorted(np.sort(abs, 1), config.percentile) };
    return { lo: null, hi: abs.max(1, keep) };
  }
  if (config.calibration === 'percentile') {
    const sorted = np.sort(x, 1);
    const low = percentileOfSorted(sorted.ref, 100 - config.percentile);
    const high = percentileOfSorted(sorted, config.percentile);
    return { lo: np.minimum(low, 0), hi: np.maximum(high, 0) };
  }
  return { lo: np.minimum(x.ref.min(1, keep), 0), hi: np.maximum(x.max(1, keep), 0) };
}

/** Scale and zero-point from a clip range; degenerate ranges get scale 1. */
function paramsFor(range: Range, config: QuantConfig): Params {
  const { qmin, qmax } = codeRange(config.bits, config.scheme);
  const { lo, hi } = range;
  if (lo === null) {
    const scale = np.where(hi.ref.equal(0), 1, np.maximum(hi.div(qmax), MIN_SCALE));
    return { scale, zeroPoint: np.zerosLike(scale.ref) };
  }
  const s = np.maximum(hi.ref.sub(lo.ref).div(qmax - qmin), MIN_SCALE);
  const scale = np.where(hi.equal(lo.ref), 1, s);
  const zeroPoint = np.clip(roundHalfEven(lo.div(scale.ref)).neg().add(qmin), qmin, qmax);
  return { scale, zeroPoint };
}

/** Unclamped codes round(x / scale) + zp as float32 (consumes x and noise, borrows params). */
function rawCodes(x: Array, p: Params, config: QuantConfig, noise: Array | null): Array {
  const v = x.div(p.scale.ref);
  let r: Array;
  if (config.rounding === 'half-even') r = roundHalfEven(v);
  else if (config.rounding === 'half-up') r = np.floor(v.add(0.5));
  else r = np.floor(v.add(noise as Array));
  return r.add(p.zeroPoint.ref);
}

function dequantize(codes: Array, p: Params): Array {
  return codes.sub(p.zeroPoint.ref).mul(p.scale.ref);
}

function disposeParams(p: Params): void {
  p.scale.dispose();
  p.zeroPoint.dispose();
}

/** float64 where the device has it (not WebGPU/WebGL), for sums that must be exact. */
function wide(x: Array, wideSums: boolean): Array {
  return wideSums ? x.astype(np.float64) : x;
}

export function hasFloat64(device: Device): boolean {
  return device === 'wasm' || device === 'cpu';
}

/** Largest number of elements one MSE batch materialises (A candidates × n). */
const MSE_BATCH_ELEMENTS = 1 << 22;

/**
 * MSE calibration: scales the minmax range by the α in `alphas` (MSE_ALPHAS on
 * the device, consumed) with the least squared error, per block. Ties keep the
 * larger α (argmin takes the first).
 */
function mseRange(
  x: Array,
  base: Range,
  config: QuantConfig,
  noise: Array | null,
  alphas: Array,
  wideSums: boolean,
): Range {
  const { qmin, qmax } = codeRange(config.bits, config.scheme);
  const [groups, length] = x.shape;
  const perBatch = Math.max(1, Math.floor(MSE_BATCH_ELEMENTS / (groups * length)));
  const x3 = x.reshape([1, groups, length]);
  const noise3 = noise?.reshape([1, groups, length]) ?? null;
  const errors: Array[] = [];
  for (let start = 0; start < MSE_ALPHAS.length; start += perBatch) {
    const end = Math.min(start + perBatch, MSE_ALPHAS.length);
    const alpha = alphas.ref.slice([start, end]).reshape([end - start, 1, 1]);
    const candidate: Range = {
      lo: base.lo ? base.lo.ref.reshape([1, groups, 1]).mul(alpha.ref) : null,
      hi: base.hi.ref.reshape([1, groups, 1]).mul(alpha),
    };
    const p = paramsFor(candidate, config);
    const raw = rawCodes(x3.ref, p, config, noise3?.ref ?? null);
    const err = wide(x3.ref, wideSums).sub(wide(dequantize(np.clip(raw, qmin, qmax), p), wideSums));
    disposeParams(p);
    errors.push(err.ref.mul(err).sum(2));
  }
  x3.dispose();
  noise3?.dispose();
  const best = np.argmin(np.concatenate(errors, 0), 0);
  const alpha = np.take(alphas, best).reshape([groups, 1]);
  return {
    lo: base.lo ? base.lo.mul(alpha.ref) : null,
    hi: base.hi.mul(alpha),
  };
}

/**
 * What the quantizer leaves on the device: codes (int32), dequantized, scale,
 * zero-point (int32), sums, and the clip mask (int32) when asked for.
 */
export type QuantOutputs = [Array, Array, Array, Array, Array] | [Array, Array, Array, Array, Array, Array];

/**
 * The whole quantization as jax-js ops, with no await: x [G, L] blocks, `alphas`
 * (MSE_ALPHAS, mse only) and `noise` (u ∈ [0, 1) per element, stochastic only),
 * all consumed. Runs eagerly or traced under jit.
 */
export function quantizeTraced(
  x: Array,
  alphas: Array | null,
  noise: Array | null,
  config: QuantConfig,
  wideSums: boolean,
  clipMask = false,
): QuantOutputs {
  const { qmin, qmax } = codeRange(config.bits, config.scheme);
  let range = blockRange(x.ref, config);
  if (config.calibration === 'mse') {
    range = mseRange(x.ref, range, config, noise?.ref ?? null, alphas as Array, wideSums);
  } else {
    alphas?.dispose();
  }
  const p = paramsFor(range, config);
  const raw = rawCodes(x.ref, p, config, noise);
  const clipped = np.logicalOr(raw.ref.less(qmin), raw.ref.greater(qmax));
  const mask = clipMask ? clipped.ref : null;
  const codes = np.clip(raw, qmin, qmax);
  const dequantized = dequantize(codes.ref, p);
  const signal = wide(x, wideSums);
  const err = signal.ref.sub(wide(dequantized.ref, wideSums));
  const sumType = err.dtype;
  const sums = np.stack([
    err.ref.mul(err.ref).sum(),
    np.abs(err.ref).sum(),
    np.abs(err).max(),
    signal.ref.mul(signal).sum(),
    clipped.astype(np.float32).sum().astype(sumType),
  ]);
  const outputs: QuantOutputs = [
    codes.astype(np.int32),
    dequantized,
    p.scale,
    p.zeroPoint.astype(np.int32),
    sums,
  ];
  return clipMask ? [...outputs, mask!.astype(np.int32)] : outputs;
}

/**
 * Reads the outputs back (consumes them) into a QuantResult. `sync` runs the
 * kernels on the calling thread (jax-js dataSync): for small work that beats a
 * round trip to the wasm worker pool per kernel, which queues behind rendering.
 */
export async function readResult(
  outputs: QuantOutputs,
  config: QuantConfig,
  groups: number,
  sync = false,
): Promise<QuantResult> {
  const { qmin, qmax } = codeRange(config.bits, config.scheme);
  const [codes, dequantized, scale, zeroPoint, sums, mask] = sync
    ? outputs.map((a) => a.dataSync())
    : await Promise.all(outputs.map((a) => a.data()));
  const stats = finishStats(
    {
      n: codes.length,
      sumSqError: sums[0],
      sumAbsError: sums[1],
      maxAbsError: sums[2],
      sumSqSignal: sums[3],
      clipped: sums[4],
    },
    config,
    groups,
  );
  const result: QuantResult = {
    codes: codes as Int32Array,
    dequantized: dequantized as Float32Array,
    scale: scale as Float32Array,
    zeroPoint: zeroPoint as Int32Array,
    qmin,
    qmax,
    stats,
  };
  if (mask) result.clipped = Uint8Array.from(mask);
  checkFinite(result);
  return result;
}
