/**
 * <quant-outliers>'s methods on jax-js against the typed-array reference (src/core/outliers/
 * reference.ts): exact codes, scales and (where the integer sums are exact) Y'; SmoothQuant and the
 * rotation exact in float before quantization, up to float32 rounding; the reported metrics; and
 * the edge cases where decompositions go wrong.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { init, type Device } from '@jax-js/jax';
import { HALF_WIDTH, OutliersSession, type MethodInspection } from '../../src/core/outliers/session.js';
import { OUTLIER_METHODS, type OutlierMethod } from '../../src/core/outliers/config.js';
import {
  refAbsMax,
  refHadamard,
  refLlmInt8,
  refMatmul,
  refProduct,
  refQuantize,
  refQuantizedProduct,
  refRotate,
  refSmooth,
  refSmoothingScales,
  referenceOutliers,
  type Matrix,
  type RefMethod,
} from '../../src/core/outliers/reference.js';
import { generateOutlierData } from '../../src/core/outliers/generate.js';
import { lcgNormal } from '../shared/core-cases.js';

const U = 2 ** -24;
/** jax-js's log and exp are good to ~1e−5 (not correctly rounded): s is checked to 2^−14 relative. */
const S_TOL = 2 ** -14;

/** x [t, c] ~ N(0, 1) with `outliers` channels (every third from 1) × `scale`; w [c, o] ~ N(0, 1/c). */
function layer(t: number, c: number, o: number, outliers: number, scale = 20, seed = 3): [Matrix, Matrix] {
  const x = lcgNormal(t * c, seed, 1);
  const picked = new Set(Array.from({ length: outliers }, (_, i) => (1 + 3 * i) % c));
  x.forEach((v, i) => picked.has(i % c) && (x[i] = Math.fround(v * scale)));
  const w = lcgNormal(c * o, seed + 1, 1 / Math.sqrt(c));
  return [
    { data: x, rows: t, cols: c },
    { data: w, rows: c, cols: o },
  ];
}

async function sessionOf(x: Matrix, w: Matrix, device: Device): Promise<OutliersSession> {
  const s = new OutliersSession(device);
  s.setData(x.data, [x.rows, x.cols], w.data, [w.rows, w.cols]);
  return s;
}

const sessions: OutliersSession[] = [];
async function open(x: Matrix, w: Matrix, device: Device = 'wasm'): Promise<OutliersSession> {
  const s = await sessionOf(x, w, device);
  sessions.push(s);
  return s;
}

before(async () => {
  // cpu too: its backend rounds a / b directly where wasm computes a · fl(1/b); codes must not care.
  await init('wasm', 'cpu');
});
after(() => sessions.forEach((s) => s.dispose()));

const asInts = (a: Float32Array) => Int32Array.from(a);

/**
 * The engine's codes, scales and Y' equal the reference's computed from the same quantizer inputs.
 * `output`: 'exact', 'ulp' (jax-js's cpu backend rounds (Σ qx·qw)·sx·sw once, not after each
 * product: within one float32 ulp) or 'skip'.
 */
function assertSameQuantization(
  got: MethodInspection,
  want: RefMethod,
  output: 'exact' | 'ulp' | 'skip' = 'exact',
): void {
  assert.deepEqual(asInts(got.xCodes), want.x.codes, 'activation codes');
  assert.deepEqual(asInts(got.wCodes), want.w.codes, 'weight codes');
  assert.deepEqual(got.xScale, want.x.scale, 'activation scales');
  assert.deepEqual(got.wScale, want.w.scale, 'weight scales');
  if (output === 'exact') assert.deepEqual(got.output, want.output, "Y'");
  if (output === 'ulp')
    withinBound(
      got.output,
      want.output,
      want.output.map((v) => 2 ** -23 * Math.abs(v)),
      "Y'",
    );
}

/** |a − b| ≤ bound elementwise; returns the largest ratio |a − b| / bound. */
function withinBound(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  bound: ArrayLike<number>,
  what: string,
): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]);
    assert.ok(e <= bound[i], `${what}[${i}]: |${a[i]} − ${b[i]}| = ${e} > ${bound[i]}`);
    worst = Math.max(worst, bound[i] ? e / bound[i] : 0);
  }
  return worst;
}

