/** What the Node and browser tests of the SIMD kernels share: seeded inputs, the integer oracle, shapes. */

/** Deterministic PRNG (mulberry32) in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInts<T extends Int8Array | Uint8Array>(
  out: T,
  lo: number,
  hi: number,
  seed: number,
): T {
  const r = rng(seed);
  for (let i = 0; i < out.length; i++) out[i] = lo + Math.floor(r() * (hi - lo + 1));
  return out;
}

/** The plain integer loop: C[i,j] = Σ_kk A[i,kk]·Bt[j,kk] (exact: every partial sum < 2^53). */
export function refInt(
  a: ArrayLike<number>,
  bt: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
): Int32Array {
  const c = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += a[i * k + kk] * bt[j * k + kk];
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Every vector/scalar tail: k around the 16-byte (int8) and 4-float boundaries, n around the 4-row blocks. */
export const KS = [1, 15, 16, 17, 33, 256];
export const NS = [1, 3, 4, 5];
export const MS = [1, 7];
export const SHAPES = MS.flatMap((m) => KS.flatMap((k) => NS.map((n) => ({ m, k, n }))));

/**
 * Ragged sizes for the 4×8 tiled kernels (issue 20): each of m, k, n from this list, so every
 * dimension is exercised below one tile (1, 3), one past a tile or a step (17, 65), a whole number
 * of tiles (64) and one short of one (255). n ≥ TILED_MIN_N takes the tiled kernels, n < it the
 * row-dot ones; the list has both.
 */
export const RAGGED = [1, 3, 17, 64, 65, 255];
export const RAGGED_SHAPES = RAGGED.flatMap((m) => RAGGED.flatMap((k) => RAGGED.map((n) => ({ m, k, n }))));
