/**
 * <quant-outliers>'s continuous values reach kernels as operands, not compiled constants (issue 21,
 * item 2; runtime-args.test.ts for the other elements): after a warm-up, 100 new α, threshold or
 * outlier-scale values, every bit width and new seeds compile no WebAssembly module, and the jax-js
 * heap stays flat across them. Its own file, so the module counter and the heap recorder are
 * installed before jax-js compiles anything.
 */
import { compiledModules } from '../helpers/wasm-modules.js';
import { wasmHeapBytes } from '../helpers/wasm-memory.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { init } from '@jax-js/jax';
import { generateOutlierData } from '../../src/core/outliers/generate.js';
import { OutliersSession } from '../../src/core/outliers/session.js';

/** Modules compiled by `values.length - 3` new values after 3 warm-up values. */
async function compiledBy<T>(values: T[], run: (v: T) => Promise<unknown>): Promise<number> {
  for (const v of values.slice(0, 3)) await run(v);
  const start = compiledModules();
  for (const v of values.slice(3)) await run(v);
  return compiledModules() - start;
}

const spread = (n: number, from: number, step: number) =>
  Array.from({ length: n }, (_, i) => from + i * step);

let session: OutliersSession;
before(async () => {
  await init('wasm');
  const data = await generateOutlierData({ tokens: 48, channels: 40, seed: 5 });
  session = new OutliersSession('wasm');
  session.setData(data.x, [48, 40], data.w, [40, 40]);
});
after(() => session.dispose());

describe('outliers: continuous values compile no kernels', () => {
  it('100 new α values', async () => {
    const n = await compiledBy(spread(103, 0.001, 0.0097), (alpha) => session.run({ alpha }));
    assert.equal(n, 0);
  });

  it('100 new thresholds', async () => {
    const n = await compiledBy(spread(103, 0.5, 0.173), (threshold) => session.run({ threshold }));
    assert.equal(n, 0);
  });

  it('every bit width of weights and activations', async () => {
    const pairs = spread(15, 2, 1).flatMap((wb) => [
      { weightBits: wb, activationBits: 18 - wb },
      { weightBits: wb, activationBits: wb },
    ]);
    // Three pairs warm up; the rest are new widths for at least one operand.
    const n = await compiledBy(pairs, (p) => session.run(p));
    assert.equal(n, 0);
  });

  it('new seeds (the rotation signs)', async () => {
    const n = await compiledBy(spread(23, 11, 7919), (seed) => session.run({ seed }));
    assert.equal(n, 0);
  });

  it('new outlier scales, counts and seeds in the generator', async () => {
    const byScale = await compiledBy(spread(53, 0.7, 1.37), (outlierScale) =>
      generateOutlierData({ tokens: 48, channels: 40, outlierScale }),
    );
    const byCount = await compiledBy(spread(40, 0, 1), (outlierChannels) =>
      generateOutlierData({ tokens: 48, channels: 40, outlierChannels }),
    );
    const bySeed = await compiledBy(spread(23, 3, 104729), (seed) =>
      generateOutlierData({ tokens: 48, channels: 40, seed }),
    );
    assert.deepEqual({ byScale, byCount, bySeed }, { byScale: 0, byCount: 0, bySeed: 0 });
  });

  it('keeps the jax-js heap flat across runs and new data', async () => {
    const data = await generateOutlierData({ tokens: 48, channels: 40, seed: 6 });
    const cycle = async () => {
      session.setData(data.x, [48, 40], data.w, [40, 40]);
      for (const [i, alpha] of [0.2, 0.6, 0.9].entries()) await session.run({ alpha, bits: 4 + i, seed: i });
      for (const m of ['naive', 'per-token', 'llm-int8', 'smoothquant', 'rotation'] as const)
        await session.inspect(m);
    };
    await cycle();
    await cycle();
    const start = wasmHeapBytes();
    assert.ok(start > 0, 'no jax-js wasm memory was recorded');
    for (let i = 0; i < 5; i++) await cycle();
    assert.equal(wasmHeapBytes(), start);
  });
});
