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
});
