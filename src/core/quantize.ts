/**
 * The quantization engine on jax-js (SPEC §3). Every function consumes the
 * arrays it is given; callers pass `.ref` for what they keep. Float steps are
 * float32 and match `reference.ts` exactly; sums are float64 where the device
 * has it, so stats are exact to ~1e-12 rather than float32's ~1e-5 at 1M values.
 */
import { numpy as np, type Array, type Device } from '@jax-js/jax';
import { isRagged, rowPadding, type Blocks } from './blocks.js';
import { codeRange, type QuantConfig } from './config.js';
import { MIN_SCALE, MSE_ALPHAS } from './reference.js';
import type { QuantResult } from './result.js';
import { roundHalfEven } from './round.js';
import { upload } from './upload.js';
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

/**
 * Values [rows, cols] (consumed) in the block layout [groups, length]. A row
 * whose length is not a multiple of the block length is padded with zeros to
 * fill its last block: for everything but percentile calibration that is the
 * same as a shorter block, since every clip range includes 0, 0 quantizes to
 * exactly 0 (error 0, never clipped) and stochastic rounding keeps it at 0
 * (floor(0 + u) = 0). The padding is a view; no values move.
 */
export function toBlocks(x: Array, blocks: Blocks): Array {
  const pad = rowPadding(blocks);
  const rows = pad
    ? np.pad(x, [
        [0, 0],
        [0, pad],
      ])
    : x;
  return rows.reshape([blocks.groups, blocks.length]);
}

/** The inverse of toBlocks: [groups, length] (consumed) → the n values, padding dropped. */
export function fromBlocks(y: Array, blocks: Blocks): Array {
  const { rows, cols, perRow, length } = blocks;
  if (!isRagged(blocks)) return y.reshape([rows * cols]);
  return y
    .reshape([rows, perRow * length])
    .slice([], [0, cols])
    .reshape([rows * cols]);
}

/** [groups, 1]: true for the last block of each row (the shorter one, in a ragged layout). */
function lastOfRow(blocks: Blocks): Array {
  const { rows, perRow, groups } = blocks;
  const last = np
    .arange(perRow)
    .equal(perRow - 1)
    .reshape([1, perRow, 1]);
  return np.broadcastTo(last, [rows, perRow, 1]).reshape([groups, 1]);
}

/** [groups, length]: true where the block layout holds a value, false on padding. */
function realValues(blocks: Blocks): Array {
  const { rows, cols, perRow, length, groups } = blocks;
  const real = np
    .arange(perRow * length)
    .less(cols)
    .reshape([1, perRow, length]);
  return np.broadcastTo(real, [rows, perRow, length]).reshape([groups, length]);
}

/** The percentiles a percentile calibration takes: of |x| for symmetric, both tails for affine. */
function percentilesOf(config: QuantConfig): number[] {
  const p = config.percentile;
  return config.scheme === 'symmetric' ? [p] : [100 - p, p];
}

/** Block lengths a percentile is taken over: a ragged layout's last block has `tail` values. */
function countsOf(blocks: Blocks): number[] {
  return isRagged(blocks) ? [blocks.tail, blocks.length] : [blocks.length];
}

/**
 * What percentile calibration reads from each sorted block, as numbers the quantizer takes at run
 * time (SPEC §3: numpy's "linear" method): for each percentile and block length, the positions i
 * and j of the two neighbours and the float32 weight of j. A continuous `percentile` then never
 * reaches a kernel as a constant: jax-js compiles one kernel per distinct constant and keeps it for
 * the page's life (issue 21). Indices are exact in float32: a block holds at most 2^22 values.
 */
export function percentilePicks(config: QuantConfig, blocks: Blocks): Float32Array {
  const picks: number[] = [];
  for (const p of percentilesOf(config)) {
    for (const count of countsOf(blocks)) {
      const pos = (p / 100) * (count - 1);
      const i = Math.floor(pos);
      picks.push(i, Math.min(i + 1, count - 1), pos - i);
    }
  }
  return Float32Array.from(picks);
}

