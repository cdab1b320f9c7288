/** The heatmap's view model (src/components/quant-heatmap/quant-heatmap.model.ts), without a DOM. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bandCounts,
  bandOf,
  cellAt,
  cellErrors,
  describeCell,
  errorModeField,
  heatmapView,
  pageRows,
  paintCells,
  paletteField,
  thresholdsField,
  type HeatmapSource,
} from '../../src/components/quant-heatmap/quant-heatmap.model.js';
import { referenceQuantize } from '../../src/core/reference.js';

/** A hand-made result: 3 rows of 10, groups of 4 (each row ends with a group of 2). */
function ragged(): { r: HeatmapSource; x: Float32Array } {
  const n = 30;
  const x = Float32Array.from({ length: n }, (_, i) => i / 10);
  const dequantized = Float32Array.from(x, (v, i) => v + (i % 3) * 0.01);
  // 9 blocks: row-major, 3 per row; scale of block b is b + 1.
  const scale = Float32Array.from({ length: 9 }, (_, b) => b + 1);
  const clipped = new Uint8Array(n);
  clipped[7] = 1;
  clipped[29] = 1;
  return {
    r: {
      config: { granularity: 'group', groupSize: 4 },
      shape: [3, 10],
      codes: new Int32Array(n),
      dequantized,
      scale,
      clipped,
    },
    x,
  };
}

describe('heatmap model: attributes', () => {
  it('thresholds: two increasing numbers ≥ 0', () => {
    assert.deepEqual(thresholdsField.default, [0.001, 0.01]);
    assert.deepEqual(thresholdsField.parse('0.001 0.01'), [0.001, 0.01]);
    assert.deepEqual(thresholdsField.parse(' 0, 5e-1 '), [0, 0.5]);
    for (const bad of [
      '',
      'abc',
      '0.1',
      '0.01 0.001',
      '0.01 0.01',
      '-1 2',
      '1 2 3',
      '1 Infinity',
      '0 1e999',
      '1 2px',
    ]) {
      assert.equal(thresholdsField.parse(bad), undefined, bad);
    }
    assert.equal(thresholdsField.valid([0, 1]), true);
    assert.equal(thresholdsField.valid([1, 0]), false);
    assert.equal(thresholdsField.valid([-1, 0]), false);
    assert.equal(thresholdsField.valid([0, Infinity]), false);
    assert.equal(thresholdsField.valid([0, NaN]), false);
    assert.equal(thresholdsField.valid('0 1'), false);
    assert.equal(thresholdsField.format([0.002, 0.02]), '0.002 0.02');
    assert.match(thresholdsField.allowed, /two increasing numbers ≥ 0/);
  });

  it('error and palette: one of their words', () => {
    assert.equal(errorModeField.default, 'abs');
    assert.equal(errorModeField.parse(' relative '), 'relative');
    assert.equal(errorModeField.parse('squared'), undefined);
    assert.equal(errorModeField.parse('ABS'), undefined);
    assert.equal(paletteField.default, 'default');
    assert.equal(paletteField.parse('colorblind'), 'colorblind');
    assert.equal(paletteField.parse('rainbow'), undefined);
  });
});

