/**
 * Histogram binning on jax-js, for the weight-distribution chart. The bin of
 * each value is computed on the device; the counts are a scatter-add of ones
 * into the bins (the transpose of a gather, so `grad` of `take(...).sum()`),
 * which jax-js runs as a routine: on wasm in its worker pool, off the main
 * thread. No per-element loop in JavaScript on the page's thread.
 * Other devices (jax-js 0.1.25 runs this scatter on its default device only)
 * count with a sort and a vectorised binary search (cpu), or a chunked one-hot
 * compare (GPUs; webgl has no sort).
 *
 * Semantics (float32, as a reference loop would compute them):
 *   bin(x) = clip(floor(fl(fl(x − lo) · fl(bins / (hi − lo)))), 0, bins − 1)
 * so values below `lo` count in the first bin and values above `hi` in the last.
 */
import { defaultDevice, grad, numpy as np, type Array, type Device } from '@jax-js/jax';
import type { DeviceChoice } from './config.js';
import { QuantError } from './errors.js';
import { resolveDevice } from './runtime.js';
import { upload } from './upload.js';

/** Up to this many bins × values, one fused compare and sum counts (the fallback's chunk size). */
const COMPARE_ELEMENTS = 1 << 22;

export const MIN_HISTOGRAM_BINS = 1;
export const MAX_HISTOGRAM_BINS = 4096;

/**
 * Counts of `values` in `bins` equal-width bins over [lo, hi]. Values outside
 * the range count in the first / last bin. Resolves to one count per bin.
 */
export async function histogramCounts(
  values: Float32Array,
  lo: number,
  hi: number,
  bins: number,
  device: DeviceChoice = 'auto',
): Promise<Int32Array> {
  return histogramCountsBy('auto', values, lo, hi, bins, device);
}

/** How the counts are taken: `auto` is scatter where the device has it, else a fallback. */
export type CountMethod = 'auto' | 'scatter' | 'compare' | 'search';

