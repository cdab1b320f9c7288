/**
 * A transient failure of the engine chunk (one 503) is reported as a `runtime` error and does not
 * break the page: the next start (a reconnect, a new element) loads it again. This file must be
 * the first to load the engine in its page, so it stands alone.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-simulator/quant-simulator.js';
import type { QuantSimulator } from '../src/components/quant-simulator/quant-simulator.js';
import type { QuantErrorDetail } from '../src/internal/events.js';
import { part } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';

describe('runtime start failure', () => {
  it('reports a failed engine load, and a reconnect or a new element recovers', async () => {
    await fetch('/__faults/fail-once?path=/src/core/engine.');
    const el = document.createElement('quant-simulator') as QuantSimulator;
    el.loading = 'eager';
    const failed = nextEvent<QuantErrorDetail>(el, 'quant-error');
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    wrapper.append(el);
    const { detail } = await failed;
    expect(detail.code).to.equal('runtime');
    await el.updateComplete;
    expect(part(el, 'error')!.textContent).to.not.equal('');
    expect(part(el, 'status')!.textContent).to.not.contain('Starting');
    expect(el.result).to.equal(null);

    // A reconnect starts again, and this time the chunk loads.
    el.remove();
    const ready = nextEvent(el, 'quant-ready');
    wrapper.append(el);
    await ready;
    expect(el.result!.codes.length).to.equal(16);
    expect(el.error).to.equal(null);

    // And so does any new element on the page.
    const other = await fixture<QuantSimulator>(
      html`<quant-simulator loading="eager" bits="4"></quant-simulator>`,
    );
    if (!other.result) await nextEvent(other, 'quant-ready');
    expect(other.result!.qmax).to.equal(15);
  });
});
