/**
 * Seeded weight generators and the stochastic-rounding noise, on jax-js.
 * One seed gives three independent streams: values, outlier positions, noise.
 */
import { numpy as np, random, type Array, type Device } from '@jax-js/jax';
import { DISTRIBUTIONS, type Distribution } from './config.js';
import { QuantError } from './errors.js';
import { CONFIG_FIELDS, WEIGHT_FIELDS } from './fields.js';
import { upload } from './upload.js';

export interface WeightOptions {
  /** Standard deviation of the generated weights (every distribution). */
  std?: number;
  seed?: number;
}

/** Share of `outliers` weights that are multiplied by OUTLIER_FACTOR. */
export const OUTLIER_SHARE = 0.001;
export const OUTLIER_FACTOR = 20;

/** The 32-bit word a seed keys (SPEC §2.1: any integer, used modulo 2^32; −1 is 4294967295). */
export function seedWord(seed: number): number {
  const word = seed % 2 ** 32;
  return word < 0 ? word + 2 ** 32 : word;
}

/**
 * random.key(seed)'s key [0, word], built from data: random.key stacks the seed as a constant,
 * and jax-js compiles (and keeps for the page's life) one kernel per distinct constant.
 */
function keyOf(seed: number): Array {
  return np.array(Uint32Array.of(0, seedWord(seed)));
}

/** A float32 scalar operand (not a constant folded into a kernel, as `keyOf` says why). */
function scalar(value: number, device: Device): Array {
  return upload(Float32Array.of(value), [], device);
}

function streams(seed: number): [Array, Array, Array] {
  // Spread, not destructure: a destructuring pattern stops jax-js's iterator
  // early, and the split array it would dispose at the end leaks.
  const [values, positions, noise] = [...random.split(keyOf(seed), 3)];
  return [values, positions, noise];
}

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed))
    throw new QuantError('invalid-config', `seed must be an integer, got ${seed}`);
}

/** n weights of a distribution with standard deviation `std`, reproducible from `seed`. */
export async function generateWeights(
  distribution: Distribution,
  n: number,
  { std = WEIGHT_FIELDS.std.default, seed = CONFIG_FIELDS.seed.default }: WeightOptions = {},
): Promise<Float32Array> {
  if (!DISTRIBUTIONS.includes(distribution)) {
    throw new QuantError('invalid-config', `distribution must be one of ${DISTRIBUTIONS.join(', ')}`);
  }
  if (!(std > 0) || !Number.isFinite(std))
    throw new QuantError('invalid-config', `std must be a positive number`);
  if (!Number.isInteger(n) || n < 1) throw new QuantError('invalid-shape', `n must be a positive integer`);
  checkSeed(seed);
  const [kValues, kPositions, kNoise] = streams(seed);
  kNoise.dispose();
  let w: Array;
  if (distribution === 'uniform') {
    // U(−a, a) has standard deviation a/√3.
    // (random.uniform's minval/maxval would be compiled in: u · 2a − a instead, as it computes.)
    const a = std * Math.sqrt(3);
    const u = random.uniform(kValues, [n]);
    w = u.mul(scalar(2 * a, u.device)).add(scalar(-a, u.device));
  } else if (distribution === 'laplace') {
    // Laplace(0, 1) has standard deviation √2.
    const l = random.laplace(kValues, [n]);
    w = l.mul(scalar(std / Math.SQRT2, l.device));
  } else {
    const g = random.normal(kValues, [n]);
    w = g.mul(scalar(std, g.device));
  }
  const data = (await w.data()) as Float32Array;
  if (distribution === 'outliers') {
    const k = Math.max(1, Math.round(n * OUTLIER_SHARE));
    const order = np.argsort(random.uniform(kPositions, [n]));
    const picked = (await order.slice([0, k]).data()) as Int32Array;
    for (const i of picked) data[i] = Math.fround(data[i] * OUTLIER_FACTOR);
  } else {
    kPositions.dispose();
  }
  return data;
}

/** u ∈ [0, 1) per element for stochastic rounding, reproducible from `seed`. */
export function roundingNoise(seed: number, n: number): Array {
  checkSeed(seed);
  const [kValues, kPositions, kNoise] = streams(seed);
  kValues.dispose();
  kPositions.dispose();
  return random.uniform(kNoise, [n]);
}
