/**
 * The arena's note, generated from its numbers: who won each shape and by how much, what int-jax
 * moves, what the SIMD pair shows, compute- vs memory-bound. Pure: a function of the result only.
 */
import type { ArenaResult, ArenaRun } from './types.js';

type Kind = 'matmul' | 'matvec';

export function kindOf(run: Pick<ArenaRun, 'shape'>): Kind {
  return run.shape[2] === 1 ? 'matvec' : 'matmul';
}

function label(run: ArenaRun): string {
  return `${run.path} on ${run.device}`;
}

/** 2 significant digits, at most 2 decimals: 0.0032, 0.41, 3.7, 12, 1234. */
function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 100) return String(Math.round(v));
  return String(Number(v.toPrecision(2)));
}

function ms(v: number): string {
  return `${num(v)} ms`;
}

/** How many times faster `fast` is than `slow` (medians), as "1.8×". */
export function speedup(fast: ArenaRun, slow: ArenaRun): number {
  return slow.medianMs / fast.medianMs;
}

function times(r: number): string {
  return `${num(r)}×`;
}

/** Within 5 % two medians count as the same speed. */
const TIE = 1.05;

/** "2.1× faster" / "as fast (1×)" / "1.6× slower": a against b. */
function relative(a: ArenaRun, b: ArenaRun): string {
  const r = speedup(a, b);
  if (r >= TIE) return `${times(r)} faster`;
  if (r > 1 / TIE) return `as fast (${times(r)})`;
  return `${times(1 / r)} slower`;
}

/** "2.1× faster than b" / "as fast as b (1×)" / "1.6× slower than b". */
function compare(a: ArenaRun, b: ArenaRun, name = label(b)): string {
  const r = speedup(a, b);
  if (r >= TIE) return `${times(r)} faster than ${name}`;
  if (r > 1 / TIE) return `as fast as ${name} (${times(r)})`;
  return `${times(1 / r)} slower than ${name}`;
}

function find(runs: ArenaRun[], path: string, device?: string): ArenaRun | undefined {
  return runs.find((r) => r.path === path && (device === undefined || r.device === device));
}

function winnerSentence(kind: Kind, runs: ArenaRun[]): string {
  const sorted = [...runs].sort((a, b) => a.medianMs - b.medianMs);
  const [best, second] = sorted;
  const [m, k, n] = best.shape;
  const shape = kind === 'matmul' ? `${m}×${k} · ${k}×${n}` : `${m}×${k} · ${k}`;
  let s = `${kind} (${shape}): fastest ${label(best)}, ${ms(best.medianMs)} median (${num(best.gflops)} GFLOP/s)`;
  if (second) s += `, ${compare(best, second)}, the next`;
  const baseline = find(runs, 'float32', best.device) ?? find(runs, 'float32');
  if (baseline && baseline !== best && baseline !== second) s += `, and ${compare(best, baseline)}`;
  return `${s}.`;
}

/** int-jax against float32 on each device where both ran. */
function intJaxSentence(runs: ArenaRun[]): string | null {
  const parts: string[] = [];
  let bytesRatio: number | null = null;
  for (const int of runs.filter((r) => r.path === 'int-jax')) {
    const f32 = runs.find(
      (r) => r.path === 'float32' && r.device === int.device && kindOf(r) === kindOf(int),
    );
    if (!f32) continue;
    bytesRatio = int.bytes / f32.bytes;
    parts.push(`${kindOf(int)} on ${int.device} ${relative(int, f32)}`);
  }
  const ran = runs.some((r) => r.path === 'int-jax');
  if (!ran) return null;
  let s =
    'jax-js has no int8 dtype: int-jax holds its 8-bit codes as int32, 4 bytes each' +
    (bytesRatio !== null ? ` (${times(bytesRatio)} the operand bytes of float32, row sums included)` : '') +
    ', so it cannot gain from narrower data, only from integer instructions, and it pays for the zero-point correction';
  if (parts.length) s += `. Against float32 it ran ${parts.join(', ')}`;
  return `${s}.`;
}

