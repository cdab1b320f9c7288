/**
 * Lifecycle abuse (issue 21): a burst of synchronous changes computes once with the last value;
 * an element moved between parents again and again ends with the result a fresh element gives.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/quant-simulator/quant-simulator.js';
import type { QuantSimulator } from '../../src/components/quant-simulator/quant-simulator.js';
import { idle } from '../helpers/element.js';
import { count } from '../helpers/soak.js';
import { nextEvent, whenReady } from '../helpers/wait.js';

const summary = (el: QuantSimulator) => [
  el.result!.config.bits,
  el.result!.scale,
  Array.from(el.result!.codes),
];

async function fresh(bits: number): Promise<QuantSimulator> {
  const el = await fixture<QuantSimulator>(
    html`<quant-simulator loading="eager" bits=${bits}></quant-simulator>`,
  );
  await whenReady(el);
  return el;
}

describe('lifecycle abuse', () => {
  it('1,000 synchronous changes: one computation, with the last value', async () => {
    const el = await fresh(8);
    const results: number[] = [];
    el.addEventListener('quant-result', (e) => results.push(e.detail.config.bits));
    const n = count(1000, 1000);
    for (let i = 0; i < n; i++) el.setAttribute('bits', String(2 + (i % 15)));
    el.bits = 5;
    await nextEvent(el, 'quant-result');
    expect(await idle(el)).to.equal(true);
    expect(results).to.deep.equal([5]);
    expect(summary(el)).to.deep.equal(summary(await fresh(5)));
  });

  it('100 moves between parents: still one element, computing like a fresh one', async () => {
    const a = await fixture<HTMLDivElement>(html`<div></div>`);
    const b = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = await fresh(4);
    a.append(el);
    const n = count(100, 1000);
    for (let i = 0; i < n; i++) {
      (i % 2 ? a : b).append(el);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 0)); // some moves across tasks
    }
    const done = nextEvent(el, 'quant-result');
    el.bits = 3;
    await done;
    expect(await idle(el)).to.equal(true);
    expect(el.error).to.equal(null);
    expect(summary(el)).to.deep.equal(summary(await fresh(3)));
  });
});
