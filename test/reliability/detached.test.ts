/**
 * A detached element emits nothing (issue 21 item 3): work that was in flight when the element
 * left the page — its first computation, a slow `src` — ends without a `quant-result` while it
 * is out, and the element, put back, gives the same result as a fresh one.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/quant-histogram/quant-histogram.js';
import '../../src/components/quant-simulator/quant-simulator.js';
import type { QuantHistogram } from '../../src/components/quant-histogram/quant-histogram.js';
import type { QuantSimulator } from '../../src/components/quant-simulator/quant-simulator.js';
import { nextEvent, sleep } from '../helpers/wait.js';

/** Every kit event the element dispatches while it is not in the document. */
function detachedEvents(el: Element): string[] {
  const seen: string[] = [];
  for (const name of ['quant-result', 'quant-ready', 'quant-change', 'quant-error', 'quant-select'])
    el.addEventListener(name, () => {
      if (!el.isConnected) seen.push(name);
    });
  return seen;
}

/**
 * Connects `el`, removes it `after` ms later, keeps it out `away` ms, and returns the events it
 * dispatched while out (none expected).
 */
async function removeMidway(wrapper: Element, el: Element, after: number, away: number): Promise<string[]> {
  const seen = detachedEvents(el);
  wrapper.append(el);
  await sleep(after);
  el.remove();
  await sleep(away);
  return seen;
}

describe('a detached element', () => {
  it('a histogram removed during its first computation emits nothing until it is back', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('quant-histogram') as QuantHistogram;
    el.setAttribute('loading', 'eager');
    el.setAttribute('shape', '512x512');
    el.setAttribute('compare', '2 4 8');
    const seen = await removeMidway(wrapper, el, 30, 500);
    expect(seen).to.deep.equal([]);
    expect(el.result).to.equal(null);
    const back = nextEvent(el, 'quant-result', 20000);
    wrapper.append(el);
    await back;
    const fresh = await fixture<QuantHistogram>(
      html`<quant-histogram loading="eager" shape="512x512" compare="2 4 8"></quant-histogram>`,
    );
    if (!fresh.result) await nextEvent(fresh, 'quant-result', 20000);
    const summary = (r: QuantHistogram['result']) =>
      [r!, ...r!.compare].map((q) => [
        q.config.bits,
        q.stats.sqnrDb,
        q.stats.mse,
        Array.from(q.codes.slice(0, 64)),
      ]);
    expect(summary(el.result)).to.deep.equal(summary(fresh.result));
    expect(seen).to.deep.equal([]);
  });

  it('a simulator removed while its slow src is in flight emits nothing, and loads it when back', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('quant-simulator') as QuantSimulator;
    el.setAttribute('loading', 'eager');
    el.setAttribute('src', '/test/fixtures/weights-4x4.json?qw-delay=700');
    const seen = await removeMidway(wrapper, el, 150, 1200); // the response arrives while it is out
    expect(seen).to.deep.equal([]);
    const back = nextEvent(el, 'quant-result', 20000);
    wrapper.append(el);
    await back;
    expect(el.result!.codes.length).to.equal(16);
    expect(Array.from(el.result!.dequantized).at(-1)).to.be.closeTo(-0.125, 0.02);
    expect(seen).to.deep.equal([]);
  });
});
