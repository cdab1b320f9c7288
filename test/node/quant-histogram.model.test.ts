/** The histogram's pure model: fields, panels, range and edges, y scale, level stride, text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceHistogram } from '../../src/core/reference.js';
import {
  binCenters,
  binCounts,
  binEdges,
  binsField,
  compactCount,
  compareField,
  describePanel,
  extentOf,
  histogramRange,
  levelStride,
  originalCounts,
  panelOf,
  panelsOf,
  planBins,
  yMax,
  type Quantization,
} from '../../src/components/quant-histogram/quant-histogram.model.js';

/** A quantization of `x` with one scale / zero-point per block of `block` values (affine, float32 steps). */
function quantization(x: number[], bits: number, scale: number[], zeroPoint: number[], block = x.length) {
  const qmax = 2 ** bits - 1;
  const codes = Int32Array.from(x, (v, i) => {
    const b = Math.floor(i / block);
    return Math.min(qmax, Math.max(0, Math.round(Math.fround(v / scale[b])) + zeroPoint[b]));
  });
  const dequantized = Float32Array.from(codes, (q, i) => {
    const b = Math.floor(i / block);
    return Math.fround((q - zeroPoint[b]) * Math.fround(scale[b]));
  });
  const clipped = x.filter((v, i) => {
    const b = Math.floor(i / block);
    const q = Math.round(Math.fround(v / scale[b])) + zeroPoint[b];
    return q < 0 || q > qmax;
  }).length;
  return {
    codes,
    dequantized,
    scale: Float32Array.from(scale),
    zeroPoint: Int32Array.from(zeroPoint),
    qmin: 0,
    qmax,
    shape: [x.length],
    stats: { sqnrDb: 6 * bits, clippedFraction: clipped / x.length, bitsPerWeight: bits + 0.5 },
    config: {
      bits,
      format: 'int',
      scheme: 'affine',
      granularity: block === x.length ? 'tensor' : 'group',
      groupSize: block,
    },
  } satisfies Quantization;
}

const x = [-1, -0.5, -0.1, 0, 0.2, 0.4, 0.9, 1.3];

describe('quant-histogram fields', () => {
  it('bins: an integer 8–512, default 64', () => {
    assert.equal(binsField.default, 64);
    assert.equal(binsField.parse('8'), 8);
    assert.equal(binsField.parse(' 512 '), 512);
    for (const bad of ['7', '513', '16.5', 'abc', '', '0x10', '1e2'])
      assert.equal(binsField.parse(bad), undefined, bad);
    assert.equal(binsField.allowed, 'an integer from 8 to 512');
    assert.equal(binsField.valid(64), true);
    assert.equal(binsField.valid(600), false);
  });

  it('compare: distinct bit widths 2–16; blank is none', () => {
    assert.deepEqual(compareField.default, []);
    assert.deepEqual(compareField.parse('2 4 8 16'), [2, 4, 8, 16]);
    assert.deepEqual(compareField.parse(' 16,4 '), [16, 4]);
    assert.deepEqual(compareField.parse('  '), []);
    for (const bad of ['2 99', '1', '4 4', 'four', '2.5 4', '17'])
      assert.equal(compareField.parse(bad), undefined, bad);
    assert.match(compareField.allowed, /distinct bit widths from 2 to 16/);
    assert.equal(compareField.valid([2, 8]), true);
    assert.equal(compareField.valid([]), true);
    assert.equal(compareField.valid([8, 8]), false);
    assert.equal(compareField.valid([1]), false);
    assert.equal(compareField.valid('2 4'), false);
    assert.equal(compareField.format([2, 4]), '2 4');
    assert.deepEqual(compareField.parse(compareField.format([3, 5])), [3, 5]);
  });
});

