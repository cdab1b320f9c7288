/**
 * Runtime messages name the page rule to change (issue 21 item 1): the browser's refusal of
 * WebAssembly names 'unsafe-eval', so it gets the keyword to add; the kit's own messages, which
 * already name their rule (worker-src blob:), pass through untouched.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainRuntimeMessage } from '../../src/core/errors.js';
import { BLOB_WORKERS_BLOCKED } from '../../src/core/worker-probe.js';
import { WASM_UNAVAILABLE } from '../../src/core/runtime.js';

describe('explainRuntimeMessage', () => {
  it("adds 'wasm-unsafe-eval' to the browser's refusal of WebAssembly", () => {
    const chromium =
      "WebAssembly.instantiate(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' " +
      'is not an allowed source of script in the following Content Security Policy directive: "script-src \'self\'"';
    const out = explainRuntimeMessage(chromium);
    assert.match(out, /add 'wasm-unsafe-eval' to script-src/);
    assert.ok(out.includes(chromium), 'the original message is kept');
  });

  it('leaves a refusal that already names wasm-unsafe-eval, and other errors, as they are', () => {
    const newer =
      "WebAssembly.compile(): Refused to compile or instantiate WebAssembly module because neither 'wasm-unsafe-eval' nor 'unsafe-eval' is an allowed source";
    assert.equal(explainRuntimeMessage(newer), newer);
    assert.equal(explainRuntimeMessage('out of memory'), 'out of memory');
  });

  it("passes the kit's own CSP messages through (the no-blob: page must not be told to add 'wasm-unsafe-eval')", () => {
    for (const own of [
      BLOB_WORKERS_BLOCKED,
      `device "wasm" cannot start: ${BLOB_WORKERS_BLOCKED}`,
      WASM_UNAVAILABLE,
    ])
      assert.equal(explainRuntimeMessage(own), own);
  });
});
