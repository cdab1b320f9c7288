import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OPTIONAL_BITS_FIELD,
  bitsLabel,
  channelSeries,
  methodRows,
  peakToMedian,
  takeaway,
} from '../../src/components/quant-outliers/quant-outliers.model.js';
import { referenceOutliers, type Matrix } from '../../src/core/outliers/reference.js';
import type { OutliersResult } from '../../src/core/outliers/types.js';
import { lcgNormal } from '../shared/core-cases.js';

/** A layer with `outliers` channels × 20 (every fifth), and its reference result. */
function resultOf(outliers: number, config: Parameters<typeof referenceOutliers>[2] = {}): OutliersResult {
  const [t, c, o] = [48, 20, 12];
  const data = lcgNormal(t * c, 5, 1);
  data.forEach((v, i) => (i % c) % 5 === 0 && (i % c) / 5 < outliers && (data[i] = Math.fround(v * 20)));
  const x: Matrix = { data, rows: t, cols: c };
  const w: Matrix = { data: lcgNormal(c * o, 6, 1 / Math.sqrt(c)), rows: c, cols: o };
  const signs = Float32Array.from({ length: 32 }, (_, i) => (i % 3 ? 1 : -1));
  return { ...referenceOutliers(x, w, config, signs), device: 'reference' };
}

describe('<quant-outliers> model', () => {
  it('the takeaway names the best method, its margin, the outliers and the rotation’s kurtosis', () => {
    const r = resultOf(3);
    const sentence = takeaway(r);
    const best = [...r.methods].sort((a, b) => b.sqnrDb - a.sqnrDb)[0];
    assert.equal(best.method, 'llm-int8');
    assert.match(
      sentence,
      /^At W8A8, LLM\.int8\(\) keeps the most of Y \(\d+\.\d dB SQNR, \d+\.\d dB above naive/,
    );
    assert.match(sentence, / 3 of 20 channels exceed 6\.00 /);
    assert.match(sentence, /rotation takes X's kurtosis from [\d.]+ to [\d.]+\.$/);
    // Its numbers are the result's.
    assert.ok(sentence.includes(`${best.sqnrDb.toFixed(1)} dB SQNR`));
  });

  it('the takeaway without outliers says LLM.int8() keeps nothing in float16', () => {
    const sentence = takeaway(resultOf(0, { bits: 4 }));
    assert.match(sentence, /^At W4A4/);
    assert.match(
      sentence,
      /no channel's max \|x\| exceeds the threshold 6\.00, so LLM\.int8\(\) keeps nothing in float16/,
    );
  });

  it('channel series: before and after per method, rotation padded, zeros as gaps', () => {
    const r = resultOf(2);
    const [x, before, after] = channelSeries(r, 'rotation', 'activations');
    assert.equal(x.length, 32);
    assert.deepEqual(before.slice(20), new Array(12).fill(null));
    assert.ok(after.every((v) => v !== null && v > 0));
    const [, , int8] = channelSeries(r, 'llm-int8', 'weights');
    assert.equal(int8[0], null); // channel 0 is an outlier: its int8 row is empty
    assert.ok(int8[1]! > 0);
  });

  it('rows, labels, fields', () => {
    const rows = methodRows(resultOf(1));
    assert.deepEqual(
      rows.map((r) => r.cells[0]),
      ['naive (per tensor)', 'per token / per channel', 'LLM.int8()', 'SmoothQuant', 'rotation (Hadamard)'],
    );
    assert.equal(rows[2].cells[5], '5.0%');
    assert.equal(rows[0].cells[5], '—');
    assert.equal(bitsLabel({ weightBits: 4, activationBits: 16 }), 'W4A16');
    assert.equal(peakToMedian([1, 2, 3, 60]), 30);
    assert.equal(OPTIONAL_BITS_FIELD.parse('4'), 4);
    assert.equal(OPTIONAL_BITS_FIELD.parse('1'), undefined);
    assert.ok(OPTIONAL_BITS_FIELD.valid(undefined));
  });
});
