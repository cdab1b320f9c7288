/** The core in Node 20 (wasm only): conformance table, hand-checked ties, bad input. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_CONFIG,
  QuantError,
  dequantize,
  generateWeights,
  quantizeArray,
  quantizedMatmul,
  availableDevices,
  createSession,
  histogramCounts,
} from '../../src/core/index.js';
import { referenceHistogram, referenceQuantize } from '../../src/core/reference.js';
import { roundHalfEvenData, roundingNoiseData } from '../../src/core/engine.js';
import {
  compareResults,
  conformanceFailures,
  coreCases,
  lcgNormal,
  raggedStochasticCases,
  stochasticFailures,
} from '../shared/core-cases.js';
import { badInputs } from '../shared/bad-inputs.js';
import { formatCases } from '../shared/format-cases.js';

describe('core in Node', () => {
  it('initialises wasm without a navigator', async () => {
    const devices = await availableDevices();
    assert.ok(devices.includes('wasm'), `devices: ${devices}`);
    assert.ok(!devices.includes('webgpu'));
  });

  it('rounds half to even exactly, at every tie and near-tie', async () => {
    const values = Float32Array.of(
      0.5,
      1.5,
      2.5,
      -0.5,
      -1.5,
      -2.5,
      0.49999997,
      0.50000006,
      -0.49999997,
      8388607.5,
      -8388607.5,
      8388609,
      16777216,
      3.4e38,
      -0,
      1e-45,
      254.5,
      255.5,
    );
    const want = [
      0, 2, 2, -0, -2, -2, 0, 1, -0, 8388608, -8388608, 8388609, 16777216, 3.4e38, -0, 0, 254, 256,
    ];
    const got = await roundHalfEvenData(values);
    assert.deepEqual(
      Array.from(got, (v) => v + 0),
      want.map((v) => Math.fround(v) + 0),
    );
  });

  it('matches the reference on the conformance table', async () => {
    assert.deepEqual(await conformanceFailures((c) => quantizeArray(c.data, c.shape, c.config)), []);
  });

  it('matches the reference through a jit-compiled session too', async () => {
    const session = await createSession('wasm', { jit: true });
    try {
      const failures = await conformanceFailures(async (c) => {
        session.setData(c.data, c.shape);
        return session.quantize(c.config);
      });
      assert.deepEqual(failures, []);
    } finally {
      session.dispose();
    }
  });

  it('dequantized() leaves exactly quantize()’s dequantized values on the device', async () => {
    const session = await createSession('wasm', { jit: true });
    try {
      for (const c of [...coreCases(), ...raggedStochasticCases(), ...formatCases()]) {
        session.setData(c.data, c.shape);
        const want = (await session.quantize(c.config)).dequantized;
        const { values, scales } = await session.dequantized(c.config);
        const got = (await values.data()) as Float32Array;
        assert.equal(got.length, want.length, c.name);
        assert.ok(
          got.every((v, i) => Object.is(v, want[i])),
          `${c.name}: dequantized values differ`,
        );
        assert.equal(scales, (await session.quantize(c.config)).scale.length, c.name);
      }
    } finally {
      session.dispose();
    }
  });

  it('matches the reference on ragged groups with stochastic rounding, one draw per value', async () => {
    assert.deepEqual(
      await stochasticFailures((c) => quantizeArray(c.data, c.shape, c.config), roundingNoiseData),
      [],
    );
    const session = await createSession('wasm', { jit: true });
    try {
      const failures = await stochasticFailures(async (c) => {
        session.setData(c.data, c.shape);
        return session.quantize(c.config);
      }, roundingNoiseData);
      assert.deepEqual(failures, []);
    } finally {
      session.dispose();
    }
  });

  it('quantizes a row’s shorter last group as its own values alone', async () => {
    const data = lcgNormal(30, 50);
    for (const calibration of ['minmax', 'percentile', 'mse'] as const) {
      for (const scheme of ['affine', 'symmetric'] as const) {
        const config = {
          bits: 4,
          scheme,
          calibration,
          percentile: 80,
          granularity: 'group',
          groupSize: 4,
        } as const;
        const whole = referenceQuantize(data, [3, 10], config);
        const engine = await quantizeArray(data, [3, 10], config);
        assert.deepEqual(compareResults(engine, whole), [], `${scheme} ${calibration}`);
        assert.equal(whole.scale.length, 9);
        for (let g = 0; g < 9; g++) {
          const start = Math.floor(g / 3) * 10 + (g % 3) * 4;
          const end = g % 3 === 2 ? start + 2 : start + 4;
          const alone = referenceQuantize(data.subarray(start, end), [end - start], {
            ...config,
            granularity: 'tensor',
          });
          const what = `${scheme} ${calibration} group ${g}`;
          assert.equal(whole.scale[g], alone.scale[0], what);
          assert.equal(whole.zeroPoint[g], alone.zeroPoint[0], what);
          assert.deepEqual(whole.codes.subarray(start, end), alone.codes, what);
        }
      }
    }
  });

  it('gives hand-computed parameters for a short group', async () => {
    const f = Math.fround;
    // Row of 10 in groups of 4: the last group is [−1, 0.5].
    const data = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, -1, 0.5);
    const minmax = await quantizeArray(data, [1, 10], { granularity: 'group', groupSize: 4 });
    assert.equal(minmax.scale[2], f(f(1.5) * f(1 / 255))); // (hi − lo) / 255 as a · fl(1/b)
    assert.equal(minmax.zeroPoint[2], 170); // 0 − round(−1 / scale)
    assert.deepEqual(Array.from(minmax.codes.subarray(8)), [0, 255]);
    // Percentile of the group's own |x| = [0.5, 1]: position 0.75 · (2 − 1) → 0.5 + 0.5 · 0.75 = 0.875.
    // (Zero-padded to [0, 0, 0.5, 1] it would be 0.625.)
    const config = {
      scheme: 'symmetric',
      calibration: 'percentile',
      percentile: 75,
      granularity: 'group',
      groupSize: 4,
    } as const;
    const pct = await quantizeArray(data, [1, 10], config);
    assert.equal(pct.scale[2], f(0.875 * f(1 / 127)));
    assert.equal(referenceQuantize(data, [1, 10], config).scale[2], pct.scale[2]);
    // stats are over the 10 values and the 3 real scales
    assert.equal(minmax.stats.bitsPerWeight, 8 + (32 * 3 + 8 * 3) / 10);
    assert.equal(pct.stats.bitsPerWeight, 8 + (32 * 3) / 10);
  });

  it('counts stats over the real values of a ragged layout only', async () => {
    // 2×5 in groups of 4: 4 scales, 10 values; 2-bit clips the big values of the full groups.
    const data = Float32Array.of(10, 0.1, 0.2, -0.3, 0.05, -8, 0.3, 0.1, 0.2, -0.02);
    const config = {
      bits: 2,
      calibration: 'percentile',
      percentile: 60,
      granularity: 'group',
      groupSize: 4,
    } as const;
    const r = await quantizeArray(data, [2, 5], config);
    const want = referenceQuantize(data, [2, 5], config);
    assert.deepEqual(compareResults(r, want), []);
    assert.equal(r.scale.length, 4);
    assert.equal(r.stats.bitsPerWeight, 2 + (32 * 4 + 2 * 4) / 10);
    let sq = 0;
    for (let i = 0; i < 10; i++) sq += (data[i] - r.dequantized[i]) ** 2;
    assert.ok(Math.abs(r.stats.mse - sq / 10) <= 1e-12 * Math.max(1, sq));
    assert.ok(r.stats.clippedFraction > 0);
    assert.equal(Math.round(r.stats.clippedFraction * 10), r.stats.clippedFraction * 10);
    // the clip mask is one flag per value, as the stats counted them
    const session = await createSession('wasm');
    try {
      session.setData(data, [2, 5]);
      const masked = await session.quantize(config, { clipMask: true });
      assert.equal(masked.clipped?.length, 10);
      const count = masked.clipped!.reduce((a, b) => a + b, 0);
      assert.equal(count / 10, r.stats.clippedFraction);
      assert.deepEqual(masked.codes, r.codes);
    } finally {
      session.dispose();
    }
  });

  it('survives setData while stochastic noise is still being moved to its device', async () => {
    // cpu is not the default device, so the noise takes an await to arrive there.
    const session = await createSession('cpu', { jit: false });
    try {
      session.setData(lcgNormal(16, 1), [4, 4]);
      const first = session.quantize({ rounding: 'stochastic', seed: 3 });
      const bigger = lcgNormal(64, 2);
      session.setData(bigger, [8, 8]);
      assert.equal((await first).codes.length, 16); // the data it started with
      const config = { rounding: 'stochastic', seed: 3, bits: 4 } as const;
      const second = await session.quantize(config);
      const noise = await roundingNoiseData(3, 64);
      const want = referenceQuantize(bigger, [8, 8], config, noise).codes;
      // cpu evaluates fused kernels in float64: a code may differ by one at a near-tie
      second.codes.forEach((c, i) => assert.ok(Math.abs(c - want[i]) <= 1, `code ${i}`));
    } finally {
      session.dispose();
    }
  });

  it('rejects a finite range wider than float32 instead of returning NaN', async () => {
    await assert.rejects(quantizeArray([3e38, -3e38, 1, 0], [4]), { code: 'invalid-data' });
    const tiny = await quantizeArray([1e-40, -1e-40, 0, 0], [4]);
    assert.ok(tiny.dequantized.every(Number.isFinite) && Number.isFinite(tiny.stats.mse));
  });

  it('bins a histogram on jax-js exactly like the reference loop', async () => {
    const values = lcgNormal(10_000, 12);
    for (const [lo, hi, bins] of [
      [-1.7, 1.9, 64],
      [-0.5, 0.5, 7],
      [0, 0, 8],
    ] as const) {
      const got = await histogramCounts(values, lo, hi, bins);
      assert.deepEqual(
        Array.from(got),
        Array.from(referenceHistogram(values, lo, hi, bins)),
        `${lo}..${hi} / ${bins}`,
      );
      assert.equal(
        got.reduce((a, b) => a + b, 0),
        values.length,
      );
    }
  });

  it('gives hand-computed codes at ties (affine 2-bit, scale exactly 1)', async () => {
    const data = Float32Array.of(-1.5, -0.5, 0.5, 1.5);
    const even = await quantizeArray(data, [4], { bits: 2 });
    assert.equal(even.scale[0], 1);
    assert.equal(even.zeroPoint[0], 2); // 0 − round_half_even(−1.5) = 2
    assert.deepEqual(Array.from(even.codes), [0, 2, 2, 3]); // 1.5 → 2 + 2 = 4, clipped to 3
    assert.equal(even.stats.clippedFraction, 0.25);
    const up = await quantizeArray(data, [4], { bits: 2, rounding: 'half-up' });
    assert.deepEqual(Array.from(up.codes), [1, 2, 3, 3]);
  });

  it('matches the reference with stochastic rounding, reproducibly', async () => {
    const data = lcgNormal(256, 9);
    for (const config of [
      { bits: 4, rounding: 'stochastic', seed: 3 },
      { bits: 3, rounding: 'stochastic', seed: 3, scheme: 'symmetric', granularity: 'group', groupSize: 8 },
      { bits: 2, rounding: 'stochastic', seed: 8, calibration: 'mse' },
    ] as const) {
      const noise = await roundingNoiseData(config.seed, data.length);
      assert.ok(noise.every((u) => u >= 0 && u < 1));
      const got = await quantizeArray(data, [16, 16], config);
      assert.deepEqual(compareResults(got, referenceQuantize(data, [16, 16], config, noise)), []);
      const again = await quantizeArray(data, [16, 16], config);
      assert.deepEqual(again.codes, got.codes);
    }
    const other = await quantizeArray(data, [16, 16], { bits: 4, rounding: 'stochastic', seed: 4 });
    const first = await quantizeArray(data, [16, 16], { bits: 4, rounding: 'stochastic', seed: 3 });
    assert.notDeepEqual(other.codes, first.codes);
  });

  it('matches the reference on every distribution', async () => {
    for (const distribution of ['normal', 'uniform', 'laplace', 'outliers'] as const) {
      const data = await generateWeights(distribution, 64 * 64, { seed: 21 });
      for (const config of [
        { bits: 4 },
        { bits: 8, scheme: 'symmetric', granularity: 'channel' },
        { bits: 4, granularity: 'group', groupSize: 32, calibration: 'mse' },
        { bits: 3, calibration: 'percentile', percentile: 99.9 },
      ] as const) {
        const got = await quantizeArray(data, [64, 64], config);
        assert.deepEqual(
          compareResults(got, referenceQuantize(data, [64, 64], config)),
          [],
          `${distribution} ${JSON.stringify(config)}`,
        );
      }
    }
  });

  it('generates reproducible weights with the asked spread', async () => {
    for (const distribution of ['normal', 'uniform', 'laplace', 'outliers'] as const) {
      const a = await generateWeights(distribution, 100_000, { seed: 5, std: 0.5 });
      const b = await generateWeights(distribution, 100_000, { seed: 5, std: 0.5 });
      const c = await generateWeights(distribution, 100_000, { seed: 6, std: 0.5 });
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, c);
      const mean = a.reduce((s, v) => s + v, 0) / a.length;
      const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
      const expected = distribution === 'outliers' ? 0.5 * Math.sqrt(1 + 0.001 * (400 - 1)) : 0.5;
      assert.ok(Math.abs(mean) < 0.02, `${distribution} mean ${mean}`);
      assert.ok(Math.abs(std / expected - 1) < 0.03, `${distribution} std ${std} vs ${expected}`);
      if (distribution === 'uniform') assert.ok(Math.max(...a.map(Math.abs)) <= 0.5 * Math.sqrt(3));
      if (distribution === 'outliers') {
        const base = await generateWeights('normal', 100_000, { seed: 5, std: 0.5 });
        let changed = 0;
        for (let i = 0; i < a.length; i++) if (a[i] !== base[i]) changed++;
        assert.equal(changed, 100); // exactly 0.1%
      }
    }
  });

  it('takes a seed from 0 to 4294967295 (SPEC §2.1), and rejects one outside instead of wrapping it', async () => {
    const at = (seed: number) => generateWeights('normal', 64, { seed });
    const rejected = (e: unknown) =>
      e instanceof QuantError &&
      e.code === 'invalid-config' &&
      /^seed = .* is invalid: use an integer from 0 to 4294967295$/.test(e.message);
    for (const seed of [95 + 2 ** 32, 99_999_999_999, -1, -(2 ** 40) + 7, 1.5, NaN]) {
      await assert.rejects(at(seed), rejected, String(seed));
      await assert.rejects(roundingNoiseData(seed, 32), rejected, String(seed));
    }
    assert.notDeepEqual(await at(96), await at(95));
    assert.notDeepEqual(await at(0), await at(2 ** 32 - 1));
    assert.equal((await at(2 ** 32 - 1)).length, 64);
    await assert.rejects(quantizeArray([1, 2], [2], { rounding: 'stochastic', seed: -1 }), rejected);
  });

  it('dequantizes codes back to the quantizer’s values', async () => {
    for (const [shape, groupSize] of [
      [[4, 32], 8],
      [[3, 10], 4],
      [[7], 3],
      [[2, 5], 8],
    ] as const) {
      const n = shape.reduce((a: number, b: number) => a * b, 1);
      const data = lcgNormal(n, 2);
      const config = { bits: 4, granularity: 'group', groupSize } as const;
      const r = await quantizeArray(data, [...shape], config);
      assert.deepEqual(await dequantize(r.codes, r.scale, r.zeroPoint, [...shape], config), r.dequantized);
    }
    await assert.rejects(
      dequantize(new Int32Array(30), new Float32Array(6), new Int32Array(6), [3, 10], {
        granularity: 'group',
        groupSize: 4,
      }),
      { code: 'invalid-data' },
    );
  });

  it('runs the integer matmul with zero-point correction', async () => {
    const a = lcgNormal(24 * 40, 1);
    const b = lcgNormal(40 * 8, 2).map((v) => v + 0.3);
    for (const scheme of ['affine', 'symmetric'] as const) {
      const r = await quantizedMatmul(a, [24, 40], b, [40, 8], { bits: 8, scheme });
      // float32 accumulation of the dequantized product is the only error source.
      const scale = Math.max(...r.expected.map(Math.abs));
      assert.ok(r.maxAbsError <= 1e-5 * scale, `${scheme}: ${r.maxAbsError} vs ${scale}`);
      // and it really is the product of the dequantized operands
      let want = 0;
      for (let k = 0; k < 40; k++) want += r.a.dequantized[k] * r.b.dequantized[k * 8];
      assert.ok(Math.abs(r.output[0] - want) < 1e-5 * scale);
      if (scheme === 'affine') assert.notEqual(r.a.zeroPoint[0], 0);
    }
    await assert.rejects(quantizedMatmul(a, [24, 40], b, [8, 40]), { code: 'invalid-shape' });
    await assert.rejects(quantizedMatmul(a, [24, 40], b, [40, 8], { bits: 16 }), { code: 'invalid-config' });
  });

  it('a result records the inputs it was computed from: config (defaults filled), shape, device', async () => {
    const data = lcgNormal(12, 4);
    const r = await quantizeArray(data, [3, 4], { bits: 4, granularity: 'group', groupSize: 3 });
    assert.deepEqual(r.config, { ...DEFAULT_CONFIG, bits: 4, granularity: 'group', groupSize: 3 });
    assert.deepEqual(r.shape, [3, 4]);
    assert.equal(r.device, 'wasm');
    const ref = referenceQuantize(data, [3, 4], { bits: 4, granularity: 'group', groupSize: 3 });
    assert.deepEqual([ref.config, ref.shape, ref.device], [r.config, r.shape, 'reference']);
  });

  for (const bad of badInputs()) {
    it(`rejects ${bad.name}`, async () => {
      await assert.rejects(
        quantizeArray(bad.data as Float32Array, bad.shape as number[], bad.config),
        (e: unknown) => {
          assert.ok(e instanceof QuantError, String(e));
          assert.equal(e.code, bad.code);
          return true;
        },
      );
    });
  }
});
