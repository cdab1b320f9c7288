import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multiplesLayout, rowsOf } from '../../src/components/quant-histogram/quant-histogram.multiples.js';

describe('small multiples layout', () => {
  it('1–6 panels at 1–4 a row: no lone panel on a last row, never more columns than fit', () => {
    for (let fit = 1; fit <= 4; fit++)
      for (let n = 1; n <= 6; n++) {
        const layout = multiplesLayout(n, fit);
        const rows = rowsOf(n, layout);
        const name = `${n} panels, ${fit} fit: ${rows.join(' + ')}`;
        assert.equal(
          rows.reduce((a, b) => a + b, 0),
          n,
          name,
        );
        assert.ok(layout.columns <= fit || layout.columns === 1, name);
        // a single column is a column, not an orphan; otherwise the last row holds two or more
        if (layout.columns > 1 && rows.length > 1) assert.ok(rows.at(-1)! >= 2, name);
      }
  });

  it("the issue's cases: 4 → 2×2, 3 → 3 or 1 + 2, 5 → 3 + 2", () => {
    const rows = (n: number, fit: number) => rowsOf(n, multiplesLayout(n, fit)).join('+');
    assert.equal(rows(4, 3), '2+2');
    assert.equal(rows(4, 4), '4');
    assert.equal(rows(3, 3), '3');
    assert.equal(rows(3, 2), '1+2');
    assert.equal(rows(5, 3), '3+2');
    assert.equal(rows(5, 4), '3+2');
    assert.equal(rows(6, 4), '3+3');
    assert.equal(rows(2, 1), '1+1');
  });
});
