/**
 * A removed element is garbage (issue 21 item 3: a detached element holds nothing beyond its
 * config, and nothing outside holds it). uPlot's option callbacks outlive their chart — V8's
 * shared property tables keep the first chart's getters — so the histogram's callbacks read its
 * chart state from a holder, not from the element: 10 histograms, each shown, then removed, are
 * all collected (a WeakRef to each, forced GC); so are the other elements.
 */
import { expect } from '@open-wc/testing';
import '../../src/index.js';
import { heapAfterGc } from '../helpers/heap.js';
import { nextEvent } from '../helpers/wait.js';

/** A histogram shown, then removed; only a WeakRef to it stays (nothing on this frame either). */
async function shownThenRemoved(tag: string, attrs: Record<string, string>): Promise<WeakRef<Element>> {
  const el = document.createElement(tag);
  el.setAttribute('loading', 'eager');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const done = nextEvent(el, 'quant-result', 60000);
  document.body.append(el);
  await done;
  el.remove();
  return new WeakRef(el);
}

const SUBJECTS: [string, Record<string, string>][] = [
  ['quant-histogram', { shape: '16x16' }],
  ['quant-simulator', {}],
  ['quant-heatmap', { shape: '16x16' }],
  ['quant-inference', { model: 'spirals' }],
];

describe('removed elements are collected', () => {
  for (const [tag, attrs] of SUBJECTS)
    it(`10 ${tag}, shown and removed: every one collected`, async function () {
      this.timeout(120000);
      const refs: WeakRef<Element>[] = [];
      for (let i = 0; i < 10; i++) refs.push(await shownThenRemoved(tag, attrs));
      await heapAfterGc();
      // Work still settling (a last frame, a pending read-back) may hold one for a moment;
      // what a leak holds, it holds for good: look again after a pause.
      if (refs.some((r) => r.deref())) await new Promise((r) => setTimeout(r, 2000)).then(heapAfterGc);
      const alive = refs.flatMap((r, i) => (r.deref() ? [i] : []));
      expect(alive, `${tag} still reachable (their index)`).to.deep.equal([]);
    });
});
