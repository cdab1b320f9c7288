/**
 * QAT's fake quantization: its forward is the engine's quantize–dequantize, bit for bit, and its
 * gradient is the clipped straight-through estimator — the gradient of clamp(w, lo, hi) with the
 * clip range fixed (no gradient through the scale), checked against finite differences.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { defaultDevice, grad, init, jit, numpy as np, type Array } from '@jax-js/jax';
import { blocksFor } from '../../src/core/blocks.js';
import { resolveConfig, type QuantConfig } from '../../src/core/config.js';
import { straightThrough, weightTargets, type WeightQuantizer } from '../../src/core/qat/fake-quant.js';
import { calibrationOperand } from '../../src/core/quantize.js';
import { QuantSession } from '../../src/core/session.js';
import { roundingNoise } from '../../src/core/weights.js';

/** Seeded values in [−1, 1) with a few large ones, so percentile ranges clip some. */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const v = (s / 2 ** 31) * 2 - 1;
    return i % 7 === 3 ? v * 4 : v;
  });
}

function quantizer(shape: [number, number], partial: Partial<QuantConfig>): WeightQuantizer {
  const config = resolveConfig(partial);
  return { config, blocks: blocksFor(shape, config), wideSums: true };
}

const extras = (q: WeightQuantizer, n: number) => ({
  // The calibration's run-time operand (MSE α or percentile picks), as the training step passes it.
  alphas: calibrationOperand(q.config, q.blocks, defaultDevice()),
  noise: q.config.rounding === 'stochastic' ? roundingNoise(q.config.seed, n) : null,
});

before(async () => {
  await init('wasm');
});

describe('QAT fake quantization (forward)', () => {
  const shape: [number, number] = [6, 13];
  const w = values(6 * 13, 3);
  const configs: Partial<QuantConfig>[] = [
    { bits: 2 },
    { bits: 2, granularity: 'channel' },
    { bits: 3, scheme: 'symmetric', granularity: 'channel' },
    { bits: 4, granularity: 'group', groupSize: 5 }, // ragged: 13 = 5 + 5 + 3
    { bits: 2, scheme: 'symmetric', granularity: 'group', groupSize: 4 },
    { bits: 3, calibration: 'percentile', percentile: 90, granularity: 'group', groupSize: 5 },
    { bits: 3, calibration: 'mse', granularity: 'channel' },
    { bits: 4, rounding: 'half-up' },
    { bits: 3, rounding: 'stochastic', seed: 7, granularity: 'channel' },
    // number formats (SPEC §3.1): the engine's cast per block
    { format: 'nf4', granularity: 'group', groupSize: 5 },
    { format: 'fp4-e2m1', granularity: 'channel' },
    { format: 'fp8-e4m3' },
    { format: 'mxfp4' },
    { format: 'mxint8' },
    { format: 'bf16', calibration: 'mse', rounding: 'stochastic' }, // int-only fields: ignored
  ];
  for (const partial of configs) {
    it(`equals QuantSession.quantize's dequantized exactly: ${JSON.stringify(partial)}`, async () => {
      const session = new QuantSession('wasm');
      try {
        session.setData(w, shape);
        const want = (await session.quantize(partial)).dequantized;
        const q = quantizer(shape, partial);
        // Eager and jit-compiled (as in the training step) give the same values.
        const { alphas, noise } = extras(q, w.length);
        const t = weightTargets(np.array(w, { shape }), q, alphas, noise);
        assert.deepEqual(await t.dequantized.ref.data(), want);
        // The straight-through value is the dequantized value bit for bit, but for the sign of
        // zero (dq + 0 is +0 where a format's cast kept −0; a matmul cannot tell them apart).
        assert.deepEqual(
          await straightThrough(np.array(w, { shape }), t).data(),
          want.map((v) => v + 0),
        );
        const e = extras(q, w.length);
        const f = jit((x: Array, ...more: Array[]) => {
          const a = e.alphas ? more.shift()! : null;
          const u = q.config.rounding === 'stochastic' ? more.shift()! : null;
          const r = weightTargets(x, q, a, u);
          r.lo.dispose();
          r.hi.dispose();
          return r.dequantized;
        });
        const args = [e.alphas, e.noise].filter((a): a is Array => a !== null);
        assert.deepEqual(await f(np.array(w, { shape }), ...args).data(), want);
        f.dispose();
      } finally {
        session.dispose();
      }
    });
  }
});

describe('QAT straight-through gradient', () => {
  const shape: [number, number] = [4, 9];
  const w = values(4 * 9, 11);
  const g = values(4 * 9, 12); // the loss is Σ g · fq(w), so dL/dw = g · d clamp/dw

  /**
   * Central difference of Σ g · clamp(w, lo, hi) in float64, lo/hi fixed. On the boundary itself
   * (a percentile can land on a value) the clamp has no derivative: take the one-sided difference
   * from inside the range there, the closed-range convention of the STE (and of PyTorch's
   * fake-quantize backward mask lo ≤ x ≤ hi).
   */
  function finiteDifference(lo: Float32Array, hi: Float32Array): Float64Array {
    const f = (x: Float64Array) => x.reduce((s, v, i) => s + g[i] * Math.min(Math.max(v, lo[i]), hi[i]), 0);
    const h = 1e-4;
    return Float64Array.from(w, (v, i) => {
      const at = (d: number) => {
        const x = Float64Array.from(w);
        x[i] += d;
        return f(x);
      };
      if (v === lo[i] && v < hi[i]) return (at(h) - at(0)) / h;
      if (v === hi[i] && v > lo[i]) return (at(0) - at(-h)) / h;
      return (at(h) - at(-h)) / (2 * h);
    });
  }

  for (const partial of [
    { bits: 2, calibration: 'percentile', percentile: 80 },
    { bits: 3, scheme: 'symmetric', calibration: 'percentile', percentile: 75, granularity: 'channel' },
    { bits: 2, granularity: 'group', groupSize: 4, calibration: 'percentile', percentile: 85 },
  ] as Partial<QuantConfig>[]) {
    it(`equals the gradient of the clamped float function, inside and outside the clip range: ${JSON.stringify(partial)}`, async () => {
      const q = quantizer(shape, partial);
      const t = weightTargets(np.array(w, { shape }), q, extras(q, w.length).alphas, null);
      t.dequantized.dispose();
      const [lo, hi] = (await Promise.all([t.lo.data(), t.hi.data()])) as Float32Array[];
      const outside = [...w].filter((v, i) => v < lo[i] || v > hi[i]).length;
      assert.ok(outside > 0 && outside < w.length, `${outside} of ${w.length} values outside the clip range`);
      const want = finiteDifference(lo, hi);
      // The scale is recomputed from w inside the differentiated function: the STE must stop its gradient.
      const loss = (x: Array) =>
        straightThrough(
          x.ref,
          weightTargets(x, q, calibrationOperand(q.config, q.blocks, defaultDevice()), null),
        )
          .mul(np.array(g, { shape }))
          .sum();
      const got = (await grad(loss)(np.array(w, { shape })).data()) as Float32Array;
      for (let i = 0; i < w.length; i++) {
        const inside = w[i] >= lo[i] && w[i] <= hi[i];
        assert.ok(
          Math.abs(got[i] - want[i]) <= 1e-5,
          `w[${i}] = ${w[i]}: grad ${got[i]}, finite difference ${want[i]}`,
        );
        assert.equal(got[i], inside ? g[i] : 0);
      }
    });
  }
});