/** sorted[:, i] + (sorted[:, j] − sorted[:, i]) · w per row of [G, L], from picks[at..at+3). */
function percentileOfSorted(sorted: Array, picks: Array, at: number): Array {
  const pick = (k: number) => picks.ref.slice([at + k, at + k + 1]);
  const a = np.take(sorted.ref, pick(0).astype(np.int32), 1);
  const b = np.take(sorted, pick(1).astype(np.int32), 1);
  return a.ref.add(b.sub(a).mul(pick(2)));
}

/**
 * Percentiles of each block of `v` [G, L] (consumed) over the block's own values, one [G, 1] per
 * percentile of percentilesOf (picks, from percentilePicks, consumed). In a ragged layout the
 * padding is set to +Infinity before the sort, so each block's own values come first; a row's
 * last block then takes its percentile at the positions of its `tail` values, the others at those
 * of `length`.
 */
function blockPercentiles(
  v: Array,
  picks: Array,
  config: QuantConfig,
  blocks: Blocks,
  presorted: Array | null = null,
): Array[] {
  const counts = countsOf(blocks).length;
  const ps = percentilesOf(config).map((_, k) => 3 * counts * k);
  let out: Array[];
  if (!isRagged(blocks)) {
    const sorted = presorted ?? np.sort(v.ref, 1);
    v.dispose();
    out = ps.map((at) => percentileOfSorted(sorted.ref, picks, at));
    sorted.dispose();
  } else {
    const sorted = presorted ?? sortedBlocks(v.ref, blocks);
    v.dispose();
    const last = lastOfRow(blocks);
    out = ps.map((at) =>
      // The full-length pick of a short block may read padding (NaN from ∞ − ∞); `where` drops it.
      np.where(
        last.ref,
        percentileOfSorted(sorted.ref, picks, at),
        percentileOfSorted(sorted.ref, picks, at + 3),
      ),
    );
    sorted.dispose();
    last.dispose();
  }
  picks.dispose();
  return out;
}

/** Each block of v [G, L] (consumed) sorted, a ragged layout's padding as +Infinity at the end. */
function sortedBlocks(v: Array, blocks: Blocks): Array {
  return np.sort(isRagged(blocks) ? np.where(realValues(blocks), v, Infinity) : v, 1);
}

/**
 * What percentile calibration sorts, sorted (the caller owns it): each block of x (the n values,
 * consumed) in the layout of `blocks`, of |x| for symmetric. It depends on neither the bits nor
 * the percentile, so a session sorts once per weights and layout and passes it to
 * quantizeTraced (`presorted`): a sort of 1M values costs ~100 ms on wasm.
 */
export function percentileSorted(x: Array, config: QuantConfig, blocks: Blocks): Array {
  const xb = toBlocks(x.reshape([blocks.rows, blocks.cols]), blocks);
  return sortedBlocks(config.scheme === 'symmetric' ? np.abs(xb) : xb, blocks);
}

/**
 * Clip range of each block of x [G, L] (zero-padded, see toBlocks) from minmax or percentile
 * calibration; `picks` (percentile only, consumed) as percentilePicks gives them, and `presorted`
 * (consumed) what percentileSorted gives, if the caller has it.
 */
function blockRange(
  x: Array,
  picks: Array | null,
  config: QuantConfig,
  blocks: Blocks,
  presorted: Array | null = null,
): Range {
  const keep = { keepdims: true };
  const percentile = config.calibration === 'percentile';
  if (config.scheme === 'symmetric') {
    if (percentile)
      return { lo: null, hi: blockPercentiles(np.abs(x), picks as Array, config, blocks, presorted)[0] };
    // max|x| = max(max x, −min x), exactly: two plain reductions run several times faster than
    // one over abs in jax-js 0.1.25 (see errorSums).
    return { lo: null, hi: np.maximum(x.ref.max(1, keep), x.min(1, keep).neg()) };
  }
  if (percentile) {
    const [low, high] = blockPercentiles(x, picks as Array, config, blocks, presorted);
    return { lo: np.minimum(low, 0), hi: np.maximum(high, 0) };
  }
  return { lo: np.minimum(x.ref.min(1, keep), 0), hi: np.maximum(x.max(1, keep), 0) };
}