/** histogramCounts with a chosen counting method (for tests and benchmarks). */
export async function histogramCountsBy(
  method: CountMethod,
  values: Float32Array,
  lo: number,
  hi: number,
  bins: number,
  device: DeviceChoice = 'auto',
): Promise<Int32Array> {
  if (!Number.isInteger(bins) || bins < MIN_HISTOGRAM_BINS || bins > MAX_HISTOGRAM_BINS) {
    throw new QuantError(
      'invalid-config',
      `bins must be an integer from ${MIN_HISTOGRAM_BINS} to ${MAX_HISTOGRAM_BINS}`,
    );
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new QuantError('invalid-config', 'histogram range must be finite');
  const n = values.length;
  if (n === 0) return new Int32Array(bins);
  const width = hi > lo ? hi - lo : 1;
  const dev = await resolveDevice(device);
  // Uploaded (not inlined) so jax-js keeps the float32 steps instead of folding the constants.
  const params = upload(Float32Array.of(lo, bins / width), [2], dev);
  const offset = params.ref.slice([0, 1]);
  const factor = params.slice([1, 2]);
  const x = upload(values, [n], dev);
  const index = np.clip(np.floor(x.sub(offset).mul(factor)), 0, bins - 1);
  const run = { scatter: scatterCounts, compare: compareCounts, search: searchCounts };
  try {
    return await firstSupported(
      countMethods(method, dev, n, bins).map((m) => () => run[m](index.ref, bins, dev)),
    );
  } finally {
    index.dispose();
  }
}

/**
 * The ways to count on a device, best first. Never scatter unless asked: 0.1.25's
 * `grad` (vjp → partialEvalFlat) pushes a trace onto jax-js's trace stack and never
 * pops it, ~110 bytes of heap per call for the page's life (two per histogram view).
 * Scatter also runs on jax-js's default device only (its cotangent is built there).
 * Sort is a CPU routine (wasm, cpu); on a GPU a chunked compare beats a device sort.
 */
function countMethods(
  method: CountMethod,
  dev: Device,
  n: number,
  bins: number,
): Exclude<CountMethod, 'auto'>[] {
  if (method !== 'auto') return [method];
  const cpuLike = dev === 'wasm' || dev === 'cpu';
  return [...(cpuLike && n * bins > COMPARE_ELEMENTS ? (['search'] as const) : []), 'compare'];
}

/**
 * Runs `ways` in order until one succeeds. A way that fails because the device
 * lacks a routine or op it needs passes to the next; any other failure (and
 * the last way's) rejects.
 */
export async function firstSupported<T>(ways: readonly (() => Promise<T>)[]): Promise<T> {
  for (const [i, way] of ways.entries()) {
    try {
      return await way();
    } catch (e) {
      if (i === ways.length - 1 || !lacksRoutine(e)) throw e;
    }
  }
  throw new Error('firstSupported: no way given');
}

/**
 * Whether `e` is jax-js saying this backend cannot run a routine or an op
 * (its UnsupportedRoutineError / UnsupportedOpError, which it does not export:
 * "routine 'Sort' is not supported in webgl backend", "… not supported in wasm
 * backend"). Anything else is a real failure, not a reason to try another way.
 */
export function lacksRoutine(e: unknown): boolean {
  return e instanceof Error && / not supported in \w+ backend\b/.test(e.message);
}

/** bincount: scatter-add of ones at each bin index [n] (consumed). */
async function scatterCounts(index: Array, bins: number, device: Device): Promise<Int32Array> {
  if (device !== defaultDevice()) {
    index.dispose();
    throw new QuantError('runtime', `scatter counting runs on jax-js's default device only, not ${device}`);
  }
  const idx = index.astype(np.int32);
  try {
    const counts = grad((c: Array) => np.take(c, idx.ref).sum())(np.zeros([bins], { device }));
    // float32 sums of ones are exact up to 2^24, above the kit's 4,194,304-element limit.
    return Int32Array.from((await counts.data()) as Float32Array);
  } finally {
    idx.dispose();
  }
}

/** Counts by comparing every bin index [n] (consumed) with each bin, a chunk of bins per fused pass. */
async function compareCounts(index: Array, bins: number, device: Device): Promise<Int32Array> {
  const n = index.size;
  const row = index.reshape([1, n]);
  const perChunk = Math.max(1, Math.min(bins, Math.floor(COMPARE_ELEMENTS / n)));
  const parts: Array[] = [];
  for (let start = 0; start < bins; start += perChunk) {
    const count = Math.min(perChunk, bins - start);
    const ids = upload(
      Float32Array.from({ length: count }, (_, k) => start + k),
      [count, 1],
      device,
    );
    parts.push(np.equal(row.ref, ids).astype(np.float32).sum(1));
  }
  row.dispose();
  const counts = parts.length === 1 ? parts[0] : np.concatenate(parts, 0);
  return Int32Array.from((await counts.data()) as Float32Array);
}

/** Counts from the sorted bin indices [n] (consumed): for each k, the first position ≥ k. */
async function searchCounts(index: Array, bins: number, device: Device): Promise<Int32Array> {
  const n = index.size;
  const sorted = np.sort(index);
  const targets = upload(
    Float32Array.from({ length: bins + 1 }, (_, k) => k),
    [bins + 1],
    device,
  );
  let low = np.zerosLike(targets.ref);
  let high = np.fullLike(targets.ref, n);
  for (let step = 0; step < Math.ceil(Math.log2(n + 1)); step++) {
    const mid = np.floor(low.ref.add(high.ref).mul(0.5));
    const value = np.take(sorted.ref, np.minimum(mid.ref, n - 1).astype(np.int32));
    const below = np.logicalAnd(value.less(targets.ref), low.ref.less(high.ref));
    low = np.where(below.ref, mid.ref.add(1), low);
    high = np.where(below, high, mid);
  }
  sorted.dispose();
  targets.dispose();
  high.dispose();
  const positions = (await low.data()) as Float32Array;
  const counts = new Int32Array(bins);
  for (let k = 0; k < bins; k++) counts[k] = positions[k + 1] - positions[k];
  return counts;
}
