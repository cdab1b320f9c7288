import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockIndex, blockOf, rowsCols } from '../../src/internal/layout.js';

describe('layout: the block of each element', () => {
  it('blockIndex equals blockOf everywhere, ragged groups included', () => {
    for (const shape of [[3, 10], [1, 7], [7], [4, 4], [2, 64]]) {
      for (const config of [
        { granularity: 'tensor', groupSize: 32 },
        { granularity: 'channel', groupSize: 32 },
        { granularity: 'group', groupSize: 2 },
        { granularity: 'group', groupSize: 3 },
        { granularity: 'group', groupSize: 32 },
        { granularity: 'group', groupSize: 100 },
      ] as const) {
        const layout = { config, shape };
        const [rows, cols] = rowsCols(shape);
        const want = Array.from({ length: rows * cols }, (_, i) => blockOf(i, layout));
        assert.deepEqual(Array.from(blockIndex(layout)), want, JSON.stringify(layout));
      }
    }
    // 3 columns in groups of 2: [0 0 1], [2 2 3]
    assert.deepEqual(
      Array.from(blockIndex({ config: { granularity: 'group', groupSize: 2 }, shape: [2, 3] })),
      [0, 0, 1, 2, 2, 3],
    );
  });

  it('a number format fixes its own blocks: MX 32 per row, fp16/bf16 one, whatever the granularity', () => {
    const shape = [2, 70];
    for (const granularity of ['tensor', 'channel', 'group'] as const) {
      const mx = blockIndex({ config: { granularity, groupSize: 5, format: 'mxfp4' }, shape });
      // 70 = 32 + 32 + 6: three blocks per row, the last one short
      assert.deepEqual([mx[0], mx[31], mx[32], mx[64], mx[69], mx[70], mx[139]], [0, 0, 1, 2, 2, 3, 5]);
      assert.equal(blockOf(139, { config: { granularity, groupSize: 5, format: 'mxint8' }, shape }), 5);
      assert.ok(
        blockIndex({ config: { granularity, groupSize: 5, format: 'bf16' }, shape }).every((b) => b === 0),
      );
      // the other formats follow the granularity, as int does
      const nf4 = blockIndex({ config: { granularity, groupSize: 5, format: 'nf4' }, shape });
      assert.deepEqual(
        Array.from(nf4),
        Array.from(blockIndex({ config: { granularity, groupSize: 5 }, shape })),
      );
    }
  });
});