/**
 * The run-time operand of a config's calibration on `device` (see calibrated; the caller owns it):
 * MSE_ALPHAS for mse, percentilePicks for percentile, null for minmax and the other formats.
 */
export function calibrationOperand(config: QuantConfig, blocks: Blocks, device: Device): Array | null {
  if (config.format !== 'int' || config.calibration === 'minmax') return null;
  const values =
    config.calibration === 'mse' ? Float32Array.from(MSE_ALPHAS) : percentilePicks(config, blocks);
  return upload(values, [values.length], device);
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
export function wide(x: Array, wideSums: boolean): Array {
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
 * [Σe², Σ|e|, max|e|, Σx², clipped count] of e = x − dequantized over the block layout (consumes
 * its arguments; `clipped` is a bool mask). Sums over the padded layout equal those over the n
 * values: padding adds 0 to each.
 */
export function errorSums(xb: Array, dequantized: Array, clipped: Array, wideSums: boolean): Array {
  const signal = wide(xb, wideSums);
  const err = signal.ref.sub(wide(dequantized, wideSums));
  const sumType = err.dtype;
  const squared = err.ref.mul(err.ref);
  // In float64, |e| = sqrt(fl(e²)) exactly (radix 2, round to nearest, and e² of a float32
  // difference neither under- nor overflows), and max|e| = sqrt(max e²): a reduction whose body
  // is abs (a select) runs ~6× slower in jax-js 0.1.25 than one with sqrt (issue 20).
  // Per block first, then over the blocks: ~25% faster than one reduction over everything in
  // jax-js 0.1.25 wasm (the per-row reductions run in parallel).
  const total = (a: Array) => (a.ndim > 1 ? a.sum(-1).sum() : a.sum());
  const top = (a: Array) => (a.ndim > 1 ? a.max(-1).max() : a.max());
  const [sumAbs, maxAbs] = wideSums
    ? [total(np.sqrt(squared.ref)), np.sqrt(top(squared.ref))]
    : [total(np.abs(err.ref)), top(np.abs(err.ref))];
  err.dispose();
  return np.stack([
    total(squared),
    sumAbs,
    maxAbs,
    total(signal.ref.mul(signal)),
    total(clipped.astype(np.float32)).astype(sumType),
  ]);
}

/** QuantStats from errorSums' five numbers, for `groups` blocks over the values of `shape`. */
export function statsOfSums(
  sums: ArrayLike<number>,
  config: QuantConfig,
  groups: number,
  shape: readonly number[],
): QuantResult['stats'] {
  return finishStats(
    {
      n: blocksCount(shape),
      sumSqError: sums[0],
      sumAbsError: sums[1],
      maxAbsError: sums[2],
      sumSqSignal: sums[3],
      clipped: sums[4],
    },
    config,
    groups,
  );
}

/**
 * errorSums from a quantization's flat outputs (x, dequantized and the int32 clip mask, [n] each,
 * consumed) rather than inside it: the same sums over the same block layout (padding adds 0 to
 * each), computed when a caller wants the statistics later than the arrays (QuantizeOptions).
 */
export function errorSumsOf(
  x: Array,
  dequantized: Array,
  mask: Array,
  blocks: Blocks,
  wideSums: boolean,
): Array {
  const grid = [blocks.rows, blocks.cols];
  const inBlocks = (a: Array) => toBlocks(a.reshape(grid), blocks);
  return errorSums(inBlocks(x), inBlocks(dequantized), inBlocks(mask).greater(0), wideSums);
}

/**
 * What the quantizer leaves on the device: codes (int32), dequantized, scale,
 * zero-point (int32), sums, and the clip mask (int32) when asked for.
 */
export type QuantOutputs = [Array, Array, Array, Array, Array] | [Array, Array, Array, Array, Array, Array];

/**
 * x (the n values) and its noise in the block layout, and each block's clip range from the
 * config's calibration (all consumed: x, `operand`, `noise`). `operand` is what the calibration
 * takes at run time (calibrationOperand): MSE_ALPHAS for mse, percentilePicks for percentile, null
 * for minmax. `wideSums` as the session's (hasFloat64): the sums that rank MSE's α must agree.
 */
function calibrated(
  x: Array,
  operand: Array | null,
  noise: Array | null,
  config: QuantConfig,
  blocks: Blocks,
  wideSums: boolean,
  presorted: Array | null = null,
): { xb: Array; u: Array | null; range: Range } {
  const grid = [blocks.rows, blocks.cols];
  const xb = toBlocks(x.reshape(grid), blocks);
  // Padding gets u = 0 (any u would do: floor(0 + u) = 0); each value keeps its own draw.
  const u = noise ? toBlocks(noise.reshape(grid), blocks) : null;
  const mse = config.calibration === 'mse';
  let range = blockRange(xb.ref, mse ? null : operand, config, blocks, presorted);
  if (mse) range = mseRange(xb.ref, range, config, u?.ref ?? null, operand as Array, wideSums);
  return { xb, u, range };
}

/**
 * The whole quantization as jax-js ops, with no await: x (the n values, any
 * shape), the calibration's `operand` (see calibrated) and `noise` (u ∈ [0, 1) per value,
 * stochastic only, the same shape as x), all consumed; `blocks` is x's layout.
 * Codes, dequantized values and the clip mask come back flat [n]; scale and
 * zero-point one per block [groups, 1]. Runs eagerly or traced under jit.
 */
export function quantizeTraced(
  x: Array,
  operand: Array | null,
  noise: Array | null,
  config: QuantConfig,
  blocks: Blocks,
  wideSums: boolean,
  clipMask = false,
  presorted: Array | null = null,
): QuantOutputs {
  const { qmin, qmax } = codeRange(config.bits, config.scheme);
  const { xb, u, range } = calibrated(x, operand, noise, config, blocks, wideSums, presorted);
  const p = paramsFor(range, config);
  const raw = rawCodes(xb.ref, p, config, u);
  const clipped = np.logicalOr(raw.ref.less(qmin), raw.ref.greater(qmax));
  const mask = clipMask ? clipped.ref : null;
  const codes = np.clip(raw, qmin, qmax);
  const dequantized = dequantize(codes.ref, p);
  const sums = errorSums(xb, dequantized.ref, clipped, wideSums);
  const outputs: QuantOutputs = [
    fromBlocks(codes.astype(np.int32), blocks),
    fromBlocks(dequantized, blocks),
    p.scale,
    p.zeroPoint.astype(np.int32),
    sums,
  ];
  return clipMask ? [...outputs, fromBlocks(mask!.astype(np.int32), blocks)] : outputs;
}

/**
 * The quantize–dequantize of quantizeTraced alone, for quantization-aware training: x (the n
 * values), `operand` and `noise` as there (consumed). Returns the dequantized values and each
 * value's block clip range [lo, hi] (the calibration range, −hi for symmetric), all flat [n]. The
 * dequantized values are the same ops as quantizeTraced's, so they match QuantSession exactly.
 */
export function fakeQuantizeTraced(
  x: Array,
  operand: Array | null,
  noise: Array | null,
  config: QuantConfig,
  blocks: Blocks,
  wideSums: boolean,
): [Array, Array, Array] {
  const { qmin, qmax } = codeRange(config.bits, config.scheme);
  const { xb, u, range } = calibrated(x, operand, noise, config, blocks, wideSums);
  const p = paramsFor({ lo: range.lo?.ref ?? null, hi: range.hi.ref }, config);
  const dequantized = dequantize(np.clip(rawCodes(xb, p, config, u), qmin, qmax), p);
  disposeParams(p);
  const shape = [blocks.groups, blocks.length];
  const hi = np.broadcastTo(range.hi, shape);
  const lo = range.lo ? np.broadcastTo(range.lo, shape) : hi.ref.neg();
  return [fromBlocks(dequantized, blocks), fromBlocks(lo, blocks), fromBlocks(hi, blocks)];
}

function blocksCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
