/** Histogram counting methods (src/core/histogram.ts): the fallback only skips what a device lacks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstSupported, histogramCountsBy, lacksRoutine } from '../../src/core/histogram.js';
import { referenceHistogram } from '../../src/core/reference.js';
import { lcgNormal } from '../shared/core-cases.js';

describe('histogram counting', () => {
  it('recognises jax-js’s “device lacks it” errors and nothing else', () => {
    assert.ok(lacksRoutine(new Error("routine 'Sort' is not supported in webgl backend")));
    assert.ok(lacksRoutine(new Error('Mod<int32> not supported in webgpu backend')));
    assert.ok(!lacksRoutine(new Error('Used a buffer that is invalid or already freed: 3')));
    assert.ok(!lacksRoutine(new TypeError("Cannot read properties of undefined (reading 'shape')")));
    assert.ok(!lacksRoutine("routine 'Sort' is not supported in webgl backend"));
  });

  it('falls through to the next way only when a device lacks a routine', async () => {
    const tried: string[] = [];
    const way = (name: string, outcome: () => number) => async () => {
      tried.push(name);
      return outcome();
    };
    const unsupported = () => {
      throw new Error("routine 'Scatter' is not supported in webgl backend");
    };
    const broken = () => {
      throw new Error('Used a buffer that is invalid or already freed: 9');
    };
    assert.equal(await firstSupported([way('scatter', unsupported), way('compare', () => 3)]), 3);
    assert.deepEqual(tried.splice(0), ['scatter', 'compare']);
    await assert.rejects(firstSupported([way('scatter', broken), way('compare', () => 3)]), /already freed/);
    assert.deepEqual(tried.splice(0), ['scatter'], 'a real failure is not hidden by the fallback');
    await assert.rejects(firstSupported([way('search', unsupported)]), /not supported/);
  });

  it('counts like the reference loop on cpu, where the scatter does not run', async () => {
    for (const n of [10, 1000, 20_000]) {
      const values = lcgNormal(n, n);
      const want = Array.from(referenceHistogram(values, -1.2, 1.4, 16));
      for (const method of ['auto', 'compare', 'search'] as const) {
        const got = await histogramCountsBy(method, values, -1.2, 1.4, 16, 'cpu');
        assert.deepEqual(Array.from(got), want, `${method}, ${n} values`);
      }
      // jax-js 0.1.25's scatter off its default device gives wrong counts or a freed-buffer error
      await assert.rejects(histogramCountsBy('scatter', values, -1.2, 1.4, 16, 'cpu'), { code: 'runtime' });
    }
  });
});