/** Σ_k |a_ik||b_kj| in float64: the scale of float32 rounding in a product. */
function absProduct(a: Matrix, b: Matrix): Float64Array {
  const abs = (m: Matrix): Matrix => ({ ...m, data: m.data.map(Math.abs) });
  return refMatmul(abs(a), abs(b));
}

const CONFIGS = [
  { name: 'W8A8', bits: 8 },
  { name: 'W4A8', weightBits: 4, activationBits: 8 },
  { name: 'W4A4', bits: 4 },
  { name: 'W2A16', weightBits: 2, activationBits: 16 },
] as const;

for (const device of ['wasm', 'cpu'] as const)
  describe(`outlier methods: exact against the reference (${device})`, () => {
    // 10 channels: not a power of two (the rotation pads to 16); 3 outlier channels.
    const [x, w] = layer(12, 10, 7, 3);
    const outputCheck = device === 'cpu' ? 'ulp' : 'exact';
    const bitsOf = (c: (typeof CONFIGS)[number]) => ({
      ab: 'activationBits' in c ? c.activationBits : c.bits,
      wb: 'weightBits' in c ? c.weightBits : c.bits,
    });

    for (const c of CONFIGS) {
      const { ab, wb } = bitsOf(c);
      // 16-bit codes make integer sums of up to 2^15 · 2 · 10, exact; every config here stays below 2^24.
      it(`naive and per-token at ${c.name}: codes, scales and Y'`, async () => {
        const s = await open(x, w, device);
        assertSameQuantization(
          await s.inspect('naive', c),
          refQuantizedProduct(x, w, false, ab, wb),
          outputCheck,
        );
        assertSameQuantization(
          await s.inspect('per-token', c),
          refQuantizedProduct(x, w, true, ab, wb),
          outputCheck,
        );
      });

      it(`llm-int8 at ${c.name}: the float16 part exact, the int part's codes exact`, async () => {
        const s = await open(x, w, device);
        const got = await s.inspect('llm-int8', { ...c, threshold: 6 });
        const want = refLlmInt8(x, w, 6, ab, wb);
        assert.deepEqual(Array.from(got.outlier!), Array.from(want.outlier));
        assert.deepEqual(
          Array.from(want.outlier.keys()).filter((j) => want.outlier[j]),
          [1, 4, 7],
        );
        assert.deepEqual(got.xHalf, want.xHalf);
        assert.deepEqual(got.wHalf, want.wHalf);
        assertSameQuantization(got, want, 'skip');
        // The float16 product is summed in float32 in some order: within its rounding.
        const xh = { ...x, data: want.xHalf };
        const wh = { ...w, data: want.wHalf };
        const bound = absProduct(xh, wh).map(
          (v, i) => (x.cols + 2) * U * v + 2 * U * Math.abs(want.output[i]),
        );
        withinBound(got.output, want.output, bound, "Y'");
      });

      it(`smoothquant at ${c.name}: s, X/s and s·W, codes and Y'`, async () => {
        const s = await open(x, w, device);
        const got = await s.inspect('smoothquant', { ...c, alpha: 0.5 });
        const want = refSmoothingScales(refAbsMax(x, 0), refAbsMax(w, 1), 0.5);
        withinBound(
          got.s!,
          want,
          want.map((v) => S_TOL * v),
          's',
        );
        const [xs, ws] = refSmooth(x, w, got.s!);
        assert.deepEqual(got.wTransformed, ws.data);
        if (device === 'wasm') assert.deepEqual(got.xTransformed, xs.data);
        // cpu computes x · (1/s) without rounding 1/s first: X/s within an ulp, codes from its own X/s.
        else
          withinBound(
            got.xTransformed!,
            xs.data,
            xs.data.map((v) => 2 ** -23 * Math.abs(v)),
            'X/s',
          );
        const engineXs = { ...xs, data: got.xTransformed! };
        assertSameQuantization(got, refQuantizedProduct(engineXs, ws, true, ab, wb), outputCheck);
      });

      it(`rotation at ${c.name}: X H and Hᵀ W, codes and Y'`, async () => {
        const s = await open(x, w, device);
        const got = await s.inspect('rotation', c);
        assert.equal(got.signs!.length, 16);
        assert.ok(got.signs!.every((v) => v === 1 || v === -1));
        const h = refHadamard(got.signs!);
        const [xh, hw] = refRotate(x, w, h);
        const xp: Matrix = { ...x, data: new Float32Array(12 * 16), cols: 16 };
        for (let i = 0; i < 12; i++) xp.data.set(x.data.subarray(i * 10, i * 10 + 10), i * 16);
        const wp: Matrix = { ...w, data: new Float32Array(16 * 7), rows: 16 };
        wp.data.set(w.data);
        withinBound(
          got.xTransformed!,
          xh,
          absProduct(xp, h).map((v) => 18 * U * v),
          'X H',
        );
        const ht: Matrix = { ...h, data: h.data.map((_, i) => h.data[(i % 16) * 16 + Math.floor(i / 16)]) };
        withinBound(
          got.wTransformed!,
          hw,
          absProduct(ht, wp).map((v) => 18 * U * v),
          'Hᵀ W',
        );
        const xr: Matrix = { data: got.xTransformed!, rows: 12, cols: 16 };
        const wr: Matrix = { data: got.wTransformed!, rows: 16, cols: 7 };
        assertSameQuantization(got, refQuantizedProduct(xr, wr, true, ab, wb), outputCheck);
      });
    }
  });

