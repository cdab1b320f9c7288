/**
 * Seeded weight generators and the stochastic-rounding noise, on jax-js.
 * One seed gives independent streams: values, outlier positions, noise (see `stream`).
 */
import { numpy as np, random, type Array, type Device } from '@jax-js/jax';
import { DISTRIBUTIONS, checkConfigValue, type Distribution } from './config.js';
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

/**
 * random.key(seed)'s key [0, seed], built from data: random.key stacks the seed as a constant,
 * and jax-js compiles (and keeps for the page's life) one kernel per distinct constant.
 */
export function keyOf(seed: number): Array {
  return np.array(Uint32Array.of(0, seed));
}

/** A float32 scalar operand (not a constant folded into a kernel, as `keyOf` says why). */
function scalar(value: number, device: Device): Array {
  return upload(Float32Array.of(value), [], device);
}

/**
 * One seed's streams, from split(key(seed), 4). Normal weights draw from the key itself, so they
 * equal random.normal(random.key(seed), shape) · std (the seed article's first demo); inside,
 * normal draws from split(key, 2), which is split(key, 4)[0..1] (jax-js's split is counter-based).
 * So the rounding noise takes [2] and the outlier positions [3], apart from every normal draw;
 * uniform and laplace values take [0] (no normal draw beside them). [2] is split(key, 3)[2]:
 * the noise is what it was before normal weights took the key.
 */
const STREAMS = 4;
type Stream = 'values' | 'noise' | 'positions';
const STREAM_INDEX: Record<Stream, number> = { values: 0, noise: 2, positions: 3 };

function stream(seed: number, which: Stream): Array {
  // Spread, not destructure: a destructuring pattern stops jax-js's iterator
  // early, and the split array it would dispose at the end leaks.
  const keys = [...random.split(keyOf(seed), STREAMS)];
  const picked = keys.splice(STREAM_INDEX[which], 1)[0];
  for (const k of keys) k.dispose();
  return picked;
}

/** The core's config message (resolveConfig), so a seed reads the same wherever it is checked. */
function checkSeed(seed: number): void {
  const allowed = checkConfigValue('seed', seed);
  if (allowed) throw new QuantError('invalid-config', `seed = ${String(seed)} is invalid: use ${allowed}`);
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
  let w: Array;
  if (distribution === 'uniform') {
    // U(−a, a) has standard deviation a/√3.
    // (random.uniform's minval/maxval would be compiled in: u · 2a − a instead, as it computes.)
    const a = std * Math.sqrt(3);
    const u = random.uniform(stream(seed, 'values'), [n]);
    w = u.mul(scalar(2 * a, u.device)).add(scalar(-a, u.device));
  } else if (distribution === 'laplace') {
    // Laplace(0, 1) has standard deviation √2.
    const l = random.laplace(stream(seed, 'values'), [n]);
    w = l.mul(scalar(std / Math.SQRT2, l.device));
  } else {
    // `outliers` scales some of this same draw.
    const g = random.normal(keyOf(seed), [n]);
    w = g.mul(scalar(std, g.device));
  }
  const data = (await w.data()) as Float32Array;
  if (distribution === 'outliers') {
    const k = Math.max(1, Math.round(n * OUTLIER_SHARE));
    const order = np.argsort(random.uniform(stream(seed, 'positions'), [n]));
    const picked = (await order.slice([0, k]).data()) as Int32Array;
    for (const i of picked) data[i] = Math.fround(data[i] * OUTLIER_FACTOR);
  }
  return data;
}

/** u ∈ [0, 1) per element for stochastic rounding, reproducible from `seed`. */
export function roundingNoise(seed: number, n: number): Array {
  checkSeed(seed);
  return random.uniform(stream(seed, 'noise'), [n]);
}