describe('quant-histogram panels', () => {
  it("levels are the median-scale block's float32 grid; the clip range spans every block", () => {
    const r = quantization(x, 3, [0.1, 0.3], [4, 2], 4);
    const p = panelOf(r, 'main');
    assert.equal(p.key, 'main');
    assert.equal(p.bits, 3);
    assert.equal(p.levels.length, 8);
    for (let q = 0; q <= 7; q++) assert.equal(p.levels[q], Math.fround((q - 4) * Math.fround(0.1)));
    assert.equal(p.levels[4], 0);
    assert.deepEqual(p.clipRange, [
      Math.min(Math.fround(-4 * Math.fround(0.1)), Math.fround(-2 * Math.fround(0.3))),
      Math.max(Math.fround(3 * Math.fround(0.1)), Math.fround(5 * Math.fround(0.3))),
    ]);
    assert.equal(p.blocks, 2);
    assert.equal(p.block, 0); // the lower median of two scales
    assert.equal(p.scale, Math.fround(0.1));
    assert.equal(p.zeroPoint, 4);
    assert.equal(p.source.dequantized, r.dequantized);
    // Every dequantized value of the first block is one of the levels.
    for (let i = 0; i < 4; i++) assert.equal(r.dequantized[i], p.levels[r.codes[i]]);
  });

  it('counts the clipped weights from the fraction', () => {
    const r = quantization(x, 2, [0.2], [2]);
    const p = panelOf(r, 'main');
    assert.ok(p.clippedFraction > 0);
    assert.equal(p.clippedCount, Math.round(p.clippedFraction * x.length));
    assert.equal(p.clippedCount, 4); // -1, -0.5 below and 0.9, 1.3 above [-0.4, 0.2]
  });

  it('draws the result alone, or one panel per compare quantization keyed by its name', () => {
    const main = { ...quantization(x, 8, [0.01], [100]), compare: [] };
    assert.deepEqual(
      panelsOf(main).map((p) => [p.key, p.bits, p.label]),
      [['main', 8, 'int8']],
    );
    const two = quantization(x, 2, [0.8], [1]);
    const four = quantization(x, 4, [0.2], [5]);
    const cmp = { ...main, compare: [two, four] };
    const panels = panelsOf(cmp);
    assert.deepEqual(
      panels.map((p) => [p.key, p.bits, p.levels.length]),
      [
        ['int2', 2, 4],
        ['int4', 4, 16],
      ],
    );
    assert.equal(panels[1].source.dequantized, four.dequantized);
  });
});

