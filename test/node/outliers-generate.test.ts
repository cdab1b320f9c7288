/**
 * The seeded layer of <quant-outliers> (src/core/outliers/generate.ts): the LLM.int8() regime at
 * the defaults, reproducible from its seed, and its config checked.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { init } from '@jax-js/jax';
import { generateOutlierData } from '../../src/core/outliers/generate.js';
import { resolveDataConfig, resolveMethodConfig } from '../../src/core/outliers/config.js';

before(async () => {
  await init('wasm');
});

/** max |x| per channel of x [t, c]. */
function channelMax(x: Float32Array, c: number): Float32Array {
  const out = new Float32Array(c);
  x.forEach((v, i) => (out[i % c] = Math.max(out[i % c], Math.abs(v))));
  return out;
}

describe('outlier layer generator', () => {
  it('defaults: 512 × 512, six outlier channels peaking near 60, the rest ≲ 3.5', async () => {
    const d = await generateOutlierData();
    assert.deepEqual(d.config, {
      tokens: 512,
      channels: 512,
      outputs: 512,
      outlierChannels: 6,
      outlierScale: 20,
      seed: 95,
    });
    assert.equal(d.x.length, 512 * 512);
    assert.equal(d.w.length, 512 * 512);
    assert.equal(d.outlierChannels.length, 6);
    const max = channelMax(d.x, 512);
    const outliers = new Set(d.outlierChannels);
    for (let j = 0; j < 512; j++) {
      if (outliers.has(j)) assert.ok(max[j] > 40 && max[j] < 90, `outlier channel ${j}: ${max[j]}`);
      else assert.ok(max[j] < 6, `channel ${j}: ${max[j]} reaches the threshold`);
    }
    let typical = 0;
    let n = 0;
    d.x.forEach((v, i) => {
      if (outliers.has(i % 512)) return;
      n++;
      if (Math.abs(v) <= 3.5) typical++;
    });
    assert.ok(typical / n > 0.999, `${typical / n} of ordinary values within 3.5`);
    // W ~ N(0, 1/channels).
    const variance = d.w.reduce((a, v) => a + v * v, 0) / d.w.length;
    assert.ok(Math.abs(variance * 512 - 1) < 0.02, `var(W) · 512 = ${variance * 512}`);
  });

  it('is reproducible from the seed, and another seed gives another layer', async () => {
    const a = await generateOutlierData({ tokens: 20, channels: 30, seed: 7 });
    const b = await generateOutlierData({ tokens: 20, channels: 30, seed: 7 });
    const c = await generateOutlierData({ tokens: 20, channels: 30, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.x, c.x);
    assert.notDeepEqual(a.w, c.w);
  });

  it('outlier-scale multiplies the outlier channels only; outlier-channels picks how many', async () => {
    const base = { tokens: 16, channels: 24, seed: 3 };
    const a = await generateOutlierData({ ...base, outlierScale: 1 });
    const b = await generateOutlierData({ ...base, outlierScale: 50 });
    assert.deepEqual(b.outlierChannels, a.outlierChannels);
    const picked = new Set(a.outlierChannels);
    a.x.forEach((v, i) => assert.equal(b.x[i], picked.has(i % 24) ? Math.fround(v * 50) : v));
    assert.deepEqual(b.w, a.w);
    const none = await generateOutlierData({ ...base, outlierChannels: 0 });
    const all = await generateOutlierData({ ...base, outlierChannels: 24 });
    assert.deepEqual([none.outlierChannels, all.outlierChannels.length], [[], 24]);
    // More outlier channels keep the earlier ones (the first k of one permutation).
    const more = await generateOutlierData({ ...base, outlierChannels: 12 });
    assert.ok(a.outlierChannels.every((j) => more.outlierChannels.includes(j)));
  });

  it('rejects bad config with QuantError', async () => {
    for (const bad of [
      { outlierChannels: 10, channels: 8 },
      { outlierScale: 0 },
      { outlierScale: 1e5 },
      { tokens: 0 },
      { channels: 4097 },
      { channels: 2049 },
      { seed: 0.5 },
    ])
      await assert.rejects(generateOutlierData(bad), { name: 'QuantError', code: 'invalid-config' });
    await assert.rejects(generateOutlierData({ tokens: 4096, channels: 2048 }), { code: 'invalid-shape' });
  });

  it('bits sets both widths unless one is given', () => {
    assert.deepEqual(resolveMethodConfig({ bits: 4 }), {
      weightBits: 4,
      activationBits: 4,
      alpha: 0.5,
      threshold: 6,
      seed: 95,
    });
    const c = resolveMethodConfig({ bits: 4, activationBits: 8 });
    assert.deepEqual([c.weightBits, c.activationBits], [4, 8]);
    assert.equal(resolveDataConfig({ channels: 64 }).outputs, 64);
  });
});
