/**
 * The number formats free what they allocate on jax-js: the wasm heap stays flat across repeated
 * quantizations of every format, eager (quantizeArray) and jit-compiled (a session), with clip masks.
 * Its own file, so the recorder is installed before jax-js creates its memory.
 */
import { wasmHeapBytes } from '../helpers/wasm-memory.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSession, quantizeArray } from '../../src/core/index.js';
import { lcgNormal } from '../shared/core-cases.js';
import { OTHER_FORMATS } from '../shared/format-cases.js';

describe('number formats memory', () => {
  it('keeps the jax-js wasm heap flat across runs of every format', async () => {
    // 128×130 float32 is 65 KiB: one leaked array per run grows the heap by a page or more.
    const data = lcgNormal(128 * 130, 9);
    const session = await createSession('wasm', { jit: true });
    session.setData(data, [128, 130]);
    const run = async () => {
      for (const format of OTHER_FORMATS) {
        const config = { format, granularity: 'group', groupSize: 64 } as const;
        await quantizeArray(data, [128, 130], config);
        await session.quantize(config, { clipMask: true });
      }
    };
    try {
      await run();
      await run();
      const before = wasmHeapBytes();
      assert.ok(before > 0, 'no jax-js wasm memory was recorded');
      for (let i = 0; i < 6; i++) await run();
      assert.equal(wasmHeapBytes(), before);
    } finally {
      session.dispose();
    }
  });
});
