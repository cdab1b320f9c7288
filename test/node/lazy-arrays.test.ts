/**
 * A result's unread arrays (`read`, `statsLater`): the session holds them on the device until it
 * moves on (quantizes again, gets new data, is disposed), then frees them unread; a first access
 * after that recomputes the whole result, and it is the same numbers as a result read at once.
 * A call reads back only what it was asked for: the heatmap's call moves |x − x̂| and the packed
 * mask, not the codes, the dequantized values or an earlier result's arrays.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { numpy as np } from '@jax-js/jax';
import { createSession, generateWeights } from '../../src/core/index.js';
import { deferred } from '../../src/core/read.js';
import type { QuantConfig } from '../../src/core/config.js';
import type { QuantResult } from '../../src/core/result.js';

const cases: [string, number[], Partial<QuantConfig>][] = [
  ['per channel', [48, 80], { bits: 3, granularity: 'channel' }],
  [
    'ragged groups, stochastic',
    [37, 70],
    { bits: 2, granularity: 'group', groupSize: 24, rounding: 'stochastic', seed: 5 },
  ],
  ['percentile (clipping)', [64, 64], { bits: 4, calibration: 'percentile', percentile: 99 }],
  ['mse', [40, 64], { bits: 3, granularity: 'channel', calibration: 'mse' }],
  ['fp8', [32, 33], { format: 'fp8-e4m3' }],
  ['mxfp4', [16, 64], { format: 'mxfp4' }],
];

const ALL = { clipMask: true, absError: true } as const;
const LAZY = { ...ALL, read: [], statsLater: true } as const;

function plain(r: QuantResult) {
  return {
    codes: Array.from(r.codes),
    dequantized: Array.from(r.dequantized),
    clipped: Array.from(r.clipped!),
    absError: Array.from(r.absError!),
    scale: Array.from(r.scale),
    zeroPoint: Array.from(r.zeroPoint),
    stats: r.stats,
  };
}

/** Bytes copied back from jax-js while `fn` runs (every data() and dataSync()). */
async function bytesRead(fn: () => unknown): Promise<number> {
  const proto = Object.getPrototypeOf(np.zeros([1])) as {
    data(): Promise<unknown>;
    dataSync(): unknown;
  };
  const { data, dataSync } = proto;
  let bytes = 0;
  const count = (a: { size: number; dtype: string }) => (bytes += a.size * (a.dtype === 'float64' ? 8 : 4));
  proto.data = function (this: { size: number; dtype: string }) {
    count(this);
    return data.call(this);
  };
  proto.dataSync = function (this: { size: number; dtype: string }) {
    count(this);
    return dataSync.call(this);
  };
  try {
    await fn();
  } finally {
    Object.assign(proto, { data, dataSync });
  }
  return bytes;
}

describe('lazily read arrays', () => {
  for (const [name, shape, config] of cases)
    it(`${name}: freed unread when the session moves on, then recomputed, the same numbers`, async () => {
      const n = shape[0] * shape[1];
      const x = await generateWeights('laplace', n, { std: 0.4, seed: 3 });
      const s = await createSession('wasm');
      s.setData(x, shape);
      const expected = plain(await s.quantize(config, ALL));
      // Unread, then stale three ways: another quantization, new data, the session disposed.
      const stale = await s.quantize(config, LAZY);
      await s.quantize({ bits: 6 }, LAZY);
      assert.deepEqual(plain(stale), expected);
      const beforeNewData = await s.quantize(config, LAZY);
      const negated = x.map((v) => -v);
      s.setData(negated, shape);
      const negatedExpected = plain(await s.quantize(config, ALL));
      const beforeDispose = await s.quantize(config, LAZY);
      s.dispose();
      assert.deepEqual(plain(beforeNewData), expected);
      assert.deepEqual(plain(beforeDispose), negatedExpected);
      // Held: read on first access (the same numbers again).
      const t = await createSession('wasm');
      t.setData(x, shape);
      assert.deepEqual(plain(await t.quantize(config, LAZY)), expected);
      t.dispose();
    });

  it('a call reads back only what it asks for, never an earlier result’s unread arrays', async () => {
    const [rows, cols] = [256, 256];
    const n = rows * cols;
    const x = await generateWeights('normal', n, { seed: 2 });
    const s = await createSession('wasm');
    s.setData(x, [rows, cols]);
    const heatmap = {
      clipMask: true,
      absError: true,
      read: ['absError', 'clipped'],
      statsLater: true,
    } as const;
    const first = await s.quantize({ bits: 8, granularity: 'channel' }, heatmap);
    let r: QuantResult | null = null;
    const bytes = await bytesRead(async () => {
      r = await s.quantize({ bits: 4, granularity: 'channel' }, heatmap);
    });
    // |x − x̂| (4 bytes a value), the mask packed (1 byte a value), scales and zero-points.
    assert.ok(bytes <= 5 * n + 8 * rows + 1024, `read ${bytes} bytes, expected ≤ ${5 * n + 8 * rows + 1024}`);
    assert.ok(bytes >= 5 * n, `read ${bytes} bytes: the arrays drawn must be read`);
    assert.equal(r!.clipped!.length, n);
    // The codes, read on first access from the device: one array's bytes, not a recomputation.
    const codes = await bytesRead(() => r!.codes);
    assert.equal(codes, 4 * n);
    // The first result's codes went with its turn: recomputed whole (every array read anew).
    const recomputed = await bytesRead(() => first.codes);
    assert.ok(recomputed >= 13 * n, `recomputing read ${recomputed} bytes`);
    s.dispose();
  });
});

describe('a deferred array whose read fails', () => {
  const failing = {
    dataSync: () => {
      throw new Error('context lost');
    },
  } as unknown as import('@jax-js/jax').Array;
  it('falls back to the recompute when there is one', () => {
    const d = deferred(
      failing,
      (x) => x,
      () => Float32Array.of(7),
    );
    assert.deepEqual([...(d.get() as Float32Array)], [7]);
  });
  it('throws the read error, not a TypeError, when there is none', () => {
    const d = deferred(failing, (x) => x);
    assert.throws(() => d.get(), /context lost/);
    assert.throws(
      () => d.get(),
      (e: unknown) => (e as { code?: string }).code === 'runtime',
    );
  });
});
