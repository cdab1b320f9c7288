/**
 * The seeded linear layer of <quant-outliers>, on jax-js: activations X (tokens × channels) whose
 * values are N(0, 1) except in `outlierChannels` channels, where they are N(0, 1) · `outlierScale`,
 * and weights W (channels × outputs), N(0, 1/channels), so Y = X·W has entries of order 1 on the
 * ordinary channels. With the defaults (6 outlier channels, scale 20, 512 × 512) that is the
 * regime the LLM.int8() paper describes: ordinary |x| ≲ 3.5 (99.95% of them), a handful of feature
 * dimensions that are large in most tokens and peak near 60; none of the ordinary values reaches
 * the threshold 6 (P(|z| > 6) ≈ 2e−9), every outlier channel does.
 *
 * One seed gives four independent streams: X's values, which channels are outliers (the first
 * `outlierChannels` of a seeded permutation), W's values, and the rotation's signs (rotation.ts).
 * The scales reach the kernels as operands: a new outlier scale compiles nothing (issue 21).
 */
import { numpy as np, random, type Array, type Device } from '@jax-js/jax';
import { QuantError } from '../errors.js';
import { upload } from '../upload.js';
import { MAX_SEED } from '../fields.js';
import { keyOf } from '../weights.js';
import { resolveDataConfig, type OutlierDataConfig } from './config.js';

/** The four streams of a seed: X, outlier positions, W, rotation signs (the caller owns them). */
export function outlierStreams(seed: number): [Array, Array, Array, Array] {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED)
    throw new QuantError('invalid-config', `seed = ${seed} is invalid: use an integer from 0 to ${MAX_SEED}`);
  // The key from data, not random.key(seed): a seed compiled in as a constant would leak a kernel.
  const key = keyOf(seed);
  // Spread, not destructure: a destructuring pattern stops jax-js's iterator early and leaks.
  const [x, positions, w, signs] = [...random.split(key, 4)];
  return [x, positions, w, signs];
}

export interface OutlierData {
  /** [tokens, channels] row-major. */
  x: Float32Array;
  /** [channels, outputs] row-major. */
  w: Float32Array;
  /** The outlier channels, ascending. */
  outlierChannels: number[];
  config: OutlierDataConfig;
}

function scalar(value: number, device: Device): Array {
  return upload(Float32Array.of(value), [], device);
}

/** Generates X, W and the outlier channels on jax-js's default device (read back: the caller owns them). */
export async function generateOutlierData(partial: Partial<OutlierDataConfig> = {}): Promise<OutlierData> {
  const config = resolveDataConfig(partial);
  const { tokens, channels, outputs, outlierChannels, outlierScale } = config;
  const [kx, kPositions, kw, kSigns] = outlierStreams(config.seed);
  kSigns.dispose();
  // The rank of each channel in a seeded permutation: the lowest `outlierChannels` ranks are outliers.
  const rank = np.argsort(np.argsort(random.uniform(kPositions, [channels])));
  const device = rank.device;
  const outlier = rank.astype(np.float32).less(scalar(outlierChannels, device)).reshape([1, channels]);
  const z = random.normal(kx, [tokens, channels]);
  const x = z.mul(np.where(outlier.ref, scalar(outlierScale, device), 1));
  const w = random.normal(kw, [channels, outputs]).mul(scalar(Math.fround(1 / Math.sqrt(channels)), device));
  const [xs, ws, mask] = await Promise.all([x.data(), w.data(), outlier.astype(np.int32).data()]);
  const picked: number[] = [];
  (mask as Int32Array).forEach((m, c) => m && picked.push(c));
  return { x: xs as Float32Array, w: ws as Float32Array, outlierChannels: picked, config };
}
