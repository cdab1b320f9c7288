/**
 * The histogram's overlay geometry (issue 19 item 7): a capped spike is found, and the "z=" label's
 * box never meets a bar, whatever the bar's height or where the zero line falls.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { yMax } from '../../src/components/quant-histogram/quant-histogram.model.js';
import {
  LABEL_BAND,
  barBox,
  cappedBins,
  intersects,
  zeroLabelBox,
} from '../../src/components/quant-histogram/quant-histogram.overlay.js';

describe('histogram overlay', () => {
  // A bell of originals and, dequantized, 4 levels (2 bits): spikes far above the bell.
  const bins = 64;
  const original = Int32Array.from({ length: bins }, (_, i) =>
    Math.round(300 * Math.exp(-(((i - 32) / 9) ** 2))),
  );
  const dequantized = new Int32Array(bins);
  for (const [bin, count] of [
    [8, 1500],
    [24, 6800],
    [40, 6800],
    [56, 1500],
  ])
    dequantized[bin] = count;
  const top = yMax(original, [dequantized]);
  const plot = { left: 52, top: LABEL_BAND, width: 600, height: 220 };

  it('finds the spikes that run past the shared scale, with their true counts', () => {
    assert.ok(top < 6800, `the scale caps the spikes (top ${top})`);
    const capped = cappedBins(dequantized, top);
    assert.deepEqual(
      capped.filter((c) => c.count === 6800).map((c) => c.bin),
      [24, 40],
    );
    assert.deepEqual(cappedBins(original, top), [], 'the originals are never cut');
  });

  it('puts the "z=" label where no bar is, at any zero line and pixel ratio', () => {
    for (const dpr of [1, 2]) {
      const p = {
        ...plot,
        left: plot.left * dpr,
        top: plot.top * dpr,
        width: plot.width * dpr,
        height: plot.height * dpr,
      };
      const bar = (i: number, counts: Int32Array) =>
        barBox(p.left + (i * p.width) / bins, p.left + ((i + 1) * p.width) / bins, counts[i], top, p);
      for (let zeroBin = 0; zeroBin < bins; zeroBin++) {
        const label = zeroLabelBox(p.left + ((zeroBin + 0.5) * p.width) / bins, p, 30 * dpr, dpr);
        assert.ok(
          label.left >= p.left && label.left + label.width <= p.left + p.width,
          'inside the plot width',
        );
        assert.ok(label.top >= 0, 'inside the canvas');
        for (let i = 0; i < bins; i++)
          for (const counts of [original, dequantized])
            assert.ok(
              !intersects(label, bar(i, counts)),
              `label at bin ${zeroBin} meets bar ${i} (dpr ${dpr})`,
            );
      }
    }
  });
});