/** What the SIMD pair shows: same tiling and loops, int8 vs f32. */
function simdSentence(runs: ArenaRun[]): string | null {
  const parts: string[] = [];
  for (const kind of ['matmul', 'matvec'] as const) {
    const f32 = runs.find((r) => r.path === 'f32-simd' && kindOf(r) === kind);
    const i8 = runs.find((r) => r.path === 'i8-simd' && kindOf(r) === kind);
    if (!f32 || !i8) continue;
    const relaxed = runs.find((r) => r.path === 'i8-relaxed' && kindOf(r) === kind);
    let p = `${kind}: i8-simd ${compare(i8, f32, 'f32-simd')}`;
    if (relaxed) p += `, i8-relaxed ${times(speedup(relaxed, f32))} the speed of f32-simd`;
    parts.push(p);
  }
  if (!parts.length) return null;
  const ratio = (kind: Kind) => {
    const f = runs.find((r) => r.path === 'f32-simd' && kindOf(r) === kind);
    const i = runs.find((r) => r.path === 'i8-simd' && kindOf(r) === kind);
    return f && i ? speedup(i, f) : null;
  };
  const [mm, mv] = [ratio('matmul'), ratio('matvec')];
  if (mm !== null && mv !== null) {
    parts.push(
      mv > mm * 1.1
        ? `int8 fares better against f32 on matvec (${times(mv)}) than on matmul (${times(mm)})`
        : `int8 fares no better against f32 on matvec (${times(mv)}) than on matmul (${times(mm)})`,
    );
  }
  const f32 = find(runs, 'f32-simd');
  const i8 = find(runs, 'i8-simd');
  const bytes = f32 && i8 ? ` on ${times(f32.bytes / i8.bytes)} fewer operand bytes` : '';
  const relaxedRan = runs.some((r) => r.path === 'i8-relaxed');
  return (
    `The WebAssembly SIMD pair (same tiling and loops, f32x4 vs int8 with exact int32 accumulation${bytes}) ` +
    `isolates the data type: ${parts.join('; ')}.` +
    (relaxedRan
      ? ' i8-relaxed uses the relaxed i8×i7 dot products, exact only when one operand is in 0…127: B is ' +
        'quantized to 7 bits (with a zero-point and its correction), coarser than int8, hence its larger error.'
      : '')
  );
}

/** jax-js's wasm backend may use several threads; the SIMD kernels use one. */
function threadsSentence(runs: ArenaRun[], wasmThreads: number | undefined): string | null {
  const jaxWasm = runs.some((r) => r.device === 'wasm');
  const simd = runs.some((r) => r.path.endsWith('-simd') || r.path === 'i8-relaxed');
  if (!jaxWasm || !simd || !wasmThreads) return null;
  return wasmThreads > 1
    ? `jax-js on wasm ran on ${wasmThreads} threads (its worker pool, as this page is cross-origin isolated); ` +
        'the SIMD kernels on one: between them, compare per thread.'
    : 'jax-js on wasm and the SIMD kernels each ran on one thread.';
}

/**
 * Operands up to this many bytes stay in a CPU's cache (L2 is typically 1–2 MiB per core): below it
 * a slow matvec is per-call overhead, not memory traffic.
 */
export const CACHE_BYTES = 1 << 20;

function kib(bytes: number): string {
  return bytes >= 1 << 20 ? `${num(bytes / (1 << 20))} MiB` : `${num(bytes / 1024)} KiB`;
}

/**
 * Compute- vs memory-bound, from the same path's two shapes: matmul reuses each operand n times,
 * matvec reads each matrix element once for 2 FLOP. Bandwidth = operand bytes / median.
 */