describe('llm-int8: the float16 part over the top channels or over all', () => {
  // 40 channels, every third from 1 an outlier (14); thresholds that put 0, 14, 32, 33 and 40 over.
  const [x, w] = layer(24, 40, 6, 14);
  const xMax = refAbsMax(x, 0);
  const sorted = [...xMax].sort((a, b) => b - a);
  for (const over of [0, 14, HALF_WIDTH, HALF_WIDTH + 1, 40]) {
    it(`${over} channels over the threshold`, async () => {
      const threshold =
        over === 0 ? 1e6 : over === 40 ? sorted[39] / 2 : (sorted[over - 1] + sorted[over]) / 2;
      const s = await open(x, w);
      const got = await s.inspect('llm-int8', { threshold });
      const want = refLlmInt8(x, w, threshold, 8, 8);
      assert.equal(
        want.outlier.reduce((a, b) => a + b, 0),
        over,
      );
      assert.deepEqual(Array.from(got.outlier!), Array.from(want.outlier));
      assert.deepEqual([got.xHalf, got.wHalf], [want.xHalf, want.wHalf]);
      assertSameQuantization(got, want, 'skip');
      const bound = absProduct({ ...x, data: want.xHalf }, { ...w, data: want.wHalf }).map(
        (v, i) => (x.cols + 2) * U * v + 2 * U * Math.abs(want.output[i]),
      );
      withinBound(got.output, want.output, bound, "Y'");
      const r = await s.run({ threshold });
      assert.equal(r.methods[2].floatShare, over / 40);
      assert.equal(r.stats.outlierChannels.length, over);
    });
  }
});

describe('outlier methods: ties', () => {
  it('round half to even at exact ties (scale 1: the row maximum is qmax)', async () => {
    // fl(q · fl(1/q)) = 1 for these q, so x / scale = x and every k + 0.5 is a tie.
    const row = [127, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5];
    const x: Matrix = { data: Float32Array.from([...row, ...row.map((v) => -v)]), rows: 2, cols: 8 };
    const w: Matrix = {
      data: Float32Array.from({ length: 8 * 2 }, (_, i) => (i === 0 ? 127 : (i % 7) - 3.5)),
      rows: 8,
      cols: 2,
    };
    const s = await open(x, w);
    const got = await s.inspect('per-token', { bits: 8 });
    assertSameQuantization(got, refQuantizedProduct(x, w, true, 8, 8));
    assert.deepEqual(Array.from(asInts(got.xCodes.slice(0, 8))), [127, 0, 2, 2, 0, -2, -2, 4]);
    assertSameQuantization(await s.inspect('naive', { bits: 8 }), refQuantizedProduct(x, w, false, 8, 8));
  });
});

