import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gridKey } from '../../src/internal/grid-keys.js';

describe('gridKey (the keys of every selectable grid)', () => {
  const grid = { rows: 20, cols: 6, page: 8 };
  const at = { row: 5, col: 2 };
  const cases: [string, boolean, { row: number; col: number }][] = [
    ['ArrowLeft', false, { row: 5, col: 1 }],
    ['ArrowRight', false, { row: 5, col: 3 }],
    ['ArrowUp', false, { row: 4, col: 2 }],
    ['ArrowDown', false, { row: 6, col: 2 }],
    ['Home', false, { row: 5, col: 0 }],
    ['End', false, { row: 5, col: 5 }],
    ['Home', true, { row: 0, col: 0 }],
    ['End', true, { row: 19, col: 5 }],
    ['PageUp', false, { row: 0, col: 2 }],
    ['PageDown', false, { row: 13, col: 2 }],
  ];
  for (const [key, ctrl, to] of cases) {
    it(`${ctrl ? 'Ctrl+' : ''}${key} moves to ${to.row},${to.col}`, () => {
      assert.deepEqual(gridKey(key, at, grid, ctrl), { move: to });
    });
  }

  it('stops at the edges instead of wrapping', () => {
    const corner = { row: 0, col: 0 };
    assert.deepEqual(gridKey('ArrowLeft', corner, grid), { move: corner });
    assert.deepEqual(gridKey('ArrowUp', corner, grid), { move: corner });
    assert.deepEqual(gridKey('PageUp', corner, grid), { move: corner });
    const last = { row: 19, col: 5 };
    assert.deepEqual(gridKey('ArrowRight', last, grid), { move: last });
    assert.deepEqual(gridKey('PageDown', { row: 15, col: 5 }, grid), { move: last });
  });

  it('Enter and Space select; other keys are not the grid’s', () => {
    assert.deepEqual(gridKey('Enter', at, grid), { select: true });
    assert.deepEqual(gridKey(' ', at, grid), { select: true });
    assert.equal(gridKey('a', at, grid), null);
    assert.equal(gridKey('Tab', at, grid), null);
  });
});
