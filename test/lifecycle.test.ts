/**
 * The visibility gate and the session lifecycle, checked on the network and on the
 * wasm heap rather than on flags. Nothing in this file loads jax-js up front.
 */
import './helpers/wasm-memory.js';
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-simulator/quant-simulator.js';
import type { QuantSimulator } from '../src/components/quant-simulator/quant-simulator.js';
import { NEAR_MARGIN } from '../src/controllers/visibility.js';
import { jaxRequests, nextEvent, whenReady } from './helpers/wait.js';
import { wasmHeapBytes } from './helpers/wasm-memory.js';

describe('lazy session', () => {
  it('requests no jax-js until the element nears the viewport', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <div style="height: 4000px"></div>
        <quant-simulator></quant-simulator>
      </div>`,
    );
    const el = wrapper.querySelector('quant-simulator')!;
    // Our own observer with the element's margin: once it has reported "not near", the
    // element's observer has had its say too (same frame), so "nothing loaded" is a fact.
    await new Promise<void>((resolve) => {
      const io = new IntersectionObserver(
        (entries) => {
          expect(entries[0].isIntersecting).to.equal(false);
          io.disconnect();
          resolve();
        },
        { rootMargin: `${NEAR_MARGIN}px` },
      );
      io.observe(el);
    });
    await el.updateComplete;
    expect(jaxRequests(), 'jax-js fetched before visible').to.deep.equal([]);
    expect(el.result).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part=status]')!.textContent).to.match(/scrolls into view/);
    const ready = nextEvent<{ device: string }>(el, 'quant-ready');
    el.scrollIntoView();
    const { detail } = await ready;
    expect(detail.device).to.equal('wasm');
    expect(jaxRequests().length).to.be.greaterThan(0);
    expect(el.result).to.not.equal(null);
    wrapper.remove();
  });

  it('starts at once with loading="eager", even off screen', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <div style="height: 4000px"></div>
        <quant-simulator loading="eager" bits="4"></quant-simulator>
      </div>`,
    );
    const el = wrapper.querySelector('quant-simulator')!;
    await whenReady(el);
    expect(el.result!.codes.length).to.equal(16);
    wrapper.remove();
  });

  it('disposes its session on disconnect and starts a new one on reconnect', async () => {
    const el = await fixture<QuantSimulator>(html`<quant-simulator loading="eager"></quant-simulator>`);
    await whenReady(el);
    type WithSession = { sessions: { session: { quantize(): Promise<unknown> } | null } };
    const session = (el as unknown as WithSession).sessions.session!;
    const parent = el.parentElement!;
    el.remove();
    expect((el as unknown as WithSession).sessions.session).to.equal(null);
    let error: unknown = null;
    await session.quantize().catch((e: unknown) => (error = e));
    expect((error as { code: string }).code).to.equal('runtime'); // disposed
    const ready = nextEvent(el, 'quant-ready');
    parent.append(el);
    await ready;
    expect(el.result!.codes.length).to.equal(16);
  });

  it('does not grow the wasm heap over repeated connect / disconnect', async () => {
    const el = await fixture<QuantSimulator>(
      html`<quant-simulator loading="eager" shape="64x64"></quant-simulator>`,
    );
    await whenReady(el);
    const parent = el.parentElement!;
    const cycle = async () => {
      el.remove();
      const ready = nextEvent(el, 'quant-ready');
      parent.append(el);
      await ready;
    };
    for (let i = 0; i < 5; i++) await cycle();
    const before = wasmHeapBytes();
    expect(before).to.be.greaterThan(0);
    for (let i = 0; i < 30; i++) await cycle();
    expect(wasmHeapBytes()).to.equal(before);
  });

  it('serves 20 elements asking for the runtime at once', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        ${Array.from({ length: 20 }, (_, i) => html`<quant-simulator loading="eager" seed=${i}></quant-simulator>`)}
      </div>`,
    );
    const els = [...wrapper.querySelectorAll('quant-simulator')];
    await Promise.all(els.map((el) => (el.result ? null : nextEvent(el, 'quant-result', 30000))));
    for (const [i, el] of els.entries()) {
      // each has its own result, from its own seed, computed on wasm
      expect(el.result!.codes.length, `element ${i}`).to.equal(16);
      expect(el.result!.device, `element ${i}`).to.equal('wasm');
      expect(el.result!.config.seed, `element ${i}`).to.equal(i);
      expect(el.error, `element ${i}`).to.equal(null);
    }
    // distinct seeds, distinct weights
    expect(els[0].data!.values).to.not.deep.equal(els[1].data!.values);
    // one copy of jax-js for the page: its entry module fetched once, not once per element
    expect(jaxRequests().filter((u) => u.endsWith('/index.js')).length).to.equal(1);
    wrapper.remove();
  });
});
