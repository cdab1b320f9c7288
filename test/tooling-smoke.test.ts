/// <reference types="mocha" />
import { expect } from '@open-wc/testing';

// Guards the browser test environment itself (web-test-runner.config.mjs): pages must be
// crossOriginIsolated (COOP/COEP → SharedArrayBuffer → jax-js's multi-threaded wasm), and Chromium
// must expose a WebGPU adapter (--enable-unsafe-webgpu; SwiftShader when there is no GPU).
describe('browser test environment', () => {
  it('is crossOriginIsolated with SharedArrayBuffer', () => {
    expect(globalThis.crossOriginIsolated).to.equal(true);
    expect(typeof SharedArrayBuffer).to.equal('function');
  });

  it('exposes WebGPU with an adapter', async () => {
    expect('gpu' in navigator).to.equal(true);
    const gpu = (navigator as Navigator & { gpu: { requestAdapter(): Promise<object | null> } }).gpu;
    expect(await gpu.requestAdapter()).to.not.equal(null);
  });
});
