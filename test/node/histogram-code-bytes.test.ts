/**
 * The histogram bins the dequantized weights from their code bytes (int ≤ 8 bits, a quarter of the
 * copy back): the counts equal binCounts of the core's own dequantized values, exactly, for every
 * block layout (per tensor, per channel, ragged groups with blocks shorter than the code table),
 * both schemes, 2…8 bits, with clipping and stochastic rounding; wider codes and other formats
 * carry no bytes and are binned from the values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSession, generateWeights } from '../../src/core/index.js';
import type { QuantConfig } from '../../src/core/config.js';
import {
  binCounts,
  dequantizedCounts,
  extentOf,
  type Quantization,
} from '../../src/components/quant-histogram/quant-histogram.model.js';

const cases: [string, number[], Partial<QuantConfig>][] = [
  ['per tensor, 8 bits', [64, 96], { bits: 8 }],
  ['per channel, 2 bits, symmetric', [48, 80], { bits: 2, granularity: 'channel', scheme: 'symmetric' }],
  [
    'ragged groups of 24, 8 bits (blocks shorter than the table)',
    [37, 70],
    { bits: 8, granularity: 'group', groupSize: 24 },
  ],
  [
    'groups of 32, 4 bits, stochastic',
    [32, 64],
    { bits: 4, granularity: 'group', groupSize: 32, rounding: 'stochastic', seed: 9 },
  ],
  ['percentile (clipping), 3 bits', [64, 64], { bits: 3, calibration: 'percentile', percentile: 98 }],
  [
    'per channel, 7 bits, symmetric, mse',
    [40, 64],
    { bits: 7, granularity: 'channel', scheme: 'symmetric', calibration: 'mse' },
  ],
];

describe('histogram counts from code bytes', () => {
  for (const [name, shape, config] of cases)
    it(`${name}: the counts of the dequantized values, exactly`, async () => {
      const x = await generateWeights('laplace', shape[0] * shape[1], { std: 0.3, seed: 4 });
      const s = await createSession('wasm');
      s.setData(x, shape);
      const r = await s.quantize(config, { codeBytes: true });
      assert.ok(r.codeBytes, 'an int config at ≤ 8 bits carries code bytes');
      assert.deepEqual(
        Array.from(r.codeBytes),
        Array.from(r.codes, (q) => q - r.qmin),
      );
      const [lo, hi] = extentOf(x);
      // Wide and narrow ranges: values outside land in the end bins.
      for (const [range, bins] of [
        [[lo, hi], 64],
        [[lo / 3, hi / 2], 17],
      ] as [[number, number], number][]) {
        const fromBytes = dequantizedCounts(r as Quantization, range, bins);
        assert.deepEqual(Array.from(fromBytes), Array.from(binCounts(r.dequantized, range, bins)));
      }
      s.dispose();
    });

  it('16 bits and other formats carry no bytes; their counts come from the values', async () => {
    const x = await generateWeights('normal', 32 * 32, { seed: 1 });
    const s = await createSession('wasm');
    s.setData(x, [32, 32]);
    for (const config of [{ bits: 16 }, { format: 'nf4' }] as Partial<QuantConfig>[]) {
      const r = await s.quantize(config, { codeBytes: true });
      assert.equal(r.codeBytes, undefined);
      const range: [number, number] = [-2, 2];
      assert.deepEqual(
        Array.from(dequantizedCounts(r as Quantization, range, 32)),
        Array.from(binCounts(r.dequantized, range, 32)),
      );
    }
    s.dispose();
  });
});
