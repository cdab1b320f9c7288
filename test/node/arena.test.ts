/**
 * The arena's runner in Node 20 (jax-js on wasm and cpu, no webgpu, no relaxed SIMD): a small run of
 * every path completes with honest numbers, int-jax stays within its derived error bound, the i8
 * SIMD path is the exact integer product, skips carry reasons, abort and progress behave, the
 * budget skips what would not fit.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  ARENA_PATHS,
  runArena,
  type ArenaProgress,
  type ArenaResult,
  type ArenaRun,
} from '../../src/core/arena/index.js';
import { generateOperands, quantizeCodes, type Operands } from '../../src/core/arena/operands.js';
import {
  SimdKernels,
  correctRelaxed,
  int8Codes,
  prepareSimdPath,
  relaxedOperands,
} from '../../src/core/arena/simd-paths.js';
import { QuantError } from '../../src/core/errors.js';
import { quantizedMatmul } from '../../src/core/matmul.js';
import { prepareJaxPath } from '../../src/core/arena/jax-paths.js';
import { relaxedSimdSupported } from '../../src/wasm/kernels.js';

const SEED = 95;

function findRun(result: ArenaResult, path: string, kind: 'matmul' | 'matvec'): ArenaRun | undefined {
  return result.runs.find((r) => r.path === path && (r.shape[2] === 1) === (kind === 'matvec'));
}

/** C = A·B in float64, A m×k, B k×n. */
function matmul64(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += x * b[p * n + j];
    }
  }
  return c;
}

/**
 * The bound of int-jax's error against the float product. Affine minmax quantization of a
 * per-tensor range that holds every value leaves each element within half a step: |a − â| ≤ sa/2,
 * |b − b̂| ≤ sb/2. So per output
 *   |Σ âb̂ − Σ ab| ≤ Σ_k (|a|·sb/2 + |b|·sa/2 + sa·sb/4),
 * and the integer part (int32 accumulation, correction) is exact; float32 rounding of the reference
 * and of the rescale add a relative 1e-5 of Σ|a||b| on top (K ≤ 2048 terms, float32 ε = 6e-8).
 */
function intJaxBound(ops: Operands): number {
  const [m, k, n] = ops.shape;
  const sa = quantizeCodes(ops.a, m, k, 8, 'affine').scale;
  const sb = quantizeCodes(ops.b, k, n, 8, 'affine').scale;
  const absA = Float64Array.from(ops.a, Math.abs);
  const absB = Float64Array.from(ops.b, Math.abs);
  const absC = matmul64(absA, absB, m, k, n);
  let bound = 0;
  for (let i = 0; i < m; i++) {
    let rowA = 0;
    for (let p = 0; p < k; p++) rowA += absA[i * k + p];
    for (let j = 0; j < n; j++) {
      let colB = 0;
      for (let p = 0; p < k; p++) colB += absB[p * n + j];
      const e = (rowA * sb) / 2 + (colB * sa) / 2 + (k * sa * sb) / 4 + 1e-5 * absC[i * n + j];
      bound = Math.max(bound, e);
    }
  }
  return bound;
}

