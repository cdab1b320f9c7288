/** The block layout (src/core/blocks.ts): tensor, channel, and groups with a shorter last group per row. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockSpan, blocksFor, isRagged, rowPadding } from '../../src/core/blocks.js';

const group = (groupSize: number) => ({ granularity: 'group', groupSize }) as const;

describe('block layout', () => {
  it('is one block for tensor and one per row for channel', () => {
    assert.deepEqual(blocksFor([3, 10], { granularity: 'tensor', groupSize: 4 }), {
      groups: 1,
      length: 30,
      rows: 1,
      cols: 30,
      perRow: 1,
      tail: 30,
    });
    assert.deepEqual(blocksFor([3, 10], { granularity: 'channel', groupSize: 4 }), {
      groups: 3,
      length: 10,
      rows: 3,
      cols: 10,
      perRow: 1,
      tail: 10,
    });
  });

  it('ends a row that is not a multiple of groupSize with a shorter group', () => {
    const b = blocksFor([3, 10], group(4));
    assert.deepEqual(b, { groups: 9, length: 4, rows: 3, cols: 10, perRow: 3, tail: 2 });
    assert.ok(isRagged(b));
    assert.equal(rowPadding(b), 2);
    assert.deepEqual(
      Array.from({ length: 9 }, (_, g) => blockSpan(b, g)),
      [
        [0, 4],
        [4, 8],
        [8, 10],
        [10, 14],
        [14, 18],
        [18, 20],
        [20, 24],
        [24, 28],
        [28, 30],
      ],
    );
    assert.deepEqual(blocksFor([7], group(3)), {
      groups: 3,
      length: 3,
      rows: 1,
      cols: 7,
      perRow: 3,
      tail: 1,
    });
  });

  it('makes each row one group when groupSize is at least the row', () => {
    for (const groupSize of [5, 8, 4096]) {
      const b = blocksFor([2, 5], group(groupSize));
      assert.deepEqual(b, { groups: 2, length: 5, rows: 2, cols: 5, perRow: 1, tail: 5 });
      assert.ok(!isRagged(b));
    }
  });

  it('is unchanged when groupSize divides the row', () => {
    const b = blocksFor([4, 48], group(12));
    assert.deepEqual(b, { groups: 16, length: 12, rows: 4, cols: 48, perRow: 4, tail: 12 });
    assert.equal(rowPadding(b), 0);
  });

  it('covers every value exactly once, in order', () => {
    for (const [shape, groupSize] of [
      [[5, 13], 6],
      [[1, 1], 2],
      [[64], 7],
      [[3, 33], 32],
    ] as const) {
      const b = blocksFor(shape, group(groupSize));
      let next = 0;
      for (let g = 0; g < b.groups; g++) {
        const [start, end] = blockSpan(b, g);
        assert.equal(start, next);
        assert.ok(end > start && end - start <= Math.min(groupSize, shape[shape.length - 1]));
        next = end;
      }
      assert.equal(
        next,
        shape.reduce((a: number, c: number) => a * c, 1),
      );
    }
  });

  it('rejects a bad shape', () => {
    assert.throws(() => blocksFor([2, 0], group(2)), { code: 'invalid-shape' });
    assert.throws(() => blocksFor([1, 2, 3], group(2)), { code: 'invalid-shape' });
  });
});
