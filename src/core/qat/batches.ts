/**
 * Seeded mini-batch order for QAT, with the generator the trainer (scripts/train) uses too, so a seed gives
 * the same batches on every device and in every run. Plain JS.
 */

/** mulberry32: a small, well-mixed 32-bit PRNG; `() => [0, 1)`. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher–Yates permutation of 0..n-1 from the generator. */
export function permutation(n: number, rand: () => number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * The batches of a run: `steps` batches of `batchSize` example indices, each epoch a fresh
 * permutation of the `n` examples (a last partial batch of an epoch is dropped).
 */
export function* batchOrder(
  n: number,
  batchSize: number,
  steps: number,
  seed: number,
): Generator<Uint32Array> {
  const rand = mulberry32(seed ^ 0x9a7);
  const perEpoch = Math.floor(n / batchSize);
  let order = permutation(n, rand);
  for (let s = 0, k = 0; s < steps; s++, k++) {
    if (k === perEpoch) {
      order = permutation(n, rand);
      k = 0;
    }
    yield order.subarray(k * batchSize, (k + 1) * batchSize);
  }
}

/** Rows `idx` of an `[n, dim]` set and their one-hot labels `[B, classes]`. */
export function gatherBatch(
  inputs: Float32Array,
  labels: Uint8Array,
  dim: number,
  classes: number,
  idx: Uint32Array,
): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(idx.length * dim);
  const y = new Float32Array(idx.length * classes);
  idx.forEach((r, i) => {
    x.set(inputs.subarray(r * dim, (r + 1) * dim), i * dim);
    y[i * classes + labels[r]] = 1;
  });
  return { x, y };
}