describe('runArena in Node (wasm)', () => {
  let result: ArenaResult;
  const progress: ArenaProgress[] = [];

  before(async () => {
    result = await runArena(
      { size: 32, iterations: 3, mode: 'both', devices: ['wasm'], paths: [...ARENA_PATHS], seed: SEED },
      { onProgress: (p) => progress.push(p) },
    );
  });

  it('completes: every path is either measured or skipped with a reason, for both shapes', () => {
    assert.equal(result.size, 32);
    assert.equal(result.mode, 'both');
    assert.equal(result.iterations, 3);
    for (const path of ARENA_PATHS) {
      for (const kind of ['matmul', 'matvec'] as const) {
        const ran = findRun(result, path, kind);
        const skip = result.skipped.find((s) => s.path === path);
        assert.ok(ran || skip, `${path} ${kind}: neither measured nor skipped`);
        if (skip) assert.ok(skip.reason.length > 10, `${path}: empty reason`);
      }
    }
    for (const path of ['float32', 'int-jax', 'f32-simd', 'i8-simd']) {
      assert.ok(findRun(result, path, 'matmul'), `${path} matmul did not run`);
      assert.ok(findRun(result, path, 'matvec'), `${path} matvec did not run`);
    }
  });

  it('reports positive times, GFLOP/s from the median, the shape and the operand bytes of each path', () => {
    const elementBytes: Record<string, number> = {
      float32: 4,
      'int-jax': 4, // int32 codes: jax-js has no int8 dtype
      float16: 2,
      'f32-simd': 4,
      'i8-simd': 1,
      'i8-relaxed': 1,
    };
    for (const r of result.runs) {
      const what = `${r.path} ${r.shape.join('×')}`;
      assert.ok(r.medianMs > 0 && Number.isFinite(r.medianMs), `${what}: median ${r.medianMs}`);
      assert.ok(r.p25Ms <= r.medianMs && r.medianMs <= r.p75Ms, `${what}: quantiles out of order`);
      assert.ok(r.gflops > 0, `${what}: gflops ${r.gflops}`);
      const [m, k, n] = r.shape;
      assert.deepEqual(r.shape, n === 1 ? [32, 32, 1] : [32, 32, 32]);
      assert.ok(Math.abs(r.gflops - (2 * m * k * n) / (r.medianMs * 1e6)) < 1e-9 * r.gflops, what);
      // int-jax also reads the precomputed row sums of A (m int32); i8-simd's tiled matmul holds A
      // sign-extended to int16 (2 bytes a code; 32 is a whole number of tiles: no padding).
      const extra = r.path === 'int-jax' ? m * 4 : r.path === 'i8-simd' && n > 1 ? m * k : 0;
      assert.equal(r.bytes, (m * k + k * n) * elementBytes[r.path] + extra, what);
      assert.ok(r.reference.length > 0);
    }
    assert.equal(findRun(result, 'float32', 'matmul')?.maxAbsError, 0);
    assert.equal(findRun(result, 'f32-simd', 'matmul')?.maxAbsError, 0);
    assert.ok(findRun(result, 'int-jax', 'matmul')?.note?.includes('int32'));
  });

  it('int-jax and i8-simd stay within the derived quantization error bound', async () => {
    for (const kind of ['matmul', 'matvec'] as const) {
      const ops = await generateOperands(kind === 'matmul' ? [32, 32, 32] : [32, 32, 1], SEED);
      const bound = intJaxBound(ops);
      const int = findRun(result, 'int-jax', kind)!;
      assert.ok(int.maxAbsError > 0, `${kind}: int-jax error is exactly 0, it cannot have quantized`);
      assert.ok(int.maxAbsError <= bound, `${kind}: int-jax error ${int.maxAbsError} > bound ${bound}`);
      // Symmetric 8-bit has the same half-step bound with its own (larger) scales.
      const i8 = findRun(result, 'i8-simd', kind)!;
      assert.ok(
        i8.maxAbsError > 0 && i8.maxAbsError <= 2 * bound,
        `${kind}: i8-simd error ${i8.maxAbsError}`,
      );
    }
  });

  it('float16 and i8-relaxed are skipped here with the reason (no float16 casts on wasm, no relaxed SIMD)', () => {
    const f16 = result.skipped.find((s) => s.path === 'float16' && s.device === 'wasm');
    assert.ok(f16, 'float16 on wasm is not in skipped');
    assert.match(f16.reason, /float16/);
    assert.equal(relaxedSimdSupported(), false, 'Node 20 has relaxed SIMD now: measure it in this test');
    const relaxed = result.skipped.find((s) => s.path === 'i8-relaxed');
    assert.ok(relaxed, 'i8-relaxed is not in skipped');
    assert.equal(relaxed.device, 'wasm-simd');
    assert.match(relaxed.reason, /relaxed SIMD/);
    // One entry each, not one per shape.
    assert.equal(result.skipped.filter((s) => s.path === 'i8-relaxed').length, 1);
  });

  it('reports progress when each (path, device, shape) unit starts and ends, reaching the total', () => {
    const total = 2 * ARENA_PATHS.length;
    // done never goes back, grows one unit at a time, and reaches the total
    const dones = progress.map((p) => p.done);
    dones.forEach((d, i) => assert.ok(i === 0 || d === dones[i - 1] || d === dones[i - 1] + 1, `${dones}`));
    assert.equal(dones.at(-1), total);
    assert.equal(new Set(dones).size, total + (dones[0] === 0 ? 1 : 0));
    for (const p of progress) assert.equal(p.total, total);
    // a unit that runs is announced when it starts, before done counts it
    assert.equal(dones[0], 0);
    assert.ok(dones.filter((d, i) => i > 0 && d === dones[i - 1]).length > 0);
    assert.deepEqual([...new Set(progress.map((p) => `${p.path}@${p.device}`))].slice(0, 6), [
      'float32@wasm',
      'int-jax@wasm',
      'float16@wasm',
      'f32-simd@wasm-simd',
      'i8-simd@wasm-simd',
      'i8-relaxed@wasm-simd',
    ]);
  });

  it('gives the memory of the n×n matrix from the arrays built: float32, int8, packed int4', () => {
    assert.deepEqual(result.memory, { float32Bytes: 4096, int8Bytes: 1024 + 4, int4Bytes: 512 + 4 });
  });

  it('writes a note from the numbers', () => {
    assert.match(result.note, /^matmul \(32×32 · 32×32\): fastest /);
    assert.match(result.note, /no int8 dtype/);
    assert.match(result.note, /Not measured: .*float16 on wasm/);
  });
});

