/**
 * The arena's pure parts on synthetic numbers: the note says the right winner and ratios and follows
 * the numbers, the quantiles, the repeat count for short runs, the options' validation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arenaNote,
  quantileSorted,
  resolveArenaOptions,
  shapesFor,
  summarize,
  type ArenaPath,
  type ArenaRun,
  type ArenaSkip,
} from '../../src/core/arena/index.js';
import { MAX_REPEATS, repeatsFor } from '../../src/core/arena/timing.js';
import { packInt4 } from '../../src/core/arena/operands.js';

const BYTES: Record<ArenaPath, number> = {
  float32: 4,
  'int-jax': 4,
  float16: 2,
  'f32-simd': 4,
  'i8-simd': 1,
  'i8-relaxed': 1,
};

function run(
  path: ArenaPath,
  device: string,
  kind: 'matmul' | 'matvec',
  medianMs: number,
  n = 256,
): ArenaRun {
  const shape: [number, number, number] = kind === 'matmul' ? [n, n, n] : [n, n, 1];
  const [m, k, nn] = shape;
  return {
    path,
    device,
    shape,
    medianMs,
    p25Ms: medianMs * 0.9,
    p75Ms: medianMs * 1.1,
    gflops: (2 * m * k * nn) / (medianMs * 1e6),
    bytes: (m * k + k * nn) * BYTES[path],
    maxAbsError: path === 'float32' || path === 'f32-simd' ? 0 : 0.25,
    reference: 'synthetic',
  };
}

const SKIPPED: ArenaSkip[] = [{ path: 'float16', device: 'wasm', reason: 'no float16 casts' }];

/** int-jax 2× faster than float32 on matmul, 2× slower on matvec; i8-simd 2× / 2.5× faster than f32-simd. */
const RUNS: ArenaRun[] = [
  run('float32', 'wasm', 'matmul', 10),
  run('int-jax', 'wasm', 'matmul', 5),
  run('f32-simd', 'wasm-simd', 'matmul', 4),
  run('i8-simd', 'wasm-simd', 'matmul', 2),
  run('float32', 'wasm', 'matvec', 0.2),
  run('int-jax', 'wasm', 'matvec', 0.4),
  run('f32-simd', 'wasm-simd', 'matvec', 0.05),
  run('i8-simd', 'wasm-simd', 'matvec', 0.02),
];

