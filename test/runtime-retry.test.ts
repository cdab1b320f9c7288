/**
 * A transient failure of the engine chunk (a 503) is reported as a `runtime` error naming the
 * cause and does not break the page: the next start (a device change, a reconnect, a new element)
 * loads it again. This file runs in a browser of its own (web-test-runner.config.mjs: a browser
 * that loaded the engine before would take it from its cache and never see the 503).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-simulator/quant-simulator.js';
import type { QuantSimulator } from '../src/components/quant-simulator/quant-simulator.js';
import type { QuantErrorDetail } from '../src/internal/events.js';
import { part } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';

describe('runtime start failure', () => {
  it('reports a failed engine load; a device change, a reconnect or a new element recovers', async () => {
    // The first load and the first retry fail.
    await fetch('/__faults/fail-once?path=/src/core/engine.');
    await fetch('/__faults/fail-once?path=/src/core/engine.');
    const el = document.createElement('quant-simulator') as QuantSimulator;
    el.loading = 'eager';
    const failed = nextEvent<QuantErrorDetail>(el, 'quant-error');
    const announced: string[] = [];
    el.addEventListener('quant-error', (e) => announced.push(e.detail.message));
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    wrapper.append(el);
    const { detail } = await failed;
    expect(detail.code).to.equal('runtime');
    expect(detail.message).to.contain('did not load'); // names the cause
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.contain('did not load');
    // One cause (the engine) fails the session and the weights: shown and announced once.
    await new Promise((r) => setTimeout(r, 300));
    await el.updateComplete;
    expect(part(el, 'error')!.querySelectorAll('p')).to.have.length(1);
    expect(part(el, 'error')!.textContent!.split('did not load')).to.have.length(2);
    expect(announced.filter((m) => m.includes('did not load'))).to.have.length(1);
    expect(part(el, 'status')!.textContent).to.not.contain('Starting');
    expect(el.result).to.equal(null);

    // A device change starts again: that retry fails too, and says so (no silent "starting…").
    const failedAgain = nextEvent<QuantErrorDetail>(el, 'quant-error');
    el.device = 'cpu';
    expect((await failedAgain).detail.code).to.equal('runtime');
    await el.updateComplete;
    expect(part(el, 'error')).to.not.equal(null);
    expect(el.result).to.equal(null);

    // Back to auto: this start loads the engine, and the weights follow (no stale state).
    const ready = nextEvent(el, 'quant-ready');
    el.device = 'auto';
    await ready;
    expect(el.result!.codes.length).to.equal(16);
    expect(el.error).to.equal(null);
    expect(part(el, 'status')!.textContent).to.contain('on wasm (auto)');

    // A reconnect and a new element work as well.
    el.remove();
    const again = nextEvent(el, 'quant-ready');
    wrapper.append(el);
    await again;
    const other = await fixture<QuantSimulator>(
      html`<quant-simulator loading="eager" bits="4"></quant-simulator>`,
    );
    if (!other.result) await nextEvent(other, 'quant-ready');
    expect(other.result!.qmax).to.equal(15);
  });
});