describe('int-jax is SPEC §3 quantizedMatmul, timed', () => {
  it('the jitted run gives the core quantizedMatmul output bit for bit (same codes, correction, rescale)', async () => {
    for (const shape of [
      [32, 32, 32],
      [40, 24, 1],
    ] as [number, number, number][]) {
      const ops = await generateOperands(shape, 11);
      const [m, k, n] = shape;
      const want = await quantizedMatmul(ops.a, [m, k], ops.b, [k, n], { bits: 8, scheme: 'affine' });
      assert.ok(
        want.a.zeroPoint[0] !== 0 && want.b.zeroPoint[0] !== 0,
        'the correction terms are not exercised',
      );
      const p = await prepareJaxPath('int-jax', ops, 'wasm');
      try {
        assert.deepEqual(await p.run(), want.output, shape.join('×'));
        assert.deepEqual(await p.run(), want.output, `${shape.join('×')}, second run`);
      } finally {
        p.dispose();
      }
    }
  });
});

describe('the SIMD int8 paths are the exact integer product', () => {
  it('i8-simd: the kernel result is a plain JS loop over the same codes, rescaled', async () => {
    const simd = new SimdKernels();
    for (const shape of [
      [32, 32, 32],
      [37, 45, 1],
    ] as [number, number, number][]) {
      const ops = await generateOperands(shape, 7);
      const [m, k, n] = shape;
      const qa = int8Codes(ops.a, m, k);
      const qb = int8Codes(ops.b, k, n);
      const c = matmul64(qa.codes, qb.codes, m, k, n);
      const p = await prepareSimdPath('i8-simd', ops, simd);
      try {
        const out = await p.run();
        const want = Float32Array.from(c, (v) => v * (qa.scale * qb.scale));
        assert.deepEqual(out, want, `${shape.join('×')}`);
        // The integers really are wide: int8 alone would have overflowed.
        assert.ok(c.some((v) => Math.abs(v) > 127));
      } finally {
        p.dispose();
      }
    }
  });

  it('i8-relaxed: the 7-bit zero-point correction of an exact int32 product is Σ qa·(qb − zb)·sa·sb', async () => {
    const ops = await generateOperands([24, 40, 8], 3);
    const [m, k, n] = ops.shape;
    const r = relaxedOperands(ops);
    assert.ok(
      r.bt.every((v) => v >= 0 && v <= 127),
      'Bt is not 7-bit unsigned',
    );
    assert.ok(r.zb > 0 && r.zb < 127, `zero-point ${r.zb}`);
    // What the relaxed kernel returns (exactly, for Bt in 0…127): Σ qa·qb, from a JS loop.
    const c = new Int32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += r.a[i * k + p] * r.bt[j * k + p];
        c[i * n + j] = s;
      }
    }
    const out = correctRelaxed(c, r.rowCorrections, n, r.scale);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += r.a[i * k + p] * (r.bt[j * k + p] - r.zb);
        assert.equal(out[i * n + j], Math.fround(s * r.scale), `C[${i},${j}]`);
      }
    }
  });
});