describe('SmoothQuant and the rotation are exact in float before quantization', () => {
  for (const [t, c, o] of [
    [12, 10, 7],
    [64, 96, 48],
    [33, 1, 5],
  ] as const) {
    it(`${t}×${c} · ${c}×${o}: |Y_transformed − Y| within float32 rounding`, async () => {
      const [x, w] = layer(t, c, o, Math.min(3, c));
      const s = await open(x, w);
      const y = refMatmul(x, w);
      const scale = absProduct(x, w);
      for (const alpha of [0, 0.5, 1]) {
        const got = await s.inspect('smoothquant', { alpha });
        // Each of X/s, s·W rounds once (the reciprocal twice), then c products are summed.
        const bound = scale.map((v) => 2 * (c + 4) * U * v);
        withinBound(got.transformedProduct!, y, bound, `(X/s)(s·W), α = ${alpha}`);
        withinBound(got.expected, y, bound, 'float Y');
      }
      const got = await s.inspect('rotation');
      const n = got.signs!.length;
      // X H and Hᵀ W each sum c terms, their product n; H is orthogonal up to fl(1/√n)² · n = 1 ± 2u.
      const xr: Matrix = { data: got.xTransformed!, rows: t, cols: n };
      const wr: Matrix = { data: got.wTransformed!, rows: n, cols: o };
      const rotatedScale = absProduct(xr, wr);
      const bound = rotatedScale.map((v, i) => 4 * (n + c + 4) * U * (v + scale[i]));
      withinBound(got.transformedProduct!, y, bound, '(X H)(Hᵀ W)');
    });
  }
});

describe('outlier methods: reported metrics', () => {
  it('run() agrees with the reference on every metric, W8A8 and W4A4', async () => {
    const [x, w] = layer(40, 24, 16, 2);
    const s = await open(x, w);
    for (const config of [{ bits: 8 }, { bits: 4, alpha: 0.7, threshold: 4 }]) {
      const got = await s.run(config);
      const signs = (await s.inspect('rotation', config)).signs!;
      const want = referenceOutliers(x, w, config, signs);
      assert.deepEqual(got.config, want.config);
      assert.deepEqual(got.shape, [40, 24, 16]);
      assert.deepEqual(got.stats.outlierChannels, want.stats.outlierChannels);
      assert.equal(got.stats.rotatedChannels, 32);
      assert.deepEqual(got.stats.xMax, want.stats.xMax);
      assert.deepEqual(got.stats.wMax, want.stats.wMax);
      for (const k of [
        'kurtosisBefore',
        'kurtosisAfterRotation',
        'maxOverMeanBefore',
        'maxOverMeanAfterRotation',
      ] as const)
        assert.ok(Math.abs(got.stats[k]! - want.stats[k]!) <= 1e-5 * want.stats[k]!, k);
      got.methods.forEach((m, i) => {
        const r = want.methods[i];
        assert.equal(m.method, OUTLIER_METHODS[i]);
        // The reference's Y is float64 and its s and X H its own: metrics within 0.5%.
        assert.ok(
          Math.abs(m.relError - r.relError) <= 5e-3 * r.relError,
          `${m.method} relError ${m.relError} vs ${r.relError}`,
        );
        assert.ok(Math.abs(m.sqnrDb - r.sqnrDb) <= 0.05, `${m.method} SQNR`);
        assert.ok(Math.abs(m.maxAbsError - r.maxAbsError) <= 0.02 * r.maxAbsError, `${m.method} max |e|`);
        assert.equal(m.bitsPerValue, r.bitsPerValue);
        assert.equal(m.bitsPerWeight, r.bitsPerWeight);
        assert.equal(m.floatShare, r.floatShare);
        withinBound(
          m.xMaxAfter,
          r.xMaxAfter,
          r.xMaxAfter.map((v) => 1e-4 * v + 1e-30),
          `${m.method} xMaxAfter`,
        );
        withinBound(
          m.wMaxAfter,
          r.wMaxAfter,
          r.wMaxAfter.map((v) => 1e-4 * v + 1e-30),
          `${m.method} wMaxAfter`,
        );
      });
    }
  });

  it("SQNR and errors follow from Y' exactly (inspect and run agree)", async () => {
    const [x, w] = layer(20, 12, 9, 2);
    const s = await open(x, w);
    const result = await s.run({ bits: 6 });
    for (const m of result.methods) {
      const got = await s.inspect(m.method, { bits: 6 });
      let [sq, sy, max] = [0, 0, 0];
      got.output.forEach((v, i) => {
        const e = got.expected[i] - v;
        sq += e * e;
        sy += got.expected[i] ** 2;
        max = Math.max(max, Math.abs(e));
      });
      assert.ok(Math.abs(m.sqnrDb - 10 * Math.log10(sy / sq)) < 1e-9, m.method);
      assert.equal(m.maxAbsError, max, m.method);
    }
  });

  it('the methods rank as the literature says on the generated layer (W8A8)', async () => {
    const [x, w] = layer(128, 64, 64, 3);
    const s = await open(x, w);
    const by = Object.fromEntries((await s.run()).methods.map((m) => [m.method, m.sqnrDb])) as Record<
      OutlierMethod,
      number
    >;
    assert.ok(by['per-token'] > by.naive);
    assert.ok(by.smoothquant > by['per-token']);
    assert.ok(by.rotation > by['per-token']);
    assert.ok(by['llm-int8'] > by.smoothquant);
  });

  it('counts honest bits: scales, float16 channels and their indices, rotation padding', async () => {
    const [x, w] = layer(12, 10, 7, 3);
    const s = await open(x, w);
    const r = await s.run({ weightBits: 4, activationBits: 8 });
    const by = Object.fromEntries(r.methods.map((m) => [m.method, m]));
    const values = 12 * 10 + 10 * 7;
    assert.equal(by.naive.bitsPerValue, (12 * 10 * 8 + 32 + 10 * 7 * 4 + 32) / values);
    assert.equal(by['per-token'].bitsPerValue, (12 * 10 * 8 + 32 * 12 + 10 * 7 * 4 + 32 * 7) / values);
    assert.equal(by.smoothquant.bitsPerValue, by['per-token'].bitsPerValue);
    const int8Bits = 12 * 7 * 8 + 12 * 3 * 16 + 32 * 12 + 3 * 4 + (7 * 7 * 4 + 3 * 7 * 16 + 32 * 7);
    assert.equal(by['llm-int8'].bitsPerValue, int8Bits / values);
    assert.equal(by['llm-int8'].floatShare, 0.3);
    assert.equal(by.rotation.bitsPerValue, (12 * 16 * 8 + 32 * 12 + 16 * 7 * 4 + 32 * 7 + 16) / values);
  });
});

