/**
 * runArena: every (path, device, shape) unit in turn, within a wall-clock budget, abortable
 * between runs, with progress after each unit. No DOM: runs in Node, a page or a Worker.
 */
import type { Device } from '@jax-js/jax';
import { ensureDevice } from '../runtime.js';
import { transpose } from '../../wasm/kernels.js';
import { prepareJaxPath, readsOnCallingThread } from './jax-paths.js';
import { arenaNote } from './note.js';
import { generateOperands, maxAbsDiff, memoryOf, probeOperands, type Operands } from './operands.js';
import { SkipPath, type PreparedPath } from './prepared.js';
import { SimdKernels, prepareSimdPath } from './simd-paths.js';
import { WARMUP_RUNS, repeatsFor, throwIfAborted, timeOnce, timeRuns, type Timing } from './timing.js';
import {
  AUTO_DEVICES,
  JAX_PATHS,
  SIMD_DEVICE,
  SIMD_PATHS,
  flopsOf,
  resolveArenaOptions,
  shapesFor,
  type ArenaHooks,
  type ArenaMemory,
  type ArenaOptions,
  type ArenaPath,
  type ArenaResult,
  type ArenaRun,
  type ArenaSkip,
} from './types.js';

/** Size of the first budget probe; probes grow 4× until the full size is known to fit. */
export const PROBE_SIZE = 64;

type Prepare = (ops: Operands) => Promise<PreparedPath>;

type Measured =
  { timing: Timing; bytes: number; note: string | undefined } | { skip: string; withShape: boolean };

