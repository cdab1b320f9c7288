/**
 * 50 lazy elements on one page (issue 21): only those near the viewport start; the rest stay idle
 * (their status says they start in view, no result, no event) until one is scrolled to, and then
 * only it and its neighbours start. "Near" is the lazy gate's root margin
 * (NEAR_MARGIN, src/controllers/visibility.ts); the layout keeps every edge well away from it, so the expected
 * set is exact.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { NEAR_MARGIN } from '../../src/controllers/visibility.js';
import { sleep } from '../helpers/wait.js';
import { uncaught, type Widget } from './subjects.js';

const TAGS = ['quant-simulator', 'quant-inference', 'quant-heatmap', 'quant-arena', 'quant-histogram'];
const COUNT = 50;
const MARGIN = NEAR_MARGIN;
/** Edges closer than this to the gate's boundary would make the expected set a guess. */
const SLACK = 30;

const status = (el: Element) => el.shadowRoot?.querySelector('[part~="status"]')?.textContent ?? '';

/** Indices of the elements within the gate's margin of the viewport now. */
function nearNow(els: Element[]): number[] {
  const top = -MARGIN;
  const bottom = window.innerHeight + MARGIN;
  const out: number[] = [];
  els.forEach((el, i) => {
    const r = el.getBoundingClientRect();
    for (const edge of [r.top, r.bottom])
      for (const boundary of [top, bottom])
        if (Math.abs(edge - boundary) < SLACK)
          throw new Error(`ambiguous layout: element ${i} has an edge at ${edge}, the gate at ${boundary}`);
    if (r.bottom > top && r.top < bottom) out.push(i);
  });
  return out;
}

describe('50 lazy elements on a page', function () {
  this.timeout(120000);

  it('only those near the viewport start; scrolling a far one into view starts it', async () => {
    const watch = uncaught();
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    // Three elements and a half fit in the viewport plus its bottom margin.
    const height = Math.round((window.innerHeight + MARGIN - wrapper.getBoundingClientRect().top) / 2.5);
    const started = new Set<number>();
    const els: Widget[] = [];
    for (let i = 0; i < COUNT; i++) {
      const el = document.createElement(TAGS[i % TAGS.length]) as Widget;
      el.style.cssText = `display: block; height: ${height}px; overflow: hidden`;
      for (const type of ['quant-ready', 'quant-result']) el.addEventListener(type, () => started.add(i));
      els.push(el);
    }
    wrapper.append(...els);
    try {
      const checkView = async (label: string, expected: number[]) => {
        const t0 = performance.now();
        while (!expected.every((i) => started.has(i))) {
          if (performance.now() - t0 > 60000)
            throw new Error(`${label}: not started: ${expected.filter((i) => !started.has(i)).join(', ')}`);
          await sleep(50);
        }
        // Frames for a wrongly opened gate to show (its status changes at once, its result later).
        await sleep(300);
        const idleOnes = els.map((_, i) => i).filter((i) => !expected.includes(i));
        const wrong = idleOnes.filter(
          (i) => started.has(i) || els[i].result || !status(els[i]).includes('scrolls into view'),
        );
        console.log(
          `${label}: started ${[...started].sort((a, b) => a - b).join(' ')} in ${(performance.now() - t0).toFixed(0)} ms; ${idleOnes.length - wrong.length} idle`,
        );
        expect(
          wrong.map((i) => `${i} ${els[i].localName}: ${status(els[i])}`),
          `${label}: started though far from the viewport`,
        ).to.deep.equal([]);
        for (const i of expected) expect(els[i].error, `${i} ${els[i].localName}`).to.equal(null);
      };

      const first = nearNow(els);
      expect(first.length, 'a few near the top').to.be.within(2, 5);
      await checkView('top', first);

      const far = 43; // a quant-arena, far below
      expect(first).to.not.include(far);
      window.scrollTo(0, window.scrollY + els[far].getBoundingClientRect().top - height * 0.1);
      await new Promise((r) => requestAnimationFrame(r));
      const second = nearNow(els);
      expect(second).to.include(far);
      await checkView(`scrolled to ${far}`, [...first, ...second]);
      expect(watch.stop(), 'uncaught exceptions').to.deep.equal([]);
    } finally {
      watch.stop();
      wrapper.remove();
      window.scrollTo(0, 0);
    }
  });
});
