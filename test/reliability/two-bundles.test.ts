/**
 * Two copies of the kit on one page (issue 21): a page that loads the kit twice (two bundles, two
 * versions, a CDN script and an npm build) must not throw on `customElements.define` (SPEC §4: never
 * throws into the page). The second copy is the whole source tree again under another URL
 * (web-test-runner.config.mjs `/__copy/NAME/…`), so every module, Lit and jax-js included,
 * evaluates twice. The first definitions stay; elements made before and after work as before.
 */
import { expect } from '@open-wc/testing';
import * as first from '../../src/index.js';
import { create, SUBJECTS, uncaught, type Widget } from './subjects.js';
import { after } from '../helpers/element.js';

const TAGS = SUBJECTS.map((s) => s.tag);
const simulator = SUBJECTS.find((s) => s.tag === 'quant-simulator')!;

interface CdnPage extends Window {
  errors: string[];
  events: { tag: string; type: string; detail: { message?: string } | null }[];
  copies?: { define: (tag?: string) => Promise<void>; quantizeArray: unknown }[];
}

/** Opens `/__cdn/page` (scripts/wtr-cdn-copies.mjs) and waits until every tag has shown a result. */
async function openCdnPage(
  copies: string[],
  ms = 60000,
): Promise<{ win: CdnPage; frame: HTMLIFrameElement }> {
  const frame = document.createElement('iframe');
  frame.src = `/__cdn/page?copies=${copies.join(',')}&tags=${TAGS.join(',')}`;
  const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as CdnPage;
  const done = (tag: string) =>
    win.events.some(
      (e) =>
        e.tag === tag &&
        (e.type === (tag === 'quant-arena' ? 'quant-ready' : 'quant-result') || e.type === 'quant-error'),
    );
  const t0 = performance.now();
  while (!TAGS.every(done) && win.errors.length === 0 && performance.now() - t0 < ms)
    await new Promise((r) => setTimeout(r, 50));
  return { win, frame };
}

describe('two copies of the kit on one page', function () {
  this.timeout(120000);

  it('the second copy loads without throwing, the first definitions stay, every element works', async () => {
    const before = create(simulator) as Widget;
    const made: Widget[] = [before];
    const watch = uncaught();
    try {
      await simulator.ready(before);
      const key = await simulator.key(before);
      const classes = TAGS.map((t) => customElements.get(t));

      // A URL the type checker does not follow: the same index.ts, evaluated again.
      const url = '/__copy/second/src/index.ts';
      const second = (await import(/* @vite-ignore */ url)) as typeof first;
      expect(second.QuantSimulator, 'a separate copy of every module').to.not.equal(first.QuantSimulator);
      expect(
        TAGS.map((t) => customElements.get(t)),
        'the first copy’s definitions stay',
      ).to.deep.equal(classes);

      // The element made before still computes; new ones of every tag start like fresh ones.
      await after(before, () => before.setAttribute('bits', '4'));
      expect(before.error).to.equal(null);
      for (const subject of SUBJECTS) {
        const el = create(subject);
        made.push(el);
        expect(el, subject.tag).to.be.instanceOf(customElements.get(subject.tag)!);
        await subject.ready(el);
        expect(el.error, subject.tag).to.equal(null);
      }
      expect(await simulator.key(made[1])).to.deep.equal(key);
      // The second copy's core API runs on its own jax-js and agrees with the first.
      const options = { std: 0.5, seed: 7 };
      expect(Array.from(await second.generateWeights('normal', 16, options))).to.deep.equal(
        Array.from(await first.generateWeights('normal', 16, options)),
      );
      expect(watch.stop(), 'uncaught exceptions').to.deep.equal([]);
    } finally {
      watch.stop();
      for (const el of made) el.remove();
    }
  });

  it('two copies of the built CDN bundle from two URLs: no error, every element computes', async () => {
    const { win, frame } = await openCdnPage(['first', 'second']);
    try {
      expect(win.errors, 'errors on the page').to.deep.equal([]);
      expect(win.copies?.length, 'both copies evaluated').to.equal(2);
      const [a, b] = win.copies!;
      expect(b.define, 'two separate autoloaders').to.not.equal(a.define);
      // Both load the eager elements; whichever file defines a tag first keeps it, the other's
      // file evaluates without throwing (errors stays empty).
      await Promise.all([a.define(), b.define()]);
      const load = (copy: string, tag: string) =>
        (win as unknown as { eval(code: string): Promise<{ default: unknown }> }).eval(
          `import('/__cdn/${copy}/${tag}.js')`,
        );
      for (const tag of TAGS) {
        const [fromA, fromB] = await Promise.all([load('first', tag), load('second', tag)]);
        expect(fromA.default, `${tag}: two separate classes`).to.not.equal(fromB.default);
        expect([fromA.default, fromB.default], `${tag}: defined by one of the copies`).to.include(
          win.customElements.get(tag),
        );
      }
      expect(win.errors, 'errors on the page').to.deep.equal([]);
      expect(
        win.events.filter((e) => e.type === 'quant-error').map((e) => `${e.tag}: ${e.detail?.message}`),
      ).to.deep.equal([]);
      for (const tag of TAGS) {
        const el = win.document.querySelector(tag) as Widget;
        if (tag !== 'quant-arena') expect(el.result, tag).to.not.equal(null);
      }
    } finally {
      frame.remove();
    }
  });
});