describe('outlier methods: edge cases', () => {
  const finite = (r: Awaited<ReturnType<OutliersSession['run']>>) => {
    for (const m of r.methods) {
      for (const v of [m.sqnrDb, m.relError, m.maxAbsError, m.bitsPerValue])
        assert.ok(!Number.isNaN(v), `${m.method}: NaN`);
      assert.ok(m.xMaxAfter.every(Number.isFinite) && m.wMaxAfter.every(Number.isFinite), m.method);
    }
  };

  it('one channel: every method runs; the rotation of one channel is a sign', async () => {
    const [x, w] = layer(9, 1, 4, 1);
    const s = await open(x, w);
    const r = await s.run();
    finite(r);
    assert.equal(r.stats.rotatedChannels, 1);
    const rot = await s.inspect('rotation');
    assert.deepEqual(rot.xTransformed!.map(Math.abs), x.data.map(Math.abs));
    // One channel per token: per token it is per value, so Y' is within half a step of Y.
    const int8 = r.methods.find((m) => m.method === 'llm-int8')!;
    assert.equal(int8.floatShare, 1);
  });

  it('all channels outliers: LLM.int8() is the float16 product alone', async () => {
    const [x, w] = layer(8, 6, 5, 6);
    const s = await open(x, w);
    const got = await s.inspect('llm-int8', { threshold: 0.001 });
    assert.ok(got.outlier!.every((v) => v === 1));
    assert.ok(got.xCodes.every((v) => v === 0) && got.wCodes.every((v) => v === 0));
    const half = refMatmul({ ...x, data: got.xHalf! }, { ...w, data: got.wHalf! });
    withinBound(
      got.output,
      half,
      half.map((v) => 1e-6 * Math.abs(v) + 1e-7),
      "Y'",
    );
    finite(await s.run({ threshold: 0.001 }));
  });

  it('no outliers: LLM.int8() is per-token exactly', async () => {
    const [x, w] = layer(16, 12, 8, 0);
    const s = await open(x, w);
    for (const threshold of [6, 1e29]) {
      const int8 = await s.inspect('llm-int8', { threshold });
      const perToken = await s.inspect('per-token');
      assert.ok(int8.outlier!.every((v) => v === 0));
      assert.deepEqual(int8.output, perToken.output);
      const r = await s.run({ threshold });
      assert.equal(r.methods[2].floatShare, 0);
      assert.equal(r.methods[2].sqnrDb, r.methods[1].sqnrDb);
      assert.deepEqual(r.stats.outlierChannels, []);
    }
  });

  it('α = 0 moves every weight row to max 1, α = 1 every activation channel', async () => {
    const [x, w] = layer(30, 16, 8, 2);
    const s = await open(x, w);
    const r0 = (await s.run({ alpha: 0 })).methods[3];
    const r1 = (await s.run({ alpha: 1 })).methods[3];
    const near1 = (a: Float32Array) => a.every((v) => Math.abs(v - 1) < 1e-4);
    assert.ok(near1(r0.wMaxAfter), `α = 0: ${r0.wMaxAfter}`);
    assert.ok(near1(r1.xMaxAfter), `α = 1: ${r1.xMaxAfter}`);
    // α = 0: s = 1 / max|W_j|; α = 1: s = max|X_j|.
    const s0 = (await s.inspect('smoothquant', { alpha: 0 })).s!;
    const s1 = (await s.inspect('smoothquant', { alpha: 1 })).s!;
    const xMax = refAbsMax(x, 0);
    const wMax = refAbsMax(w, 1);
    withinBound(
      s0,
      wMax.map((v) => 1 / v),
      s0.map((v) => S_TOL * v),
      's at α = 0',
    );
    withinBound(
      s1,
      xMax,
      s1.map((v) => S_TOL * v),
      's at α = 1',
    );
  });

  it('a zero channel and a zero weight row keep s = 1', async () => {
    const [x, w] = layer(10, 6, 4, 1);
    for (let t = 0; t < 10; t++) x.data[t * 6 + 2] = 0;
    w.data.fill(0, 4 * 4, 5 * 4);
    const s = await open(x, w);
    const got = await s.inspect('smoothquant', { alpha: 0.5 });
    assert.equal(got.s![2], 1);
    assert.equal(got.s![4], 1);
    finite(await s.run());
  });

  it('non-power-of-two channels: the rotation pads to the next power of two', async () => {
    for (const [c, n] of [
      [3, 4],
      [5, 8],
      [17, 32],
    ]) {
      const [x, w] = layer(6, c, 3, 1);
      const s = await open(x, w);
      const r = await s.run();
      assert.equal(r.stats.rotatedChannels, n);
      const rot = r.methods.find((m) => m.method === 'rotation')!;
      assert.equal(rot.xMaxAfter.length, n);
      assert.equal(rot.wMaxAfter.length, n);
      finite(r);
    }
  });

  it('constant X: no NaN, kurtosis null; zero X: error 0', async () => {
    const w = layer(1, 8, 5, 0)[1];
    const constant: Matrix = { data: new Float32Array(10 * 8).fill(0.75), rows: 10, cols: 8 };
    const s = await open(constant, w);
    const r = await s.run();
    finite(r);
    assert.equal(r.stats.kurtosisBefore, null);
    assert.equal(r.stats.maxOverMeanBefore, 1);
    // Per token, a constant row is ±qmax at its own scale: exact.
    const perToken = await s.inspect('per-token');
    assert.ok(perToken.xCodes.every((v) => v === 127));
    const zero = await open({ ...constant, data: new Float32Array(80) }, w);
    const z = await zero.run();
    for (const m of z.methods) assert.deepEqual([m.sqnrDb, m.relError, m.maxAbsError], [Infinity, 0, 0]);
    assert.equal(z.stats.kurtosisBefore, null);
    assert.equal(z.stats.maxOverMeanBefore, null);
  });
});