describe('heatmap model: errors and bands', () => {
  it('bands: below a, a to b inclusive, above b', () => {
    const t = [0.25, 0.5] as const; // float32-exact edges
    assert.equal(bandOf(0.2499, t), 'low');
    assert.equal(bandOf(0.25, t), 'mid');
    assert.equal(bandOf(0.5, t), 'mid');
    assert.equal(bandOf(0.5001, t), 'high');
    assert.deepEqual(bandCounts(Float32Array.of(0, 0.25, 0.375, 0.5, 0.75, 1), t), {
      low: 1,
      mid: 3,
      high: 2,
    });
  });

  it('abs error is |x − x̂| in float32', () => {
    const { r, x } = ragged();
    const e = cellErrors(r, x, 'abs');
    for (let i = 0; i < x.length; i++) assert.equal(e[i], Math.fround(Math.abs(x[i] - r.dequantized[i])));
  });

  it('relative error divides by the scale of the cell’s own block, with a shorter last group', () => {
    const { r, x } = ragged();
    const e = cellErrors(r, x, 'relative');
    for (let i = 0; i < x.length; i++) {
      const row = Math.floor(i / 10);
      const block = row * 3 + Math.floor((i % 10) / 4); // columns 8, 9 are the short group
      assert.equal(e[i], Math.fround(Math.abs(x[i] - r.dequantized[i]) / (block + 1)), `cell ${i}`);
    }
    // Blocks are not evenly spaced: cell 17 (row 1, column 7) is in block 4 (scale 5), where
    // 30 cells / 9 blocks would put it in block 5.
    assert.equal(e[17], Math.fround(Math.abs(x[17] - r.dequantized[17]) / 5));
  });

  it('tensor and channel blocks', () => {
    const { r, x } = ragged();
    const tensor = {
      ...r,
      config: { granularity: 'tensor' as const, groupSize: 4 },
      scale: Float32Array.of(2),
    };
    const channel = {
      ...r,
      config: { granularity: 'channel' as const, groupSize: 4 },
      scale: Float32Array.of(1, 2, 4),
    };
    const t = cellErrors(tensor, x, 'relative');
    const c = cellErrors(channel, x, 'relative');
    for (let i = 0; i < x.length; i++) {
      const abs = Math.abs(x[i] - r.dequantized[i]);
      assert.equal(t[i], Math.fround(abs / 2));
      assert.equal(c[i], Math.fround(abs / [1, 2, 4][Math.floor(i / 10)]));
    }
  });

  it('agrees with the reference quantizer: relative error ≤ ½ except where clipped', () => {
    const shape = [5, 13];
    const x = Float32Array.from({ length: 65 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 7)));
    const config = {
      bits: 3,
      granularity: 'group',
      groupSize: 5,
      calibration: 'percentile',
      percentile: 80,
    } as const;
    const q = referenceQuantize(x, shape, config);
    const r: HeatmapSource = { ...q, config: { ...config }, shape, clipped: new Uint8Array(65) };
    const e = cellErrors(r, x, 'relative');
    assert.equal(q.scale.length, 5 * 3); // 5, 5, 3 per row
    let over = 0;
    for (let i = 0; i < e.length; i++) if (e[i] > 0.5 + 1e-6) over++;
    // Percentile calibration clips: those cells are the only ones over half a step.
    const outside = q.codes.filter((c) => c === q.qmin || c === q.qmax).length;
    assert.ok(over > 0 && over <= outside, `${over} over half a step, ${outside} at the code range ends`);
  });

  it('the view: bands sum to n, clipped cells counted, and it is memoized', () => {
    const { r, x } = ragged();
    const v = heatmapView(r, x, 'abs', [0.005, 0.015]);
    assert.deepEqual(v.bands, bandCounts(cellErrors(r, x, 'abs'), [0.005, 0.015]));
    assert.equal(v.bands.low + v.bands.mid + v.bands.high, 30);
    assert.equal(v.bands.low, 10); // the error is 0, 0.01, 0.02 in turn
    assert.equal(v.clippedCount, 2);
    assert.deepEqual(v.thresholds, [0.005, 0.015]);
    // the same inputs: the same object (a redraw derives nothing)
    assert.equal(heatmapView(r, x, 'abs', [0.005, 0.015]), v);
    // new thresholds: new counts over the same errors
    const w = heatmapView(r, x, 'abs', [0.015, 0.5]);
    assert.notEqual(w, v);
    assert.equal(w.errors, v.errors);
    assert.deepEqual(w.bands, { low: 20, mid: 10, high: 0 });
    // each mode's errors are computed once per result
    const rel = heatmapView(r, x, 'relative', [0.005, 0.015]);
    assert.equal(rel.errors, cellErrors(r, x, 'relative'));
    assert.equal(heatmapView(r, x, 'abs', [0.005, 0.015]).errors, v.errors);
    // other weights (or another result): derived again
    const y = Float32Array.from(x, (v) => v + 1);
    assert.notEqual(heatmapView(r, y, 'abs', [0.005, 0.015]).errors, v.errors);
    const copy = { ...r };
    assert.notEqual(heatmapView(copy, x, 'abs', [0.005, 0.015]), v);
  });

  it('paints clipped cells in their colour, the others by band', () => {
    const { r, x } = ragged();
    const v = heatmapView(r, x, 'abs', [0.005, 0.015]);
    const pixels = new Uint32Array(30);
    paintCells(pixels, v, r.clipped, { low: 1, mid: 2, high: 3, clipped: 9 });
    assert.deepEqual(
      [...pixels],
      Array.from({ length: 30 }, (_, i) => (r.clipped[i] ? 9 : [1, 2, 3][i % 3])),
    );
  });
});

describe('heatmap model: pointer, keys, words', () => {
  it('maps a point to its cell, edges included, and nothing outside the box', () => {
    assert.equal(cellAt(0, 0, [4, 6]), 0);
    assert.equal(cellAt(1, 1, [4, 6]), 23);
    assert.equal(cellAt(0.5, 0.5, [4, 6]), 2 * 6 + 3);
    assert.equal(cellAt(0.999, 0.24, [4, 6]), 5);
    assert.equal(cellAt(-0.01, 0.5, [4, 6]), null);
    assert.equal(cellAt(0.5, 1.01, [4, 6]), null);
    assert.equal(cellAt(NaN, 0, [4, 6]), null);
    assert.equal(cellAt(0.6, 0.9, [5]), 3); // 1-D: one row
  });

  it('pages a tenth of the rows, at least one', () => {
    assert.equal(pageRows(1), 1);
    assert.equal(pageRows(8), 1);
    assert.equal(pageRows(30), 3);
    assert.equal(pageRows(1024), 102);
  });

  it('describes a cell in words', () => {
    const { r, x } = ragged();
    const abs = heatmapView(r, x, 'abs', [0.005, 0.015]);
    assert.match(describeCell(7, abs, r), /^Row 0, column 7: error 0\.010*, mid band, clipped$/);
    const rel = heatmapView(r, x, 'relative', [0.005, 0.015]);
    assert.match(describeCell(12, rel, r), /^Row 1, column 2: error .* × scale, low band$/);
  });
});