describe('arenaNote', () => {
  const note = arenaNote({ runs: RUNS, skipped: SKIPPED });

  it('names the winner of each shape, its time, GFLOP/s and its ratio to the next and to float32', () => {
    assert.ok(
      note.includes(
        'matmul (256×256 · 256×256): fastest i8-simd on wasm-simd, 2 ms median (17 GFLOP/s), ' +
          '2× faster than f32-simd on wasm-simd, the next, and 5× faster than float32 on wasm.',
      ),
      note,
    );
    assert.ok(
      note.includes(
        'matvec (256×256 · 256): fastest i8-simd on wasm-simd, 0.02 ms median (6.6 GFLOP/s), ' +
          '2.5× faster than f32-simd on wasm-simd, the next, and 10× faster than float32 on wasm.',
      ),
      note,
    );
  });

  it('says jax-js has no int8 dtype and how int-jax compared with float32 on each shape', () => {
    assert.match(note, /jax-js has no int8 dtype: int-jax holds its 8-bit codes as int32/);
    assert.match(note, /Against float32 it ran matmul on wasm 2× faster, matvec on wasm 2× slower/);
  });

  it('gives the SIMD pair’s i8 / f32 ratio per shape and the bytes ratio', () => {
    assert.match(note, /4× fewer operand bytes/);
    assert.match(note, /matmul: i8-simd 2× faster than f32-simd; matvec: i8-simd 2.5× faster than f32-simd/);
    assert.match(note, /int8 fares better against f32 on matvec \(2\.5×\) than on matmul \(2×\)/);
  });

  it('reasons compute- vs memory-bound from the GFLOP/s of the two shapes, the bandwidth and the bytes', () => {
    // float32 on wasm: matmul 3.4 GFLOP/s, matvec 0.66; 0.5 FLOP/byte; 262,656 B in 0.2 ms = 1.3 GB/s.
    assert.match(
      note,
      /float32 on wasm 3\.4 vs 0\.66 GFLOP\/s \(0\.5 FLOP\/byte in matvec, 1\.3 GB\/s read\)/,
    );
    // 257 KiB of operands fit in a cache: the gap is overhead, not memory.
    assert.match(note, /operands \(at most 257 KiB\) fit in a CPU cache/);
    assert.doesNotMatch(note, /: memory-bound/);
    // At 2048 (16 MiB of float32 weights) a per-FLOP gap is memory-bound only where the bandwidth is
    // near the best measured; a path reading far below it is paying per-call overhead.
    const big = RUNS.map((r) =>
      run(r.path, r.device, r.shape[2] === 1 ? 'matvec' : 'matmul', r.medianMs * 64, 2048),
    );
    const bigNote = arenaNote({ runs: big, skipped: [] });
    assert.match(
      bigNote,
      /For f32-simd on wasm-simd, i8-simd on wasm-simd matvec reads near the best bandwidth measured here \(5\.2 GB\/s, f32-simd on wasm-simd\).*memory-bound/,
    );
    assert.match(
      bigNote,
      /float32 on wasm, int-jax on wasm read well below that, so their matvec gap is per-call overhead/,
    );
    // When matvec keeps up with matmul (here: the same GFLOP/s), the note says so instead.
    const flat = RUNS.map((r) => (r.shape[2] === 1 ? run(r.path, r.device, 'matvec', r.medianMs / 64) : r));
    const other = arenaNote({ runs: flat, skipped: [] });
    assert.doesNotMatch(other, /memory-bound/);
    assert.match(other, /Matvec keeps up with matmul per FLOP \(float32 on wasm, int-jax on wasm, f32-simd/);
    // Mixed, as measured at 256 on wasm: jax-js's matvec slow per FLOP, the SIMD kernels not.
    const mixed = RUNS.map((r) =>
      r.shape[2] === 1 && r.device === 'wasm-simd' ? run(r.path, r.device, 'matvec', r.medianMs / 64) : r,
    );
    assert.match(
      arenaNote({ runs: mixed, skipped: [] }),
      /per FLOP for float32 on wasm, int-jax on wasm, but .*overhead.*; f32-simd on wasm-simd, i8-simd on wasm-simd keep the same rate/,
    );
  });

  it('lists errors and what was not measured, with the reason', () => {
    assert.match(note, /int-jax on wasm matmul 0\.25/);
    assert.match(note, /Not measured: float16 on wasm: no float16 casts\./);
  });

  it('follows the numbers: another winner, a slowdown, a tie', () => {
    const swapped = RUNS.map((r) =>
      r.path === 'float32' && r.shape[2] !== 1 ? run('float32', 'wasm', 'matmul', 1) : r,
    );
    const s = arenaNote({ runs: swapped, skipped: [] });
    assert.match(
      s,
      /^matmul \(256×256 · 256×256\): fastest float32 on wasm, 1 ms median .*2× faster than i8-simd/,
    );
    assert.match(s, /Against float32 it ran matmul on wasm 5× slower/);
    const tie = [run('f32-simd', 'wasm-simd', 'matmul', 4), run('i8-simd', 'wasm-simd', 'matmul', 4.1)];
    assert.match(arenaNote({ runs: tie, skipped: [] }), /i8-simd 1\.0× slower|as fast as f32-simd/);
    assert.doesNotMatch(arenaNote({ runs: tie, skipped: [] }), /jax-js has no int8/);
    const even = [run('float32', 'wasm', 'matmul', 10), run('int-jax', 'wasm', 'matmul', 10.3)];
    assert.match(
      arenaNote({ runs: even, skipped: [] }),
      /Against float32 it ran matmul on wasm as fast \(0\.97×\)/,
    );
  });

  it('puts each topic on a line of its own (the element shows them as paragraphs)', () => {
    const lines = arenaNote({ runs: [], skipped: SKIPPED }).split('\n');
    assert.deepEqual(lines.length, 2);
  });

  it('says how many threads jax-js on wasm had, and that i8-relaxed quantizes B to 7 bits', () => {
    const withRelaxed = [...RUNS, run('i8-relaxed', 'wasm-simd', 'matmul', 1.5)];
    assert.match(
      arenaNote({ runs: withRelaxed, skipped: [], wasmThreads: 3 }),
      /jax-js on wasm ran on 3 threads/,
    );
    assert.match(arenaNote({ runs: RUNS, skipped: [], wasmThreads: 1 }), /each ran on one thread/);
    assert.match(arenaNote({ runs: withRelaxed, skipped: [] }), /B is quantized to 7 bits/);
    assert.doesNotMatch(note, /7 bits/);
  });

  it('says when nothing was measured', () => {
    assert.match(arenaNote({ runs: [], skipped: SKIPPED }), /^Nothing was measured\.\nNot measured: float16/);
  });
});

describe('arena timing and options', () => {
  it('quantiles interpolate linearly (NumPy default)', () => {
    assert.deepEqual(summarize([4, 1, 3, 2]), { medianMs: 2.5, p25Ms: 1.75, p75Ms: 3.25 });
    assert.equal(quantileSorted([7], 0.25), 7);
    assert.throws(() => quantileSorted([], 0.5), RangeError);
  });

  it('repeats short runs so a sample lasts ≥ 2 ms', () => {
    assert.equal(repeatsFor(10), 1);
    assert.equal(repeatsFor(0.5), 4);
    assert.equal(repeatsFor(0.003), 667);
    assert.equal(repeatsFor(0), MAX_REPEATS);
  });

  it('packs 4-bit codes two a byte, low nibble first', () => {
    assert.deepEqual(packInt4([1, 2, 15, 0, 7]), Uint8Array.of(0x21, 0x0f, 0x07));
  });

  it('fills defaults, keeps paths in canonical order, rejects bad values', () => {
    const o = resolveArenaOptions({ paths: ['i8-simd', 'float32'] });
    assert.deepEqual(o.paths, ['float32', 'i8-simd']);
    assert.equal(o.size, 256);
    assert.equal(o.iterations, 20);
    assert.equal(o.devices, 'auto');
    for (const bad of [
      { size: 2049 },
      { size: 15.5 },
      { iterations: 1001 },
      { budgetMs: 0 },
      { paths: [] },
    ]) {
      assert.throws(() => resolveArenaOptions(bad), /must/, JSON.stringify(bad));
    }
    // @ts-expect-error not a device
    assert.throws(() => resolveArenaOptions({ devices: ['tpu'] }), /devices/);
    assert.deepEqual(shapesFor(64, 'both'), [
      [64, 64, 64],
      [64, 64, 1],
    ]);
  });
});
