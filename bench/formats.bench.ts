/**
 * Number formats against integers on the same weights: SQNR and bits per weight of each format on
 * 256×1024 normal weights (std 0.5, seed 95), beside the oracle's SQNR (they must agree) and the
 * time of one quantization in a jit session (wasm). Run with
 * `npx web-test-runner --files bench/formats.bench.ts` (or `npm run bench`).
 */
import { expect } from '@open-wc/testing';
import { createSession, generateWeights } from '../src/core/index.js';
import type { QuantConfig } from '../src/core/config.js';
import { referenceQuantize } from '../src/core/reference.js';
import { summarize, table } from './stats.js';

const SHAPE = [256, 1024];
const G64 = { granularity: 'group', groupSize: 64 } as const;

/** Blocks of 64 where the issue compares NF4 with int4 (bitsandbytes' block); fp4-e2m1 per tensor (the default). */
const CASES: [string, string, Partial<QuantConfig>][] = [
  ['int4 symmetric', 'group 64', { bits: 4, scheme: 'symmetric', ...G64 }],
  ['int4 affine', 'group 64', { bits: 4, scheme: 'affine', ...G64 }],
  ['nf4', 'group 64', { format: 'nf4', ...G64 }],
  ['fp8-e4m3', 'tensor', { format: 'fp8-e4m3' }],
  ['fp8-e5m2', 'tensor', { format: 'fp8-e5m2' }],
  ['fp4-e2m1', 'tensor', { format: 'fp4-e2m1' }],
  ['fp4-e2m1', 'group 64', { format: 'fp4-e2m1', ...G64 }],
  ['mxfp4', 'MX 32', { format: 'mxfp4' }],
  ['mxfp8', 'MX 32', { format: 'mxfp8' }],
  ['mxint8', 'MX 32', { format: 'mxint8' }],
  ['int8 symmetric', 'channel', { bits: 8, scheme: 'symmetric', granularity: 'channel' }],
  ['fp16', 'cast', { format: 'fp16' }],
  ['bf16', 'cast', { format: 'bf16' }],
];

describe('formats bench', function () {
  this.timeout(600000);

  it('SQNR and bits per weight per format on 256×1024 normal weights', async () => {
    const data = await generateWeights('normal', SHAPE[0] * SHAPE[1], { seed: 95, std: 0.5 });
    const session = await createSession('wasm', { jit: true });
    const rows: Record<string, string | number>[] = [];
    try {
      session.setData(data, SHAPE);
      for (const [format, blocks, config] of CASES) {
        const r = await session.quantize(config);
        const oracle = referenceQuantize(data, SHAPE, config);
        expect(r.stats.sqnrDb).to.be.closeTo(oracle.stats.sqnrDb, 1e-6);
        const times: number[] = [];
        for (let i = 0; i < 10; i++) {
          const t = performance.now();
          await session.quantize(config);
          times.push(performance.now() - t);
        }
        rows.push({
          format,
          blocks,
          'SQNR dB': r.stats.sqnrDb,
          'oracle dB': oracle.stats.sqnrDb,
          'bits/weight': r.stats.bitsPerWeight,
          'clipped %': 100 * r.stats.clippedFraction,
          'ms (jit)': summarize(times).median,
        });
      }
    } finally {
      session.dispose();
    }
    console.log(table('Formats on 256×1024 normal weights (std 0.5, seed 95), wasm', rows));
  });
});
