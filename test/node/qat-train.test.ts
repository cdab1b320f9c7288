/**
 * QAT on the digits model: a short run at 2 bits beats post-training quantization, a seed gives
 * the same weights twice, and a cancelled run rejects with AbortError and frees what it allocated.
 * Its own file, so the wasm heap recorder is installed before jax-js creates its memory.
 */
import { wasmHeapBytes } from '../helpers/wasm-memory.js';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { init } from '@jax-js/jax';
import { trainQat, type QatOptions } from '../../src/core/qat/index.js';
import { loadDigits } from './qat-digits.js';

const digits = loadDigits();
const base: QatOptions = { ...digits, device: 'wasm', config: { bits: 2 } };

before(async () => {
  await init('wasm');
});

describe('trainQat (digits)', () => {
  it('a short run at 2 bits per tensor raises held-out accuracy over PTQ, with a curve', async () => {
    const progress: number[] = [];
    const r = await trainQat({ ...base, steps: 40, evalEvery: 20, onProgress: (p) => progress.push(p.done) });
    assert.ok(r.accuracyPtq < r.accuracyFloat - 0.2, `PTQ ${r.accuracyPtq} vs float ${r.accuracyFloat}`);
    assert.ok(r.accuracy > r.accuracyPtq + 0.2, `QAT ${r.accuracy} vs PTQ ${r.accuracyPtq}`);
    assert.deepEqual(
      progress,
      Array.from({ length: 41 }, (_, i) => i),
    );
    assert.deepEqual(
      r.curve.map((p) => p.step),
      [0, 20, 40],
    );
    assert.equal(r.curve.at(-1)!.qat, r.accuracy);
    assert.deepEqual(
      r.layers.map((l) => l.shape),
      digits.layers.map((l) => l.shape),
    );
  });

  it('is deterministic for a seed: the same weights twice, other weights for another seed', async () => {
    const run = (seed: number) =>
      trainQat({ ...base, config: { bits: 2, granularity: 'channel' }, activations: 4, steps: 6, seed });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    a.layers.forEach((l, i) => {
      assert.deepEqual(l.weight, b.layers[i].weight);
      assert.deepEqual(l.bias, b.layers[i].bias);
    });
    assert.equal(a.accuracy, b.accuracy);
    assert.notDeepEqual(a.layers[0].weight, c.layers[0].weight);
  });

  it('cancelled: rejects with an AbortError, and the wasm heap stays flat over cancelled runs', async () => {
    const cancelled = async () => {
      const controller = new AbortController();
      await assert.rejects(
        trainQat({
          ...base,
          steps: 50,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.done === 3) controller.abort();
          },
        }),
        (e: unknown) => e instanceof DOMException && e.name === 'AbortError',
      );
    };
    await cancelled();
    await cancelled();
    const heap = wasmHeapBytes();
    assert.ok(heap > 0, 'no jax-js wasm memory was recorded');
    for (let i = 0; i < 4; i++) await cancelled();
    // A run holds ~3 MB of weights and moments and 6 MB of held-out inputs: a leak of any grows the heap.
    assert.equal(wasmHeapBytes(), heap);
    // An already aborted signal rejects before any work.
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(trainQat({ ...base, signal: controller.signal }), { name: 'AbortError' });
  });

  it('rejects bad options with invalid-config', async () => {
    await assert.rejects(trainQat({ ...base, steps: 0 }), { code: 'invalid-config' });
    await assert.rejects(trainQat({ ...base, lr: -1 }), { code: 'invalid-config' });
    await assert.rejects(trainQat({ ...base, layerBits: [2, 2] }), { code: 'invalid-config' });
    await assert.rejects(trainQat({ ...base, config: { bits: 1 } }), { code: 'invalid-config' });
  });
});
