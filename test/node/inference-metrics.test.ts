import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareLogits } from '../../src/core/inference/metrics.js';

describe('compareLogits (what quantizing a model changes)', () => {
  it('identical logits: same accuracy, full agreement, zero KL, nothing flipped', () => {
    const logits = Float32Array.from([2, 0, 1, 0, 3, 1, 5, 1, 0]);
    const r = compareLogits(logits, logits, 3, [0, 1, 1]);
    assert.deepEqual([r.accuracyFloat, r.accuracyQuant, r.agreement], [2 / 3, 2 / 3, 1]);
    assert.equal(r.meanKl, 0);
    assert.equal(r.maxLogitDiff, 0);
    assert.deepEqual(r.flipped, []);
    assert.deepEqual([...r.predictionsFloat], [0, 1, 0]);
  });

  it('counts flips, accuracy of each model, the largest logit change and KL by hand', () => {
    const float = Float32Array.from([2, 0, 0, 1]);
    const quant = Float32Array.from([0, 1, 0, 1.5]);
    const r = compareLogits(float, quant, 2, [0, 1]);
    assert.deepEqual(r.flipped, [0]);
    assert.deepEqual([r.accuracyFloat, r.accuracyQuant, r.agreement], [1, 0.5, 0.5]);
    assert.equal(r.maxLogitDiff, 2);
    // KL(p‖q) = Σ p (log p − log q), per row, then the mean
    const kl = (a: number[], b: number[]) => {
      const soft = (x: number[]) => x.map((v) => Math.exp(v) / x.reduce((s, w) => s + Math.exp(w), 0));
      const [p, q] = [soft(a), soft(b)];
      return p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]), 0);
    };
    const want = (kl([2, 0], [0, 1]) + kl([0, 1], [0, 1.5])) / 2;
    assert.ok(Math.abs(r.meanKl - want) < 1e-12, `${r.meanKl} vs ${want}`);
  });

  it('is stable for large logits (no overflow) and ties go to the first class', () => {
    const float = Float32Array.from([1000, 999, 5, 5]);
    const quant = Float32Array.from([999, 1000, 5, 5]);
    const r = compareLogits(float, quant, 2, [0, 0]);
    assert.ok(Number.isFinite(r.meanKl) && r.meanKl > 0);
    assert.deepEqual([...r.predictionsFloat], [0, 0]);
    assert.deepEqual(r.flipped, [0]);
  });

  it('rejects logits of the wrong size', () => {
    assert.throws(() => compareLogits(new Float32Array(5), new Float32Array(6), 3, [0, 1]), RangeError);
  });
});