describe('quant-histogram range and bins', () => {
  it('binCounts counts as the core binning does, ends and edges included', () => {
    const values = Float32Array.from({ length: 5000 }, (_, i) => Math.fround(Math.sin(i * 12.9898) * 3.1));
    values.set([-10, 10, -1.5, 1.5, 0, Math.fround(-1.5 + 3 / 7)], 0);
    for (const [range, bins] of [
      [[-1.5, 1.5], 7],
      [[-3.2, 2.9], 64],
      [[0.25, 0.25], 8],
      [[-1e-3, 4], 512],
    ] as [[number, number], number][]) {
      assert.deepEqual(
        [...binCounts(values, range, bins)],
        [...referenceHistogram(values, range[0], range[1], bins)],
      );
    }
  });

  it('originalCounts keeps the counts of a range and bins, per array', () => {
    const values = Float32Array.of(-1, -0.5, 0, 0.5, 1);
    const a = originalCounts(values, [-1, 1], 4);
    assert.equal(originalCounts(values, [-1, 1], 4), a);
    assert.notEqual(originalCounts(values, [-1, 1.1], 4), a);
    assert.deepEqual([...originalCounts(values, [-1, 1.1], 4)], [...referenceHistogram(values, -1, 1.1, 4)]);
    assert.notEqual(originalCounts(Float32Array.from(values), [-1, 1], 4), a);
  });

  it('extentOf is min / max, memoized per array', () => {
    const v = Float32Array.from(x);
    const e = extentOf(v);
    assert.deepEqual(e, [-1, Math.fround(1.3)]);
    assert.equal(extentOf(v), e);
    assert.notEqual(extentOf(Float32Array.from(x)), e);
  });

  it('the range covers the weights and every clip range; a point is widened', () => {
    assert.deepEqual(
      histogramRange(
        [-1, 1],
        [
          { clipRange: [-0.5, 1.5], scaled: true },
          { clipRange: [-2, 0], scaled: true },
        ],
      ),
      [-2, 1.5],
    );
    assert.deepEqual(histogramRange([-1, 1], []), [-1, 1]);
    assert.deepEqual(histogramRange([3, 3], [{ clipRange: [3, 3], scaled: true }]), [2.5, 3.5]);
    // fp16 saturates at ±65504, far from the weights: its clip range does not widen the view.
    assert.deepEqual(histogramRange([-1, 1], [{ clipRange: [-65504, 65504], scaled: false }]), [-1, 1]);
  });

  it('edges and centres', () => {
    const edges = binEdges([-1, 1], 4);
    assert.deepEqual([...edges], [-1, -0.5, 0, 0.5, 1]);
    assert.deepEqual(binCenters(edges), [-0.75, -0.25, 0.25, 0.75]);
    assert.equal(binEdges([0, 1], 512).length, 513);
  });

  it('planBins: panels, the shared range over all of them, and the edges', () => {
    const values = Float32Array.from(x);
    // The 8-bit result's own clip range [-2, 3.1] is not drawn with compare, so it does not widen the range.
    const r = { ...quantization(x, 8, [0.02], [100]), compare: [quantization(x, 2, [0.8], [1])] };
    const plan = planBins(r, values, 16);
    assert.equal(plan.bins, 16);
    assert.deepEqual(
      plan.panels.map((p) => p.key),
      ['int2'],
    );
    assert.deepEqual(plan.range, [-1, Math.fround(1.6)]);
    assert.equal(plan.edges.length, 17);
    assert.equal(plan.edges[0], plan.range[0]);
    assert.equal(plan.edges[16], plan.range[1]);
    // The counts of the original and dequantized weights over that range cover every value.
    const counts = referenceHistogram(values, plan.range[0], plan.range[1], 16);
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      x.length,
    );
  });

  it('yMax: the tallest bar, dequantized spikes capped at 2.5× the original, plus 20% headroom', () => {
    assert.equal(yMax(Int32Array.of(10, 40, 10), [Int32Array.of(0, 20, 0)]), 48);
    assert.equal(yMax(Int32Array.of(10, 40, 10), [Int32Array.of(0, 60, 0)]), 72);
    assert.equal(yMax(Int32Array.of(10, 40, 10), [Int32Array.of(0, 500, 0)]), 120);
    assert.equal(yMax(Int32Array.of(0, 0), [Int32Array.of(0, 0)]), 2);
  });

  it('levelStride: every level to 6 bits while 3 px apart, at most 64 lines beyond', () => {
    const levels = (n: number) => new Float64Array(n);
    assert.equal(levelStride({ bits: 3, levels: levels(8) }, 700, 1), 1);
    assert.equal(levelStride({ bits: 6, levels: levels(64) }, 63, 1), 3);
    assert.equal(levelStride({ bits: 8, levels: levels(256) }, 2550, 1), 4);
    assert.equal(levelStride({ bits: 16, levels: levels(65536) }, 600, 2), 1024);
    assert.equal(levelStride({ bits: 3, levels: levels(8) }, 0, 1), 1);
  });
});

describe('quant-histogram text', () => {
  it('compactCount', () => {
    assert.deepEqual([0, 950, 1500, 12000, 1_200_000, 0.25].map(compactCount), [
      '0',
      '950',
      '1.5k',
      '12k',
      '1.2M',
      '0.25',
    ]);
  });

  it("describes a chart from the panel's own numbers", () => {
    const p = panelOf(quantization(x, 3, [0.25], [4]), '3');
    const s = describePanel(p, { bins: 64, range: [-1, 1.5] });
    assert.equal(
      s,
      `Histogram of 8 weights in 64 bins over [−1.000, 1.500]; int3 (affine, per tensor) with 8 levels; one scale (0.2500) for the tensor; clip range [−1.000, 0.7500]; zero-point 4; SQNR 18.0 dB; 3.50 bits per weight; ${p.clippedCount} weights clipped (${(p.clippedFraction * 100).toFixed(1)}%).`,
    );
    const wide = panelOf(quantization(x, 8, [0.01], [100]), 'main');
    assert.match(
      describePanel(wide, { bins: 8, range: [-1, 2] }),
      /int8 \(affine, per tensor\) with 256 levels \(drawn as a density\)/,
    );
  });
});
