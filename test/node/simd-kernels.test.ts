/**
 * The WebAssembly SIMD kernels of <quant-arena> (src/wasm/*.wat through src/wasm/kernels.ts) against
 * plain JS loops: int8 → int32 exactly, float32 to 1e-5 relative, on random and edge inputs and on
 * every tail of the loop structure (k mod 16 / mod 4, n mod 4, m mod 4, n = 1 for matrix × vector).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KERNELS_WASM, RELAXED_WASM } from '../../src/wasm/kernels.generated.js';
import {
  instantiateKernels,
  instantiateRelaxed,
  packPanels,
  relaxedSimdSupported,
  simdSupported,
  TILED_MIN_N,
  transpose,
  type Kernels,
} from '../../src/wasm/kernels.js';
import { RAGGED_SHAPES, randomInts, refInt, rng, SHAPES } from '../shared/kernel-cases.js';

function randomFloats(length: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (r() * 2 - 1) * 4;
  return out;
}

/** The plain float32 loop (Math.fround after every operation: float32 arithmetic, in order), and
 *  Σ|A[i,kk]·Bt[j,kk]| per output, the scale of its rounding errors. */
function refF32(a: Float32Array, bt: Float32Array, m: number, k: number, n: number) {
  const c = new Float32Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let kk = 0; kk < k; kk++) {
        const p = Math.fround(a[i * k + kk] * bt[j * k + kk]);
        s = Math.fround(s + p);
        abs += Math.abs(p);
      }
      c[i * n + j] = s;
      scale[i * n + j] = abs;
    }
  }
  return { c, scale };
}

function assertIntsEqual(got: Int32Array, want: Int32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) assert.fail(`${what}: C[${i}] = ${got[i]}, the plain loop gives ${want[i]}`);
  }
}

/**
 * The f32 kernel cannot equal the plain loop bit for bit: it adds the k products in a different
 * order (4 interleaved lane sums, lane l holding elements l, l+4, l+8, …, then (l0 + l1) + (l2 + l3),
 * then the k mod 4 tail in order), and float addition is not associative, so the roundings differ.
 * Both orders are within ~k·2⁻²⁴ of the exact sum RELATIVE TO Σ|products| (the standard bound of
 * a float dot product), so that is the scale the 1e-5 tolerance is relative to: relative to |C|
 * alone it would be meaningless where positive and negative products cancel (C near 0). With
 * non-negative inputs (no cancellation, Σ|products| = |C|) it is exactly a 1e-5 relative error.
 */
function assertFloatsClose(
  got: Float32Array,
  want: { c: Float32Array; scale: ArrayLike<number> },
  what: string,
  rel = 1e-5,
): void {
  assert.equal(got.length, want.c.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - want.c[i]);
    if (!(err <= rel * want.scale[i])) {
      assert.fail(`${what}: C[${i}] = ${got[i]}, the plain loop gives ${want.c[i]} (error ${err})`);
    }
  }
}

// The shapes: k around the 16-code (int8) and 4-float (f32) vector widths, n around the 4-column
// blocks (n = 1: matrix × vector), m around the 4-row blocks of the n mod 4 columns.
const shapes = SHAPES;
const odd = [
  { m: 9, k: 31, n: 13 },
  { m: 13, k: 47, n: 6 },
  { m: 64, k: 64, n: 64 },
  { m: 256, k: 256, n: 1 },
  { m: 4, k: 2, n: 4 },
  { m: 5, k: 100, n: 2 },
];

