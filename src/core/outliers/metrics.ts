/**
 * What <quant-outliers> reports, from plain numbers: the output error of Y' against float Y, the
 * kurtosis and peak-to-mean ratio of X, and the honest storage cost of each method. Shared by the
 * jax-js session and the typed-array reference, so both finish their sums the same way.
 */
import type { OutlierMethod } from './config.js';

export interface OutputError {
  /** 10·log10(ΣY² / Σ(Y − Y')²); Infinity when the error is 0. */
  sqnrDb: number;
  /** ‖Y − Y'‖_F / ‖Y‖_F (0 when both are 0, Infinity when only Y is). */
  relError: number;
  maxAbsError: number;
}

export function outputError(sumSqY: number, sumSqError: number, maxAbsError: number): OutputError {
  const sqnrDb = sumSqError === 0 ? Infinity : 10 * Math.log10(sumSqY / sumSqError);
  const relError = sumSqError === 0 ? 0 : Math.sqrt(sumSqError / sumSqY);
  return { sqnrDb, relError, maxAbsError };
}

export interface Spread {
  /** m4 / m2² over every value (3 for a normal distribution); null when X is constant. */
  kurtosis: number | null;
  /** max |x| / mean |x|; null when X is all zeros. */
  maxOverMean: number | null;
}

/** From spreadSums' [m2, m4, max|x|, mean|x|]. */
export function spreadOf(sums: ArrayLike<number>): Spread {
  const [m2, m4, max, meanAbs] = Array.from(sums);
  return { kurtosis: m2 > 0 ? m4 / (m2 * m2) : null, maxOverMean: meanAbs > 0 ? max / meanAbs : null };
}

/** The layer's sizes: tokens T, channels C, outputs O, the rotation's padded width n, outlier channels k. */
export interface LayerSizes {
  tokens: number;
  channels: number;
  outputs: number;
  rotated: number;
  outliers: number;
}

export interface StorageBits {
  /** All bits of X's quantized form (codes, scales, float16 values, indices) over T·C. */
  bitsPerActivation: number;
  /** The same for W over C·O. */
  bitsPerWeight: number;
  /** Both operands' bits over T·C + C·O values. */
  bitsPerValue: number;
}

/** Bits of the indices of k channels among C. */
function indexBits(k: number, channels: number): number {
  return k * Math.max(1, Math.ceil(Math.log2(channels)));
}

/**
 * Every bit a method stores, per original value (a float32 scale is 32 bits):
 * - naive: the codes and one scale per operand;
 * - per-token, smoothquant: the codes, a scale per token of X and per output of W (SmoothQuant's s
 *   is folded into W and into the layer before X, as the paper deploys it: no bits at run time);
 * - llm-int8: the k outlier channels' values in 16 bits instead of codes, the others' codes, the
 *   scales, and the k channel indices (counted with X, which decides them at run time);
 * - rotation: the codes of the n padded channels (padding is stored), the scales, and D's n sign
 *   bits (H_n itself is computed, not stored; counted with W).
 */
export function storageBits(
  method: OutlierMethod,
  sizes: LayerSizes,
  activationBits: number,
  weightBits: number,
): StorageBits {
  const { tokens: t, channels: c, outputs: o, rotated: n, outliers: k } = sizes;
  let x: number;
  let w: number;
  if (method === 'naive') {
    x = t * c * activationBits + 32;
    w = c * o * weightBits + 32;
  } else if (method === 'llm-int8') {
    x = t * (c - k) * activationBits + t * k * 16 + 32 * t + indexBits(k, c);
    w = (c - k) * o * weightBits + k * o * 16 + 32 * o;
  } else if (method === 'rotation') {
    x = t * n * activationBits + 32 * t;
    w = n * o * weightBits + 32 * o + n;
  } else {
    x = t * c * activationBits + 32 * t;
    w = c * o * weightBits + 32 * o;
  }
  return {
    bitsPerActivation: x / (t * c),
    bitsPerWeight: w / (c * o),
    bitsPerValue: (x + w) / (t * c + c * o),
  };
}
