import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/core/config.js';
import { referenceQuantize } from '../../src/core/reference.js';
import {
  blockOf,
  blocksLabel,
  formulaFor,
  packedBytes,
} from '../../src/components/quant-simulator/quant-simulator.model.js';

describe('simulator model', () => {
  it('blockOf follows the layout, with a shorter last group per row', () => {
    const shape = [2, 5];
    const group = { config: resolveConfig({ granularity: 'group', groupSize: 2 }), shape };
    // row 0: [0 0 1 1 2], row 1: [3 3 4 4 5]
    assert.deepEqual(
      Array.from({ length: 10 }, (_, i) => blockOf(i, group)),
      [0, 0, 1, 1, 2, 3, 3, 4, 4, 5],
    );
    const channel = { config: resolveConfig({ granularity: 'channel' }), shape };
    assert.deepEqual(
      Array.from({ length: 10 }, (_, i) => blockOf(i, channel)),
      [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    );
    assert.equal(blockOf(9, { config: resolveConfig(), shape }), 0);
  });

  it('blockOf agrees with the oracle’s scales on a ragged layout', () => {
    const x = Float32Array.from({ length: 21 }, (_, i) => Math.sin(i * 1.3) * (1 + (i % 4)));
    const config = resolveConfig({ granularity: 'group', groupSize: 3, bits: 4 });
    const shape = [3, 7];
    const r = referenceQuantize(x, shape, config);
    assert.equal(r.scale.length, 9);
    for (let i = 0; i < x.length; i++) {
      const f = formulaFor(i, x, { ...r, config, shape });
      assert.equal(f.scale, r.scale[blockOf(i, { config, shape })]);
      assert.equal(f.code, r.codes[i]);
      // the formula's numbers reproduce the code the engine produced
      if (!f.clipped) assert.equal(f.unclamped, f.code);
    }
  });

  it('formulaFor flags ties, clipping and stochastic rounding', () => {
    const config = resolveConfig({ bits: 2, scheme: 'symmetric' });
    const x = Float32Array.from([0.5, -1, 0.25]);
    const r = referenceQuantize(x, [3], config);
    // scale = 1 / 1: 0.5 is a tie that half-even rounds to 0
    const tie = formulaFor(0, x, { ...r, config, shape: [3] });
    assert.equal(tie.tie, true);
    assert.equal(tie.code, 0);
    const stochastic = resolveConfig({ ...config, rounding: 'stochastic' });
    assert.equal(formulaFor(0, x, { ...r, config: stochastic, shape: [3] }).unclamped, null);
    const pct = resolveConfig({ calibration: 'percentile', percentile: 60, bits: 2 });
    const clippedR = referenceQuantize(Float32Array.from([0, 0.1, 0.2, 10]), [4], pct);
    const f = formulaFor(3, Float32Array.from([0, 0.1, 0.2, 10]), { ...clippedR, config: pct, shape: [4] });
    assert.equal(f.clipped, true);
    assert.equal(f.code, clippedR.qmax);
  });

  it('memory and labels', () => {
    assert.equal(packedBytes(16, 1, { format: 'int', bits: 4, scheme: 'affine' }), 8 + 4 + 1);
    assert.equal(packedBytes(16, 4, { format: 'int', bits: 8, scheme: 'symmetric' }), 16 + 16);
    // other formats: element bits, then a float32 scale per block, or MX's E8M0 byte
    assert.equal(packedBytes(64, 1, { format: 'nf4', bits: 8, scheme: 'affine' }), 32 + 4);
    assert.equal(packedBytes(64, 2, { format: 'mxfp4', bits: 8, scheme: 'affine' }), 32 + 2);
    assert.equal(packedBytes(64, 2, { format: 'mxint8', bits: 2, scheme: 'affine' }), 64 + 2);
    assert.equal(packedBytes(10, 1, { format: 'fp16', bits: 8, scheme: 'affine' }), 20); // a cast: no scale
    const layout = (granularity: 'tensor' | 'channel' | 'group') => ({
      config: resolveConfig({ granularity, groupSize: 3 }),
      shape: [4, 8],
    });
    assert.equal(blocksLabel(1, layout('tensor')), 'per tensor');
    assert.equal(blocksLabel(4, layout('channel')), '4 rows (per channel)');
    assert.equal(blocksLabel(12, layout('group')), '12 groups of up to 3');
    const even = { config: resolveConfig({ granularity: 'group', groupSize: 4 }), shape: [4, 8] };
    assert.equal(blocksLabel(8, even), '8 groups of 4');
    const wide = { config: resolveConfig({ granularity: 'group' }), shape: [4, 4] };
    assert.equal(blocksLabel(4, wide), '4 groups of 4 (one per row)');
  });
});
