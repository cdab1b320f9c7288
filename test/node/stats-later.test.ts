/**
 * `quantize(config, {statsLater: true})` (the heatmap's): the statistics come after the arrays,
 * computed from the outputs, and are the same numbers as computed inside the quantization —
 * exactly, on ragged groups, per channel, with clipping and stochastic rounding; other formats
 * ignore the option; the arrays are unchanged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSession, generateWeights } from '../../src/core/index.js';
import type { QuantConfig } from '../../src/core/config.js';

const cases: [string, number[], Partial<QuantConfig>][] = [
  ['per tensor', [64, 64], { bits: 8 }],
  ['per channel, 3 bits', [48, 80], { bits: 3, granularity: 'channel' }],
  [
    'ragged groups of 24, symmetric',
    [37, 70],
    { bits: 4, granularity: 'group', groupSize: 24, scheme: 'symmetric' },
  ],
  ['percentile (clipping)', [64, 64], { bits: 4, calibration: 'percentile', percentile: 99 }],
  ['stochastic', [32, 32], { bits: 2, rounding: 'stochastic', seed: 3 }],
  ['fp8 (ignored)', [32, 32], { format: 'fp8-e4m3' }],
];

describe('statsLater', () => {
  for (const [name, shape, config] of cases)
    it(`${name}: the same statistics and arrays as computed inside`, async () => {
      const x = await generateWeights('laplace', shape[0] * shape[1], { std: 0.4, seed: 7 });
      const s = await createSession('wasm');
      s.setData(x, shape);
      const eager = await s.quantize(config, { clipMask: true });
      const later = await s.quantize(config, {
        clipMask: name.startsWith('per tensor') ? false : true,
        statsLater: true,
      });
      const lazy = Object.getOwnPropertyDescriptor(later, 'stats')?.get !== undefined;
      assert.equal(lazy, config.format === undefined, 'stats are a getter for int, a value otherwise');
      assert.deepEqual(later.stats, eager.stats);
      assert.deepEqual(Array.from(later.codes), Array.from(eager.codes));
      assert.deepEqual(Array.from(later.dequantized), Array.from(eager.dequantized));
      if (later.clipped) assert.deepEqual(Array.from(later.clipped), Array.from(eager.clipped!));
      if (name.startsWith('per tensor')) assert.equal(later.clipped, undefined, 'no mask unless asked');
      if (name.startsWith('percentile')) assert.ok(eager.stats.clippedFraction > 0);
      s.dispose();
    });

  it('after the caller’s task the statistics are there without a read on access; the session disposes cleanly', async () => {
    const x = await generateWeights('normal', 256 * 256, { seed: 1 });
    const s = await createSession('wasm');
    s.setData(x, [256, 256]);
    const r = await s.quantize(
      { bits: 6 },
      { clipMask: true, read: ['dequantized', 'clipped'], statsLater: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    const again = await s.quantize({ bits: 6 });
    assert.deepEqual(r.stats, again.stats);
    s.dispose();
  });
});
