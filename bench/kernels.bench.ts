/**
 * The arena's WebAssembly kernels alone (src/wasm/kernels.ts), in Chromium, one thread: the tiled
 * matmuls at 256² and 1024² and the matrix × vector kernels at 2048² and 4096² (4096 is over the
 * arena's `size` range; a 64 MB float32 matrix no longer fits this machine's 32 MB L3, its int8
 * codes do). Times `run()` only: the operands are packed once by prepare*(), as the arena does.
 * Each row: median ms, GFLOP/s, ratio to the f32 kernel of the same shape, matrix GB/s, and the
 * fraction of the instruction peak: issue width of the multiply × the clock, the clock estimated
 * from a chain of dependent i32.add (one a cycle). Run with `npm run bench`.
 */
import { instantiateKernels, instantiateRelaxed, type PreparedMatmul } from '../src/wasm/kernels.js';
import { table } from './stats.js';

/** 32 dependent i32.add a loop iteration (assembled with wabt): `f(n, y)` takes ≈ 32·n cycles. */
const CLOCK_WASM =
  'AGFzbQEAAAABBwFgAn9/AX8DAgEABwUBAWYAAAr3AQH0AQEBfwNAIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAiABaiECIAIgAWohAiACIAFqIQIgAEEBayEAIAANAAsgAgs=';

/** GHz: the best of 9 timings of 32·2·10⁷ dependent adds. */
async function clockGHz(): Promise<number> {
  const bytes = Uint8Array.from(atob(CLOCK_WASM), (c) => c.charCodeAt(0));
  const { instance } = await WebAssembly.instantiate(bytes);
  const f = instance.exports.f as (n: number, y: number) => number;
  f(1e6, 3);
  let best = 0;
  for (let r = 0; r < 9; r++) {
    const t = performance.now();
    f(2e7, 3);
    best = Math.max(best, (2e7 * 32) / ((performance.now() - t) * 1e6));
  }
  return best;
}

/**
 * Peak FLOP a cycle of each kernel's multiply on this machine (AMD Zen 4, 128-bit ops, as V8 emits
 * them; a MAC is 2 FLOP): f32x4.mul and f32x4.add issue 2 a cycle each (8 MACs a cycle);
 * i32x4.dot_i16x8_s is one pmaddwd, 2 a cycle (16 MACs); the tiled relaxed kernel's
 * i16x8.relaxed_dot_i8x16_i7x16_s + i32x4.dot_i16x8_s is pmaddubsw + pmaddwd, both on the same 2
 * multiply pipes (16 MACs a cycle). For the matrix × vector rows the figure that matters is GB/s.
 */
const PEAK_FLOP_PER_CYCLE = { f32: 16, i8: 32, relaxed: 32 } as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median ms of one run() of each prepared kernel. The kernels take turns, one sample each per
 * round (a sample: back-to-back runs lasting ≥ 5 ms), so a load change on this shared machine
 * hits all of them alike and their ratios hold better than their absolute figures.
 */
function timeRoundRobin(ps: PreparedMatmul<Float32Array | Int32Array>[], rounds = 15): number[] {
  const reps = ps.map((p) => {
    p.run();
    const t0 = performance.now();
    p.run();
    return Math.max(1, Math.ceil(5 / Math.max(performance.now() - t0, 0.001)));
  });
  const samples: number[][] = ps.map(() => []);
  for (let r = 0; r < rounds; r++) {
    ps.forEach((p, i) => {
      const t = performance.now();
      for (let j = 0; j < reps[i]; j++) p.run();
      samples[i].push((performance.now() - t) / reps[i]);
    });
  }
  return samples.map(median);
}

function codes(length: number, lo: number, hi: number): number[] {
  return Array.from({ length }, () => lo + Math.floor(Math.random() * (hi - lo + 1)));
}

describe('kernel bench', function () {
  this.timeout(600000);

  it('tiled matmul and matrix × vector, one thread', async () => {
    const K = await instantiateKernels();
    const R = await instantiateRelaxed();
    const ghz = await clockGHz();
    const rows: Record<string, string | number>[] = [];
    for (const [m, k, n] of [
      [256, 256, 256],
      [1024, 1024, 1024],
      [2048, 2048, 1],
      [4096, 4096, 1],
    ]) {
      const fa = Float32Array.from(codes(m * k, -127, 127), (v) => v / 127);
      const fb = Float32Array.from(codes(n * k, -127, 127), (v) => v / 127);
      const ia = Int8Array.from(codes(m * k, -127, 127));
      const ib = Int8Array.from(codes(n * k, -127, 127));
      const ub = Uint8Array.from(codes(n * k, 0, 127));
      const flop = 2 * m * k * n;
      const prepared = [
        ['f32', K.prepareF32(fa, fb, m, k, n)],
        ['i8', K.prepareI8(ia, ib, m, k, n)],
        ...(R ? [['relaxed', R.prepareI8Relaxed(ia, ub, m, k, n)] as const] : []),
      ] as const;
      const ms = timeRoundRobin(prepared.map(([, p]) => p));
      const f32 = flop / (ms[0] * 1e6);
      prepared.forEach(([name, p], i) => {
        const gflops = flop / (ms[i] * 1e6);
        rows.push({
          kernel: name,
          shape: `${m}x${k}x${n}`,
          tiled: p.tiled ? '4x8' : 'row-dot',
          'median ms': ms[i],
          'GFLOP/s': gflops,
          '× f32': gflops / f32,
          'matrix GB/s': (m * k * (name === 'f32' ? 4 : 1)) / (ms[i] * 1e6),
          '% of peak': (100 * gflops) / (PEAK_FLOP_PER_CYCLE[name] * ghz),
        });
      });
      K.reset();
      R?.reset();
    }
    console.log(
      table(
        `WebAssembly kernels, one thread, run() only (operands packed once); clock ≈ ${ghz.toFixed(2)} GHz ` +
          `(dependent adds); relaxed SIMD ${R ? 'yes' : 'no'}`,
        rows,
      ),
    );
  });
});