describe('outlier session', () => {
  it('keeps results per method: an α change recomputes SmoothQuant alone', async () => {
    const [x, w] = layer(16, 8, 8, 1);
    const s = await open(x, w);
    const a = await s.run({ alpha: 0.5 });
    const b = await s.run({ alpha: 0.8 });
    const before = s.counts.calls;
    const c = await s.run({ alpha: 0.5 });
    assert.deepEqual(c, a);
    for (const i of [0, 1, 2, 4]) assert.deepEqual(b.methods[i], a.methods[i]);
    assert.notEqual(b.methods[3].sqnrDb, a.methods[3].sqnrDb);
    // Equal numbers hold without a cache too: what tells is that only SmoothQuant ran again.
    const after = (await s.run({ alpha: 0.3 }), s.counts.calls);
    const ran = Object.keys(after).filter((k) => after[k] !== before[k]);
    assert.deepEqual(ran, ['smoothquant']);
    assert.equal(after.smoothquant - before.smoothquant, 1);
  });

  it('a threshold change below ~3.5 (most channels over it) recomputes LLM.int8() alone, compiling nothing', async () => {
    const data = await generateOutlierData({ tokens: 64, channels: 64 });
    const s = await open({ data: data.x, rows: 64, cols: 64 }, { data: data.w, rows: 64, cols: 64 });
    await s.run({ threshold: 1 });
    const calls = s.counts.calls;
    const traces = s.counts.traces;
    for (const threshold of [1.2, 1.4, 1.6, 1.8]) {
      const r = await s.run({ threshold });
      assert.ok(r.stats.outlierChannels.length > HALF_WIDTH, `${threshold}: over HALF_WIDTH`);
    }
    const now = s.counts;
    assert.deepEqual(now.traces, traces, 'no new kernels');
    const ran = Object.keys(now.calls).filter((k) => now.calls[k] !== calls[k]);
    assert.deepEqual(ran, ['llm-int8 wide']);
    // X and W are rounded to float16 once per layer, not per threshold.
    assert.equal(now.calls['float16 operands'], 1);
  });

  it('rejects bad config and shapes with QuantError', async () => {
    const [x, w] = layer(4, 3, 2, 0);
    const s = await open(x, w);
    for (const bad of [{ alpha: 1.5 }, { threshold: 0 }, { bits: 1 }, { weightBits: 17 }, { alpha: NaN }])
      await assert.rejects(s.run(bad), { name: 'QuantError', code: 'invalid-config' });
    assert.throws(() => s.setData(x.data, [4, 3], w.data, [2, 3]), { code: 'invalid-shape' });
    assert.throws(() => s.setData(x.data.fill(NaN), [4, 3], w.data, [3, 2]), { code: 'invalid-data' });
  });

  it('one compiled function per method: a new shape re-traces, new data does not', async () => {
    const [x, w] = layer(16, 8, 8, 1);
    const s = await open(x, w);
    const first = await s.run();
    const once = s.counts.traces;
    for (const name of ['naive', 'per-token', 'llm-int8', 'smoothquant', 'prepare', 'rotate'])
      assert.equal(once[name], 1, name);
    s.setData(w.data, [8, 8], w.data, [8, 8]);
    const second = await s.run();
    assert.notDeepEqual(second.methods[0].sqnrDb, first.methods[0].sqnrDb);
    const reshaped = s.counts.traces;
    for (const name of ['naive', 'per-token', 'llm-int8', 'smoothquant', 'prepare'])
      assert.equal(reshaped[name], 2, `${name}: a new shape re-traces`);
    // New data in a shape seen before compiles nothing.
    s.setData(
      Float32Array.from(x.data, (v) => v * 2),
      [16, 8],
      w.data,
      [8, 8],
    );
    await s.run();
    s.setData(x.data, [16, 8], w.data, [8, 8]);
    assert.deepEqual(await s.run(), first);
    assert.deepEqual(s.counts.traces, reshaped, 'new data, no new trace');
  });
});

