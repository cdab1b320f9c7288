/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { RELAXED_WASM } from '../src/wasm/kernels.generated.js';
import {
  instantiateKernels,
  instantiateRelaxed,
  relaxedSimdSupported,
  type RelaxedKernels,
} from '../src/wasm/kernels.js';
import { RAGGED_SHAPES, randomInts, refInt, SHAPES } from './shared/kernel-cases.js';

// The WebAssembly SIMD kernels of <quant-arena> in Chromium, the runtime they are for. Node covers
// the f32/int8 pair in depth (test/node/simd-kernels.test.ts) but cannot check the relaxed-SIMD
// kernel (Node 20 has relaxed SIMD only behind a flag, as a buggy pre-release): it is checked here,
// where it must validate, never skipped.

/** Asserts got = want element by element, naming the first difference. */
function expectSame(got: Int32Array, want: Int32Array, what: string): void {
  expect(got.length, `${what}: length`).to.equal(want.length);
  const i = want.findIndex((v, j) => got[j] !== v);
  if (i >= 0) expect.fail(`${what}: C[${i}] = ${got[i]}, the plain loop gives ${want[i]}`);
}

const shapes = [...SHAPES, { m: 9, k: 31, n: 13 }, { m: 64, k: 64, n: 64 }, { m: 256, k: 256, n: 1 }];

describe('WebAssembly SIMD kernels in Chromium', () => {
  it('relaxed SIMD validates here (Chromium ≥ 114), so the i8-relaxed path is never skipped', async () => {
    expect(WebAssembly.validate(RELAXED_WASM)).to.equal(true);
    expect(relaxedSimdSupported()).to.equal(true);
    expect(await instantiateRelaxed()).to.not.equal(null);
  });

  describe('matmul_i8_relaxed_bt: exact when Bt holds 7-bit unsigned codes', () => {
    let R: RelaxedKernels;
    before(async () => {
      R = (await instantiateRelaxed())!;
    });

    it('equals the plain integer loop on random A in −128…127 and Bt in 0…127, every tail', () => {
      let seed = 1;
      for (const { m, k, n } of shapes) {
        const a = randomInts(new Int8Array(m * k), -128, 127, seed++);
        const bt = randomInts(new Uint8Array(n * k), 0, 127, seed++);
        const got = R.matmulI8Relaxed(a, bt, m, k, n);
        expectSame(got, refInt(a, bt, m, k, n), `m=${m} k=${k} n=${n}`);
      }
    });

    it('is exact at the extremes (−128·127, −127·127, 127·127, x·0)', () => {
      for (const { m, k, n } of shapes) {
        for (const [va, vb] of [
          [-128, 127],
          [-127, 127],
          [127, 127],
          [-128, 0],
        ]) {
          const a = new Int8Array(m * k).fill(va);
          const bt = new Uint8Array(n * k).fill(vb);
          const got = R.matmulI8Relaxed(a, bt, m, k, n);
          expect(got[0], `${va}·${vb}, m=${m} k=${k} n=${n}`).to.equal(va * vb * k);
          expectSame(got, refInt(a, bt, m, k, n), `${va}·${vb}, m=${m} k=${k} n=${n}`);
        }
      }
    });

    it('equals the exact int8 kernel on the same codes, including after repeated runs', async () => {
      const K = await instantiateKernels();
      const m = 33;
      const k = 70;
      const n = 9;
      const a = randomInts(new Int8Array(m * k), -127, 127, 99);
      const bt = randomInts(new Int8Array(n * k), 0, 127, 100);
      const p = R.prepareI8Relaxed(a, bt, m, k, n);
      for (let r = 0; r < 5; r++) p.run();
      expectSame(p.read(), K.matmulI8(a, bt, m, k, n), 'relaxed vs exact int8');
      R.reset();
    });

    it('gemm_i8_relaxed_4x8c4 (tiled, n ≥ 4) and the row dots (n < 4): exact at m, k, n in 1, 3, 17, 64, 65, 255', () => {
      let seed = 500;
      let tiled = 0;
      for (const { m, k, n } of RAGGED_SHAPES) {
        const a = randomInts(new Int8Array(m * k), -128, 127, seed++);
        const bt = randomInts(new Uint8Array(n * k), 0, 127, seed++);
        const p = R.prepareI8Relaxed(a, bt, m, k, n);
        if (p.tiled) tiled++;
        p.run();
        expectSame(p.read(), refInt(a, bt, m, k, n), `m=${m} k=${k} n=${n}`);
        R.reset();
      }
      expect(tiled, 'shapes on the tiled kernel').to.equal(RAGGED_SHAPES.filter((s) => s.n >= 4).length);
    });

    it('dequantizer(): the zero-point correction and rescale in wasm equal the JS expression', () => {
      const [m, k, n] = [17, 65, 64];
      const a = randomInts(new Int8Array(m * k), -127, 127, 600);
      const bt = randomInts(new Uint8Array(n * k), 0, 127, 601);
      const offsets = Int32Array.from({ length: m }, (_, i) => (i - 8) * 977);
      const p = R.prepareI8Relaxed(a, bt, m, k, n);
      const read = p.dequantizer(1 / 3, offsets);
      p.run();
      const c = refInt(a, bt, m, k, n);
      const want = Float32Array.from(c, (v, i) => (v - offsets[Math.floor(i / n)]) * (1 / 3));
      expect([...read()]).to.deep.equal([...want]);
      R.reset();
    });

    it('rejects Bt codes outside 0…127', () => {
      expect(() => R.matmulI8Relaxed(new Int8Array(2), new Uint8Array([1, 200]), 1, 2, 1)).to.throw(
        RangeError,
      );
      expect(() => R.matmulI8Relaxed(new Int8Array(2), new Int8Array([1, -2]), 1, 2, 1)).to.throw(RangeError);
    });
  });

  it('matmul_i8_bt is exact and matmul_f32_bt is exact on small integers, every tail', async () => {
    const K = await instantiateKernels();
    let seed = 1000;
    for (const { m, k, n } of shapes) {
      const a = randomInts(new Int8Array(m * k), -127, 127, seed++);
      const bt = randomInts(new Int8Array(n * k), -127, 127, seed++);
      const want = refInt(a, bt, m, k, n);
      expectSame(K.matmulI8(a, bt, m, k, n), want, `i8 m=${m} k=${k} n=${n}`);
      // Small integers: every float32 partial sum is exact (|sum| ≤ 9·9·256 < 2^24).
      const fa = Float32Array.from(a, (v) => v % 10);
      const fbt = Float32Array.from(bt, (v) => v % 10);
      const got = Int32Array.from(K.matmulF32(fa, fbt, m, k, n));
      expectSame(got, refInt(fa, fbt, m, k, n), `f32 m=${m} k=${k} n=${n}`);
    }
  });
});
