/**
 * The arena frees what it allocates on jax-js: the wasm heap stays flat across repeated runs (every
 * operand, row sum, jit function and result disposed, also when a path is skipped for float16).
 * Its own file, so the recorder is installed before jax-js creates its memory.
 */
import { wasmHeapBytes } from '../helpers/wasm-memory.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runArena } from '../../src/core/arena/index.js';

describe('runArena memory', () => {
  it('keeps the jax-js wasm heap flat across runs', async () => {
    // 128×128 float32 is 64 KiB: one leaked operand per run grows the heap by a page or more.
    const options = {
      size: 128,
      iterations: 2,
      mode: 'both',
      devices: ['wasm'],
      paths: ['float32', 'int-jax', 'float16'],
    } as const;
    const arena = () => runArena({ ...options, devices: [...options.devices], paths: [...options.paths] });
    await arena();
    await arena();
    const before = wasmHeapBytes();
    assert.ok(before > 0, 'no jax-js wasm memory was recorded');
    for (let i = 0; i < 4; i++) await arena();
    assert.equal(wasmHeapBytes(), before);
  });
});