describe('WebAssembly SIMD kernels: the generated module', () => {
  it('is current with src/wasm/*.wat (scripts/build-wasm.mjs --check runs in CI)', () => {
    assert.ok(KERNELS_WASM.length > 8 && RELAXED_WASM.length > 8);
    assert.deepEqual([...KERNELS_WASM.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'wasm magic');
    assert.equal(simdSupported(), true, 'Node 20 has fixed-width SIMD');
    assert.equal(WebAssembly.validate(KERNELS_WASM), true);
  });
});

describe('matmul_i8_bt (int8 × int8 → int32, i32x4.dot_i16x8_s): exact', async () => {
  const K = await instantiateKernels();

  it('equals the plain integer loop on random codes in −127…127, every tail', () => {
    let seed = 1;
    for (const { m, k, n } of [...shapes, ...odd]) {
      const a = randomInts(new Int8Array(m * k), -127, 127, seed++);
      const bt = randomInts(new Int8Array(n * k), -127, 127, seed++);
      assertIntsEqual(K.matmulI8(a, bt, m, k, n), refInt(a, bt, m, k, n), `m=${m} k=${k} n=${n}`);
    }
  });

  it('is exact at the extremes (−127·127, 127·127, −128·−128) for every shape', () => {
    for (const { m, k, n } of [...shapes, ...odd]) {
      for (const [va, vb] of [
        [-127, 127],
        [127, 127],
        [-127, -127],
        [-128, -128],
        [-128, 127],
      ]) {
        const a = new Int8Array(m * k).fill(va);
        const bt = new Int8Array(n * k).fill(vb);
        const want = refInt(a, bt, m, k, n);
        assert.equal(want[0], va * vb * k);
        assertIntsEqual(K.matmulI8(a, bt, m, k, n), want, `${va}·${vb}, m=${m} k=${k} n=${n}`);
      }
      // Alternating signs: extremes that cancel in pairs, and one last odd element at the tail.
      const a = new Int8Array(m * k).map((_, i) => (i % 2 ? -127 : 127));
      const bt = new Int8Array(n * k).map((_, i) => (i % 3 ? 127 : -127));
      assertIntsEqual(
        K.matmulI8(a, bt, m, k, n),
        refInt(a, bt, m, k, n),
        `alternating, m=${m} k=${k} n=${n}`,
      );
    }
  });

  it('handles empty shapes (k = 0 gives zeros; m = 0 or n = 0 an empty C)', () => {
    assert.deepEqual([...K.matmulI8(new Int8Array(0), new Int8Array(0), 2, 0, 3)], [0, 0, 0, 0, 0, 0]);
    assert.equal(K.matmulI8(new Int8Array(0), new Int8Array(12), 0, 4, 3).length, 0);
    assert.equal(K.matmulI8(new Int8Array(8), new Int8Array(0), 2, 4, 0).length, 0);
  });
});

describe('matmul_f32_bt (f32x4): the plain float32 loop to 1e-5 relative', async () => {
  const K = await instantiateKernels();

  it('matches on random floats, every tail (error relative to Σ|products|)', () => {
    let seed = 1000;
    for (const { m, k, n } of [...shapes, ...odd]) {
      const a = randomFloats(m * k, seed++);
      const bt = randomFloats(n * k, seed++);
      assertFloatsClose(K.matmulF32(a, bt, m, k, n), refF32(a, bt, m, k, n), `m=${m} k=${k} n=${n}`);
    }
  });

  it('matches to 1e-5 of |C| itself on non-negative inputs (no cancellation)', () => {
    let seed = 2000;
    for (const { m, k, n } of [...shapes, ...odd]) {
      const a = randomFloats(m * k, seed++).map(Math.abs);
      const bt = randomFloats(n * k, seed++).map(Math.abs);
      const want = refF32(a, bt, m, k, n);
      assertFloatsClose(
        K.matmulF32(a, bt, m, k, n),
        { c: want.c, scale: want.c.map(Math.abs) },
        `m=${m} k=${k} n=${n}`,
      );
    }
  });

  it('is exact on small integers (every partial sum is exactly representable), every tail', () => {
    let seed = 3000;
    for (const { m, k, n } of [...shapes, ...odd]) {
      const a = Float32Array.from(randomInts(new Int8Array(m * k), -9, 9, seed++));
      const bt = Float32Array.from(randomInts(new Int8Array(n * k), -9, 9, seed++));
      assert.deepEqual([...K.matmulF32(a, bt, m, k, n)], [...refInt(a, bt, m, k, n)], `m=${m} k=${k} n=${n}`);
    }
  });
});

describe('the 4×8 tiled kernels (issue 20) at ragged sizes: m, k, n each in 1, 3, 17, 64, 65, 255', async () => {
  const K = await instantiateKernels();

  it('take the tiled path exactly when n ≥ TILED_MIN_N, and the row-dot path below it', () => {
    for (const n of [1, 3, 4, 17]) {
      const p = K.prepareI8(new Int8Array(5 * 3), new Int8Array(n * 3), 5, 3, n);
      assert.equal(p.tiled, n >= TILED_MIN_N, `n=${n}`);
      assert.equal(K.prepareF32(new Float32Array(5 * 3), new Float32Array(n * 3), 5, 3, n).tiled, n >= 4);
    }
    K.reset();
  });

  it('gemm_i8_4x8c2: the int8 product equals the plain integer loop (exact int32), every shape', () => {
    let seed = 7000;
    for (const { m, k, n } of RAGGED_SHAPES) {
      const a = randomInts(new Int8Array(m * k), -128, 127, seed++);
      const bt = randomInts(new Int8Array(n * k), -128, 127, seed++);
      assertIntsEqual(K.matmulI8(a, bt, m, k, n), refInt(a, bt, m, k, n), `m=${m} k=${k} n=${n}`);
    }
  });

  it('gemm_f32_4x8: exact on small integers, and the plain float32 loop to 1e-5, every shape', () => {
    let seed = 8000;
    for (const { m, k, n } of RAGGED_SHAPES) {
      // |sum| ≤ 9·9·255 < 2²⁴: every float32 partial sum is exact whatever the order.
      const a = Float32Array.from(randomInts(new Int8Array(m * k), -9, 9, seed++));
      const bt = Float32Array.from(randomInts(new Int8Array(n * k), -9, 9, seed++));
      assertIntsEqual(
        Int32Array.from(K.matmulF32(a, bt, m, k, n)),
        refInt(a, bt, m, k, n),
        `m=${m} k=${k} n=${n}`,
      );
      const fa = randomFloats(m * k, seed++);
      const fbt = randomFloats(n * k, seed++);
      assertFloatsClose(
        K.matmulF32(fa, fbt, m, k, n),
        refF32(fa, fbt, m, k, n),
        `floats m=${m} k=${k} n=${n}`,
      );
    }
  });

  it('the padding stays zero after other operands used the same memory (stale bytes would leak in)', () => {
    K.reset();
    const big = randomInts(new Int8Array(255 * 255), -128, 127, 9000);
    K.prepareI8(big, big, 255, 255, 255).run();
    K.reset();
    const a = randomInts(new Int8Array(17 * 3), -128, 127, 9001);
    const bt = randomInts(new Int8Array(65 * 3), -128, 127, 9002);
    const p = K.prepareI8(a, bt, 17, 3, 65);
    p.run();
    assertIntsEqual(p.read(), refInt(a, bt, 17, 3, 65), 'after a larger product');
    K.reset();
  });

  it('dequantizer(): (C − offsets[row]) · scale in wasm, bit for bit the JS float64 expression', () => {
    let seed = 9100;
    for (const { m, k, n } of [
      { m: 17, k: 65, n: 3 },
      { m: 65, k: 17, n: 64 },
      { m: 3, k: 255, n: 17 },
    ]) {
      K.reset();
      const a = randomInts(new Int8Array(m * k), -127, 127, seed++);
      const bt = randomInts(new Int8Array(n * k), -127, 127, seed++);
      const offsets = Int32Array.from(randomInts(new Int8Array(m), -127, 127, seed++), (v) => v * 1000);
      const scale = 0.0123456789 / 127;
      const p = K.prepareI8(a, bt, m, k, n);
      const read = p.dequantizer(scale, offsets);
      p.run();
      const c = refInt(a, bt, m, k, n);
      const want = Float32Array.from(c, (v, i) => (v - offsets[Math.floor(i / n)]) * scale);
      assert.deepEqual(read(), want, `m=${m} k=${k} n=${n}`);
      assert.deepEqual(
        p.dequantizer(scale)(),
        Float32Array.from(c, (v) => v * scale),
        'no offsets',
      );
    }
    K.reset();
  });

  it('packPanels(): element (P·tile + r, t·w + e) lands at ((P·S + t)·tile + r)·w + e, padding 0', () => {
    // 3 rows × 3 k into panels of 2 rows, 2 k a step: S = 2 steps, 2 panels.
    const dst = new Array<number>(2 * 2 * 2 * 2).fill(0);
    packPanels([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3, 2, 2, dst);
    // panel 0: step 0 rows 0,1 = (1,2),(4,5); step 1 = (3,0),(6,0); panel 1: (7,8),(0,0); (9,0),(0,0)
    assert.deepEqual(dst, [1, 2, 4, 5, 3, 0, 6, 0, 7, 8, 0, 0, 9, 0, 0, 0]);
  });
});

// The relaxed kernel (matmul_i8_relaxed_bt) is checked for exactness in Chromium, in
// test/simd-kernels.test.ts, which also asserts that the module validates there. Node 20's V8 11.3
// has relaxed SIMD only behind --experimental-wasm-relaxed-simd, and there its baseline compiler
// (Liftoff) gets relaxed_dot_i8x16_i7x16_add_s wrong (16 ones · 16 ones gives 32; with
// --no-liftoff, 16): a bug of that pre-release, so the exactness tests are not run here at all
// rather than skipped. What Node can check: the loader says "no relaxed SIMD" exactly when the
// runtime rejects the module.
describe('matmul_i8_relaxed_bt in Node', async () => {
  const R = await instantiateRelaxed();
  it('instantiateRelaxed() resolves null exactly when WebAssembly.validate(RELAXED_WASM) is false', () => {
    assert.equal(R === null, !WebAssembly.validate(RELAXED_WASM));
    assert.equal(relaxedSimdSupported(), WebAssembly.validate(RELAXED_WASM));
  });
});

describe('the loader (src/wasm/kernels.ts)', async () => {
  const K: Kernels = await instantiateKernels();

  it('prepare(): operands stay resident, run() repeats, read() copies C', () => {
    K.reset();
    const m = 7;
    const k = 33;
    const n = 5;
    const a = randomInts(new Int8Array(m * k), -127, 127, 5000);
    const bt = randomInts(new Int8Array(n * k), -127, 127, 5001);
    const fa = randomFloats(m * k, 5002);
    const fbt = randomFloats(n * k, 5003);
    const pi = K.prepareI8(a, bt, m, k, n);
    const pf = K.prepareF32(fa, fbt, m, k, n);
    assert.deepEqual([...pi.read()], new Array(m * n).fill(0), 'C is zero before the first run');
    a.fill(0); // the kernel works on its own copy
    for (let r = 0; r < 3; r++) {
      pi.run();
      pf.run();
    }
    const want = refInt(randomInts(new Int8Array(m * k), -127, 127, 5000), bt, m, k, n);
    const c = pi.read();
    assertIntsEqual(c, want, 'after 3 runs');
    c.fill(1);
    assertIntsEqual(pi.read(), want, 'read() returns a copy');
    assertFloatsClose(pf.read(), refF32(fa, fbt, m, k, n), 'f32 handle beside the int8 one');
    assert.deepEqual([pi.m, pi.k, pi.n], [m, k, n]);
  });

  it('reset() frees the operands: an earlier handle throws', () => {
    const p = K.prepareI8(new Int8Array(4), new Int8Array(4), 1, 4, 1);
    K.reset();
    assert.throws(() => p.run(), /after reset/);
    assert.throws(() => p.read(), /after reset/);
  });

  it('grows the memory for large operands; one-shot calls free what they used', () => {
    K.reset();
    const before = K.memory.buffer.byteLength;
    const m = 300;
    const k = 260;
    const n = 70;
    const a = randomFloats(m * k, 6000);
    const bt = randomFloats(n * k, 6001);
    assertFloatsClose(K.matmulF32(a, bt, m, k, n), refF32(a, bt, m, k, n), 'after growing');
    const grown = K.memory.buffer.byteLength;
    assert.ok(grown >= (m * k + n * k + m * n) * 4 && grown > before);
    for (let r = 0; r < 5; r++) K.matmulF32(a, bt, m, k, n);
    assert.equal(K.memory.buffer.byteLength, grown, 'repeated one-shot calls reuse the same memory');
  });

  it('rejects operands whose sizes do not match m, k, n', () => {
    assert.throws(() => K.matmulI8(new Int8Array(5), new Int8Array(4), 1, 4, 1), RangeError);
    assert.throws(() => K.matmulF32(new Float32Array(4), new Float32Array(3), 1, 4, 1), RangeError);
    assert.throws(() => K.matmulF32(new Float32Array(4), new Float32Array(4), 1.5, 4, 1), RangeError);
  });

  it('transpose() gives Bt from a row-major B, so matmul(A, transpose(B)) = A·B', () => {
    // B = [[1, 2, 3], [4, 5, 6]] (k = 2, n = 3) → Bt = [[1, 4], [2, 5], [3, 6]]
    const b = new Int8Array([1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...transpose(b, 2, 3)], [1, 4, 2, 5, 3, 6]);
    assert.ok(transpose(new Float32Array(6), 2, 3) instanceof Float32Array);
    const a = new Int8Array([1, -1]); // 1×2
    assert.deepEqual([...K.matmulI8(a, transpose(b, 2, 3), 1, 2, 3)], [-3, -3, -3]);
  });
});