function seconds(ms: number): string {
  return `${(ms / 1000).toPrecision(2)} s`;
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** One run's time at a probe size: prepare, one compiling run, one timed run, dispose. */
async function probeMs(prepare: Prepare, ops: Operands): Promise<number> {
  const p = await prepare(ops);
  try {
    await timeOnce(p.run);
    return (await timeOnce(p.run)).ms;
  } finally {
    p.dispose();
  }
}

/**
 * Times one unit: budget probes at growing sizes (a run's time scaled by FLOPs, pessimistic for a
 * GPU's fixed overhead, so probes continue until the estimate fits or a probe itself would not),
 * then at full size WARMUP_RUNS runs, the last of which decides whether the timed runs fit what is
 * left of the budget. A run in progress cannot be interrupted, so the budget is kept by estimate.
 */
async function measure(
  prepare: Prepare,
  ops: Operands,
  iterations: number,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Measured> {
  const full = flopsOf(ops.shape);
  const left = () => deadline - performance.now();
  if (left() <= 0) return { skip: 'the time budget is used up', withShape: true };
  let s = Math.min(ops.shape[0], PROBE_SIZE);
  while (s < ops.shape[0]) {
    throwIfAborted(signal);
    const probe = probeOperands(ops, s);
    const t = await probeMs(prepare, probe);
    const perRun = (t * full) / flopsOf(probe.shape);
    if (perRun * (WARMUP_RUNS + iterations) <= left()) break;
    const next = Math.min(ops.shape[0], s * 4);
    const nextRun = (t * flopsOf(probeOperands(ops, next).shape)) / flopsOf(probe.shape);
    if (nextRun * WARMUP_RUNS > left()) {
      return {
        skip:
          `one run would take about ${seconds(perRun)} (scaled from ${num(t)} ms at ${s}), ` +
          `${WARMUP_RUNS + iterations} runs would not fit the ${seconds(left())} left of the budget`,
        withShape: true,
      };
    }
    s = next;
  }
  throwIfAborted(signal);
  const prepared = await prepare(ops);
  try {
    let warm = 0;
    for (let i = 0; i < WARMUP_RUNS; i++) {
      throwIfAborted(signal);
      warm = (await timeOnce(prepared.run)).ms;
    }
    const repeats = repeatsFor(warm);
    const estimate = warm * repeats * iterations;
    if (estimate > left()) {
      return {
        skip:
          `${iterations} runs would take about ${seconds(estimate)} (${num(warm)} ms each after warm-up), ` +
          `over the ${seconds(left())} left of the budget`,
        withShape: true,
      };
    }
    const timing = await timeRuns(prepared.run, iterations, repeats, signal);
    return { timing, bytes: prepared.bytes, note: prepared.note };
  } finally {
    prepared.dispose();
  }
}

function num(v: number): string {
  return String(Number(v.toPrecision(2)));
}

/** measure(), with a path that cannot run (SkipPath) or fails turned into a skip reason. */
async function attempt(
  prepare: Prepare,
  ops: Operands,
  iterations: number,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Measured> {
  try {
    return await measure(prepare, ops, iterations, deadline, signal);
  } catch (e) {
    if (isAbort(e)) throw e;
    if (e instanceof SkipPath) return { skip: e.message, withShape: false };
    return { skip: `failed: ${e instanceof Error ? e.message : String(e)}`, withShape: true };
  }
}

/** The devices to try, and which of them initialised. */
async function resolveDevices(options: ArenaOptions): Promise<{ wanted: Device[]; ready: Set<Device> }> {
  const wanted = options.devices === 'auto' ? [...AUTO_DEVICES] : options.devices;
  if (!options.paths.some((p) => JAX_PATHS.includes(p))) return { wanted: [], ready: new Set() };
  const ok = await Promise.all(wanted.map((d) => ensureDevice(d)));
  return { wanted, ready: new Set(wanted.filter((_, i) => ok[i])) };
}

/**
 * Runs the arena. Options are validated (a QuantError for bad ones); `signal` aborts between runs
 * with a DOMException named AbortError; `onProgress` is called after each (path, device, shape)
 * unit, timed or skipped, so `done` reaches `total`.
 */
export async function runArena(
  partial: Partial<ArenaOptions> = {},
  hooks: ArenaHooks = {},
): Promise<ArenaResult> {
  const options = resolveArenaOptions(partial);
  const { signal, onProgress } = hooks;
  throwIfAborted(signal);
  const deadline = performance.now() + options.budgetMs;
  const jaxPaths = options.paths.filter((p) => JAX_PATHS.includes(p));
  const simdPaths = options.paths.filter((p) => SIMD_PATHS.includes(p));
  const shapes = shapesFor(options.size, options.mode);
  // Operands are generated on jax-js (the kit's seeded generator), also for SIMD-only runs.
  await ensureDevice('wasm');
  const { wanted, ready } = await resolveDevices(options);
  throwIfAborted(signal);

  const runs: ArenaRun[] = [];
  const skipped: ArenaSkip[] = [];
  for (const device of wanted.filter((d) => !ready.has(d))) {
    for (const path of jaxPaths) {
      skipped.push({
        path,
        device,
        reason: `jax-js device ${device} did not initialise in this environment`,
      });
    }
  }
  const total = shapes.length * (jaxPaths.length * wanted.length + simdPaths.length);
  let done = 0;
  // Called when a unit starts (the progress bar names what is running) and when it ends.
  const starting = (path: ArenaPath, device: string) => onProgress?.({ done, total, path, device });
  const progress = (path: ArenaPath, device: string) => {
    done++;
    onProgress?.({ done, total, path, device });
  };
  const simd = new SimdKernels();
  let memory: ArenaMemory | null = null;

  for (const shape of shapes) {
    throwIfAborted(signal);
    const ops = await generateOperands(shape, options.seed);
    memory ??= memoryOf(ops.a, options.size);
    const [m, k, n] = shape;
    let simdRef: Float32Array | null = null;
    const simdReference = async () =>
      (simdRef ??= (await simd.kernels()).matmulF32(ops.a, transpose(ops.b, k, n), m, k, n));

    const record = async (
      path: ArenaPath,
      device: string,
      prepare: Prepare,
      reference: (self: Float32Array) => Promise<{ data: Float32Array; label: string }>,
    ): Promise<Float32Array | null> => {
      const r = await attempt(prepare, ops, options.iterations, deadline, signal);
      if ('skip' in r) {
        const alreadyListed = skipped.some((s) => s.path === path && s.device === device && !s.shape);
        if (!r.withShape && alreadyListed) return null;
        skipped.push({ path, device, ...(r.withShape ? { shape } : {}), reason: r.skip });
        return null;
      }
      const { timing } = r;
      const ref = await reference(timing.last);
      runs.push({
        path,
        device,
        shape,
        medianMs: timing.medianMs,
        p25Ms: timing.p25Ms,
        p75Ms: timing.p75Ms,
        gflops: flopsOf(shape) / (timing.medianMs * 1e6),
        bytes: r.bytes,
        maxAbsError: maxAbsDiff(timing.last, ref.data),
        reference: ref.label,
        ...(r.note ? { note: r.note } : {}),
      });
      return timing.last;
    };

    for (const device of wanted) {
      let float32: Float32Array | null = null;
      for (const path of jaxPaths) {
        if (ready.has(device)) {
          starting(path, device);
          const out = await record(
            path,
            device,
            (o) => prepareJaxPath(path, o, device),
            async (self) =>
              path === 'float32'
                ? { data: self, label: `itself (float32 on ${device})` }
                : float32
                  ? { data: float32, label: `float32 on ${device}` }
                  : { data: await simdReference(), label: `f32-simd (float32 on ${device} did not run)` },
          );
          if (path === 'float32') float32 = out;
        }
        progress(path, device);
      }
    }
    for (const path of simdPaths) {
      starting(path, SIMD_DEVICE);
      const out = await record(
        path,
        SIMD_DEVICE,
        (o) => prepareSimdPath(path, o, simd),
        async (self) =>
          path === 'f32-simd'
            ? { data: self, label: 'itself (f32-simd)' }
            : { data: await simdReference(), label: 'f32-simd' },
      );
      if (path === 'f32-simd' && out) simdRef = out;
      progress(path, SIMD_DEVICE);
    }
  }

  const result = {
    size: options.size,
    mode: options.mode,
    iterations: options.iterations,
    runs,
    skipped,
    // jax-js spreads wasm kernels over a worker pool only where SharedArrayBuffer exists (a
    // cross-origin isolated page); the SIMD kernels always run on one thread.
    wasmThreads: readsOnCallingThread('wasm') ? 1 : (globalThis.navigator?.hardwareConcurrency ?? 1),
    memory: memory ?? { float32Bytes: 0, int8Bytes: 0, int4Bytes: 0 },
  };
  return { ...result, note: arenaNote(result) };
}
