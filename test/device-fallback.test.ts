/**
 * An explicit device the browser lacks: the element says so (a `runtime` error naming `device`)
 * and computes on the automatic choice, and the result records the device it really ran on.
 * WebGPU is taken away from this page before anything loads, so the fallback always happens here.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-simulator/quant-simulator.js';
import type { QuantSimulator } from '../src/components/quant-simulator/quant-simulator.js';
import { part } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';

delete (Navigator.prototype as { gpu?: unknown }).gpu;

describe('device fallback', () => {
  it('falls back visibly when the browser lacks the asked device, and labels the result by what ran', async () => {
    expect('gpu' in navigator).to.equal(false);
    const el = await fixture<QuantSimulator>(
      html`<quant-simulator loading="eager" device="webgpu"></quant-simulator>`,
    );
    const { detail } = el.result
      ? { detail: { device: el.result.device } }
      : await nextEvent<{ device: string }>(el, 'quant-ready');
    expect(detail.device).to.equal('wasm');
    expect(el.result!.device).to.equal('wasm');
    expect(el.error).to.include({ code: 'runtime', attribute: 'device' });
    expect(part(el, 'error')!.textContent).to.contain('"webgpu" is not available');
    expect(part(el, 'status')!.textContent).to.contain('on wasm');
    // asking for a device it has clears the notice
    const moved = nextEvent(el, 'quant-ready');
    el.device = 'cpu';
    await moved;
    expect(el.result!.device).to.equal('cpu');
    expect(el.error).to.equal(null);
  });
});