function boundSentence(runs: ArenaRun[]): string | null {
  const pairs: [ArenaRun, ArenaRun][] = [];
  for (const mv of runs.filter((r) => kindOf(r) === 'matvec')) {
    const mm = runs.find((r) => r.path === mv.path && r.device === mv.device && kindOf(r) === 'matmul');
    if (mm) pairs.push([mm, mv]);
  }
  if (!pairs.length) return null;
  const parts = pairs.map(([mm, mv]) => {
    const gbps = mv.bytes / (mv.medianMs * 1e6);
    const intensity = (2 * mv.shape[0] * mv.shape[1]) / mv.bytes;
    return `${label(mv)} ${num(mm.gflops)} vs ${num(mv.gflops)} GFLOP/s (${num(intensity)} FLOP/byte in matvec, ${num(gbps)} GB/s read)`;
  });
  const slower = pairs.filter(([mm, mv]) => mm.gflops >= 1.5 * mv.gflops).map(([, mv]) => label(mv));
  const even = pairs.filter(([mm, mv]) => mm.gflops < 1.5 * mv.gflops).map(([, mv]) => label(mv));
  const largest = Math.max(...pairs.map(([, mv]) => mv.bytes));
  const list = (xs: string[]) => xs.join(', ');
  let why: string;
  if (!slower.length) {
    why = `Matvec keeps up with matmul per FLOP (${list(even)}): nothing is limited by memory at this size.`;
  } else if (largest <= CACHE_BYTES) {
    why =
      `Matvec runs well below matmul per FLOP for ${list(slower)}, but its operands (at most ${kib(largest)}) ` +
      'fit in a CPU cache, so that gap is per-call overhead (dispatch, read-back) more than memory traffic' +
      (even.length
        ? `; ${list(even)} ${even.length > 1 ? 'keep' : 'keeps'} the same rate on both shapes`
        : '') +
      `. Matvec turns memory-bound, where fewer bytes per weight pay off directly, once the weights outgrow the cache (~${kib(CACHE_BYTES)}).`;
  } else {
    // Memory-bound only where the bandwidth measured is near the best any path reached here.
    const gbpsOf = (mv: ArenaRun) => mv.bytes / (mv.medianMs * 1e6);
    const best = pairs.map(([, mv]) => mv).reduce((a, b) => (gbpsOf(b) > gbpsOf(a) ? b : a));
    const slow = pairs.filter(([mm, mv]) => mm.gflops >= 1.5 * mv.gflops).map(([, mv]) => mv);
    const bound = slow.filter((mv) => gbpsOf(mv) >= 0.5 * gbpsOf(best)).map(label);
    const overhead = slow.filter((mv) => gbpsOf(mv) < 0.5 * gbpsOf(best)).map(label);
    const sentences: string[] = [];
    if (bound.length)
      sentences.push(
        `For ${list(bound)} matvec reads near the best bandwidth measured here (${num(gbpsOf(best))} GB/s, ` +
          `${label(best)}), each weight byte used once: memory-bound, where fewer bytes per weight pay off`,
      );
    if (overhead.length)
      sentences.push(
        `${list(overhead)} ${overhead.length > 1 ? 'read' : 'reads'} well below that, so ` +
          `${overhead.length > 1 ? 'their' : 'its'} matvec gap is per-call overhead (dispatch, read-back), not memory`,
      );
    if (even.length)
      sentences.push(`${list(even)} ${even.length > 1 ? 'keep' : 'keeps'} the same rate on both shapes`);
    why = `${sentences.join('; ')}.`;
  }
  return `Matmul vs matvec GFLOP/s: ${parts.join('; ')}. ${why}`;
}

function errorSentence(runs: ArenaRun[]): string | null {
  const parts = runs
    .filter((r) => r.maxAbsError > 0 || Number.isNaN(r.maxAbsError))
    .map((r) => `${label(r)} ${kindOf(r)} ${num(r.maxAbsError)}`);
  if (!parts.length) return null;
  return `Max abs error against float32 of the same operands: ${parts.join(', ')}.`;
}

function skippedSentence(result: Pick<ArenaResult, 'skipped'>): string | null {
  if (!result.skipped.length) return null;
  const parts = result.skipped.map(
    (s) => `${s.path} on ${s.device}${s.shape ? ` (${s.shape.join('×')})` : ''}: ${s.reason}`,
  );
  return `Not measured: ${parts.join('; ')}.`;
}

/** The note of a result, from its runs and skipped entries only: one topic a line. */
export function arenaNote(result: Pick<ArenaResult, 'runs' | 'skipped'> & { wasmThreads?: number }): string {
  const sentences: string[] = [];
  for (const kind of ['matmul', 'matvec'] as const) {
    const runs = result.runs.filter((r) => kindOf(r) === kind);
    if (runs.length) sentences.push(winnerSentence(kind, runs));
  }
  if (!result.runs.length) sentences.push('Nothing was measured.');
  for (const s of [
    intJaxSentence(result.runs),
    simdSentence(result.runs),
    threadsSentence(result.runs, result.wasmThreads),
    boundSentence(result.runs),
    errorSentence(result.runs),
    skippedSentence(result),
  ]) {
    if (s) sentences.push(s);
  }
  return sentences.join('\n');
}