describe('runArena control', () => {
  it('rejects bad options with a QuantError', async () => {
    await assert.rejects(runArena({ size: 8 }), QuantError);
    await assert.rejects(runArena({ iterations: 0 }), QuantError);
    // @ts-expect-error not a path
    await assert.rejects(runArena({ paths: ['int4'] }), QuantError);
  });

  it('aborts between runs with an AbortError', async () => {
    const controller = new AbortController();
    const units: ArenaProgress[] = [];
    const run = runArena(
      { size: 32, iterations: 5, mode: 'both', devices: ['wasm'], paths: ['float32', 'f32-simd'] },
      {
        signal: controller.signal,
        onProgress: (p) => {
          units.push(p);
          controller.abort();
        },
      },
    );
    await assert.rejects(run, (e: unknown) => e instanceof DOMException && e.name === 'AbortError');
    assert.equal(units.length, 1, 'the run went on after the abort');
  });

  it('rejects at once when the signal is already aborted', async () => {
    await assert.rejects(
      runArena({ size: 16, devices: ['wasm'] }, { signal: AbortSignal.abort() }),
      (e: unknown) => e instanceof DOMException && e.name === 'AbortError',
    );
  });

  it(
    'skips what would blow the budget (jax-js cpu at 512) with the estimate, and measures the rest',
    { timeout: 30000 },
    async () => {
      const result = await runArena({
        size: 512,
        iterations: 2,
        mode: 'matmul',
        devices: ['cpu'],
        paths: ['float32', 'f32-simd'],
        budgetMs: 8000,
      });
      const cpu = result.skipped.find((s) => s.path === 'float32' && s.device === 'cpu');
      assert.ok(cpu, `cpu float32 at 512 was not skipped: ${JSON.stringify(result.runs)}`);
      assert.match(cpu.reason, /budget/);
      assert.deepEqual(cpu.shape, [512, 512, 512]);
      assert.ok(findRun(result, 'f32-simd', 'matmul'), 'f32-simd did not run');
    },
  );

  it('lists a device that does not initialise (webgpu in Node) as skipped for each jax-js path', async () => {
    const result = await runArena({
      size: 16,
      iterations: 1,
      mode: 'matvec',
      devices: 'auto',
      paths: ['float32', 'int-jax', 'i8-simd'],
    });
    for (const path of ['float32', 'int-jax']) {
      const s = result.skipped.find((x) => x.path === path && x.device === 'webgpu');
      assert.ok(s, `${path} on webgpu not in skipped`);
      assert.match(s.reason, /did not initialise/);
      assert.ok(findRun(result, path, 'matvec'), `${path} on wasm did not run`);
    }
    assert.match(result.note, /webgpu/);
  });
});
