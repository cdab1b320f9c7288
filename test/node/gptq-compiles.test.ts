/**
 * GPTQ's compiled steps stay few: a first GPTQ of the digits model compiles a bounded number of
 * wasm kernels (each block realized before the next; queued lazily, jax-js compiled the chain of
 * blocks as ~3,500 new kernels when it was read, seconds on a first run), and a second run compiles
 * none. Its own file: WebAssembly.compile is counted from before jax-js loads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

let compiles = 0;
const compile = WebAssembly.compile.bind(WebAssembly);
WebAssembly.compile = (bytes) => {
  compiles++;
  return compile(bytes);
};

describe('GPTQ compiles', () => {
  it('a bounded number of wasm kernels on a first run, none on the second', async () => {
    const { init } = await import('@jax-js/jax');
    const { calibrate } = await import('../../src/core/gptq/calibrate.js');
    const { loadDigits } = await import('./qat-digits.js');
    await init('wasm');
    const digits = loadDigits();
    const run = () =>
      calibrate({
        layers: digits.layers,
        inputs: digits.train.inputs.slice(0, 64 * 784),
        n: 64,
        method: 'gptq',
        quant: { scheme: 'affine', granularity: 'channel', groupSize: 32 },
        layerBits: [3, 3, 3],
        device: 'wasm',
      });
    const before = compiles;
    await run();
    const first = compiles - before;
    assert.ok(first > 0 && first < 400, `${first} wasm compiles on a first run`);
    await run();
    assert.equal(compiles - before - first, 0);
  });
});
