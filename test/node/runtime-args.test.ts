/**
 * Continuous values reach kernels as operands, not compiled constants (issue 21, item 2): jax-js
 * compiles one wasm module per distinct kernel and keeps it for the process's life, so a value
 * compiled in would leak one module per value. After a warm-up, new values compile nothing.
 * Its own file, so the module counter is installed before jax-js compiles anything.
 */
import { compiledModules } from '../helpers/wasm-modules.js';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { init } from '@jax-js/jax';
import { createSession, generateWeights, quantizeArray } from '../../src/core/index.js';
import { roundingNoiseData } from '../../src/core/engine.js';
import { DISTRIBUTIONS, type QuantConfig } from '../../src/core/config.js';
import { trainQat } from '../../src/core/qat/index.js';
import { loadDigits } from './qat-digits.js';

/** Modules compiled by `values.length - 3` new values after 3 warm-up values. */
async function compiledBy<T>(values: T[], run: (v: T) => Promise<unknown>): Promise<number> {
  for (const v of values.slice(0, 3)) await run(v);
  const before = compiledModules();
  for (const v of values.slice(3)) await run(v);
  return compiledModules() - before;
}

const spread = (n: number, from: number, step: number) =>
  Array.from({ length: n }, (_, i) => from + i * step);
const percentiles = spread(103, 99.99, -0.37);

before(async () => {
  await init('wasm');
});

describe('continuous values compile no kernels', () => {
  const w = Float32Array.from({ length: 6 * 50 }, (_, i) => Math.sin(i * 1.7) * (i % 11 === 0 ? 5 : 1));
  // Ragged groups too: their last block takes its percentile at other positions.
  const layouts: Partial<QuantConfig>[] = [
    { scheme: 'affine' },
    { scheme: 'symmetric', granularity: 'channel' },
    { scheme: 'affine', granularity: 'group', groupSize: 32 },
  ];

  for (const layout of layouts) {
    it(`100 new percentile values, session (jit): ${JSON.stringify(layout)}`, async () => {
      const session = await createSession('wasm', { jit: true });
      session.setData(w, [6, 50]);
      const n = await compiledBy(percentiles, (percentile) =>
        session.quantize({ ...layout, calibration: 'percentile', percentile }),
      );
      session.dispose();
      assert.equal(n, 0);
    });
  }

  it('100 new percentile values, quantizeArray (eager)', async () => {
    const n = await compiledBy(percentiles, (percentile) =>
      quantizeArray(w, [6, 50], { calibration: 'percentile', percentile }, { device: 'wasm' }),
    );
    assert.equal(n, 0);
  });

  for (const [k, distribution] of DISTRIBUTIONS.entries()) {
    // Values of their own: a kernel another distribution's case compiled would hide a leak.
    it(`100 new std and seed values: ${distribution} weights`, async () => {
      const byStd = await compiledBy(spread(103, 0.013 + k * 0.0011, 0.0371), (std) =>
        generateWeights(distribution, 500, { std, seed: 7 }),
      );
      const bySeed = await compiledBy(spread(103, 1000 + k * 3, 7919), (seed) =>
        generateWeights(distribution, 500, { seed }),
      );
      assert.deepEqual({ byStd, bySeed }, { byStd: 0, bySeed: 0 });
    });
  }

  it('100 new seeds of stochastic rounding', async () => {
    const session = await createSession('wasm', { jit: true });
    session.setData(w, [6, 50]);
    const n = await compiledBy(spread(103, 5, 104729), (seed) =>
      session.quantize({ rounding: 'stochastic', seed }),
    );
    session.dispose();
    assert.equal(n + (await compiledBy(spread(103, 5, 7), (seed) => roundingNoiseData(seed, 300))), 0);
  });

  it('new qat-lr and percentile values in QAT', async () => {
    const digits = loadDigits();
    const small = { ...digits, device: 'wasm' as const, steps: 2, evalEvery: 2, batchSize: 16 };
    const runs = spread(6, 1e-3, 3.7e-4).map((lr, i) => ({ lr, percentile: 99.5 - i * 0.61 }));
    const n = await compiledBy(runs, ({ lr, percentile }) =>
      trainQat({ ...small, lr, config: { bits: 4, calibration: 'percentile', percentile } }),
    );
    assert.equal(n, 0);
  });
});