// The reference's own pieces agree with each other (a broken oracle would pass anything).
describe('outlier reference', () => {
  it('refProduct is the float product of the dequantized operands up to float32 rounding', () => {
    const [x, w] = layer(5, 4, 3, 1);
    const xq = refQuantize(x, 'row', 8);
    const wq = refQuantize(w, 'column', 8);
    const y = refProduct(xq, wq, 5, 4, 3);
    const dx = Float32Array.from(xq.codes, (q, i) => q * xq.scale[Math.floor(i / 4)]);
    const dw = Float32Array.from(wq.codes, (q, i) => q * wq.scale[i % 3]);
    const want = refMatmul({ ...x, data: dx }, { ...w, data: dw });
    withinBound(
      y,
      want,
      want.map((v) => 1e-6 * Math.abs(v) + 1e-9),
      'refProduct',
    );
  });

  it('refHadamard is orthogonal', () => {
    const h = refHadamard(Float32Array.of(1, -1, -1, 1, 1, 1, -1, 1));
    const hht = refMatmul(h, { ...h, data: h.data.map((_, i) => h.data[(i % 8) * 8 + Math.floor(i / 8)]) });
    hht.forEach((v, i) => assert.ok(Math.abs(v - (i % 9 === 0 ? 1 : 0)) < 1e-6));
  });
});
