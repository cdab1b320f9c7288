/**
 * Warm-up and timed runs of one prepared path, their quantiles, and the abort check between runs.
 * No jax-js, no DOM.
 */

/** Warm-up runs before timing: the first compiles (jit, shader, wasm tier-up), the second settles. */
export const WARMUP_RUNS = 2;

/** One run: compute and read the result back (sync on the calling thread, or async on a GPU). */
export type RunFn = () => Float32Array | Promise<Float32Array>;

export function abortError(): DOMException {
  return new DOMException('The arena run was cancelled.', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError();
}

/** Linear-interpolation quantile (NumPy's default) of ascending samples, q in [0, 1]. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no samples');
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface Timing {
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  /** The result read back by the last timed run. */
  last: Float32Array;
}

export function summarize(samples: readonly number[]): Omit<Timing, 'last'> {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    medianMs: quantileSorted(sorted, 0.5),
    p25Ms: quantileSorted(sorted, 0.25),
    p75Ms: quantileSorted(sorted, 0.75),
  };
}

/**
 * A sample shorter than this is below what a browser clock resolves (performance.now() is coarsened
 * to 5–100 µs, 1 ms in some browsers without cross-origin isolation), so short runs are repeated
 * back to back within one sample and the sample is their mean.
 */
export const MIN_SAMPLE_MS = 2;
export const MAX_REPEATS = 1000;

/** Times `repeats` runs back to back, each read back; ms per run. */
export async function timeOnce(run: RunFn, repeats = 1): Promise<{ ms: number; out: Float32Array }> {
  const t0 = performance.now();
  let out: Float32Array | null = null;
  for (let i = 0; i < repeats; i++) {
    const r = run();
    out = r instanceof Promise ? await r : r;
  }
  const ms = (performance.now() - t0) / repeats;
  if (!out) throw new RangeError('repeats must be ≥ 1');
  return { ms, out };
}

/** Runs per sample so that a sample lasts at least MIN_SAMPLE_MS, from a warm run's time. */
export function repeatsFor(warmMs: number): number {
  if (!(warmMs > 0)) return MAX_REPEATS;
  return Math.min(MAX_REPEATS, Math.max(1, Math.ceil(MIN_SAMPLE_MS / warmMs)));
}

/**
 * `iterations` timed samples of `repeats` runs each; the signal is checked before each. Warm-up is
 * the caller's (the orchestrator times its warm-up runs to decide whether the unit fits the budget).
 */
export async function timeRuns(
  run: RunFn,
  iterations: number,
  repeats: number,
  signal?: AbortSignal,
): Promise<Timing> {
  const samples: number[] = [];
  let last: Float32Array | null = null;
  for (let i = 0; i < iterations; i++) {
    throwIfAborted(signal);
    const { ms, out } = await timeOnce(run, repeats);
    samples.push(ms);
    last = out;
  }
  if (!last) throw new RangeError('iterations must be ≥ 1');
  return { ...summarize(samples), last };
}
