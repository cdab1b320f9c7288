/**
 * Legibility: every text node a widget renders in its shadow root is at least 13 px, numbers at
 * least 12 px (the computed font-size of the node's parent; canvas text is the charts' own concern).
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../src/components/quant-arena/quant-arena.js';
import '../src/components/quant-heatmap/quant-heatmap.js';
import '../src/components/quant-histogram/quant-histogram.js';
import '../src/components/quant-inference/quant-inference.js';
import '../src/components/quant-outliers/quant-outliers.js';
import '../src/components/quant-simulator/quant-simulator.js';
import type { InferenceResult } from '../src/components/quant-inference/quant-inference.component.js';
import { nextEvent } from './helpers/wait.js';

type Widget = HTMLElement & { result: unknown; updateComplete: Promise<boolean> };

/** Digits, signs, units of numbers and separators: no word (a bit pattern, 0.25, −3…4, 12×). */
const NUMERIC = /^[\s\d.,:;+\-−–—×·%()[\]/=|…~≈]*$/u;

/** Every non-blank text node under a root, into open shadow roots too. */
function textNodes(root: Node, out: Text[] = []): Text[] {
  for (let n = root.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === Node.TEXT_NODE) {
      if (n.textContent!.trim()) out.push(n as Text);
    } else if (n.nodeType === Node.ELEMENT_NODE) {
      const el = n as Element;
      if (['style', 'script', 'template'].includes(el.localName)) continue;
      if (el.shadowRoot) textNodes(el.shadowRoot, out);
      textNodes(el, out);
    }
  }
  return out;
}

/** Text nodes below the floor: "12.6px <figcaption> GFLOP/s…". */
export function tooSmall(el: Element): string[] {
  const small: string[] = [];
  for (const t of textNodes(el.shadowRoot!)) {
    const parent = t.parentElement ?? (t.parentNode as ShadowRoot).host;
    const px = parseFloat(getComputedStyle(parent).fontSize);
    const text = t.textContent!.trim();
    // A formula's index (s<sub>a</sub>) is a symbol: it is held to the numbers' floor.
    const index = ['sub', 'sup'].includes(parent.localName) && text.length <= 2;
    const floor = index || NUMERIC.test(text) ? 12 : 13;
    if (px < floor - 0.01) small.push(`${px}px <${parent.localName}> ${text.slice(0, 40)}`);
  }
  return small;
}

async function shown(template: TemplateResult): Promise<Widget> {
  const el = (await fixture<HTMLElement>(html`<div style="width: 900px">${template}</div>`))
    .firstElementChild as Widget;
  if (!el.result) await nextEvent(el, 'quant-result', 90000);
  await el.updateComplete;
  return el;
}

describe('legibility: widget text ≥ 13 px, numbers ≥ 12 px', function () {
  this.timeout(120_000);

  const cases: [string, TemplateResult][] = [
    [
      '<quant-simulator> with every control',
      html`<quant-simulator
        loading="eager"
        controls="bits scheme granularity rounding calibration"
      ></quant-simulator>`,
    ],
    [
      '<quant-simulator> groups',
      html`<quant-simulator
        loading="eager"
        shape="8x16"
        bits="4"
        granularity="group"
        group-size="8"
        controls="bits granularity calibration"
      ></quant-simulator>`,
    ],
    [
      '<quant-simulator format="fp4-e2m1">',
      html`<quant-simulator
        loading="eager"
        shape="4x32"
        format="fp4-e2m1"
        controls="format"
      ></quant-simulator>`,
    ],
    ['<quant-histogram>', html`<quant-histogram loading="eager" bits="3"></quant-histogram>`],
    [
      '<quant-histogram compare="int4 nf4 fp4-e2m1 mxfp4">',
      html`<quant-histogram
        loading="eager"
        shape="32x64"
        granularity="group"
        scheme="symmetric"
        compare="int4 nf4 fp4-e2m1 mxfp4"
      ></quant-histogram>`,
    ],
    ['<quant-heatmap>', html`<quant-heatmap loading="eager" bits="6"></quant-heatmap>`],
    ['<quant-outliers>', html`<quant-outliers loading="eager" tokens="64" channels="64"></quant-outliers>`],
    ['<quant-inference> digits', html`<quant-inference loading="eager" bits="4"></quant-inference>`],
    [
      '<quant-inference model="spirals">',
      html`<quant-inference loading="eager" model="spirals" bits="3"></quant-inference>`,
    ],
    [
      '<quant-arena> after a run',
      html`<quant-arena
        loading="eager"
        autorun
        size="16"
        iterations="1"
        devices="wasm"
        paths="float32 f32-simd i8-simd"
      ></quant-arena>`,
    ],
  ];
  for (const [name, template] of cases) {
    it(name, async () => {
      const el = await shown(template);
      // The disclosures' content counts too: open them.
      for (const d of el.shadowRoot!.querySelectorAll('details')) d.open = true;
      expect(textNodes(el.shadowRoot!).length).to.be.greaterThan(3);
      expect(tooSmall(el)).to.deep.equal([]);
    });
  }
});

describe('<quant-histogram compare>: small multiples by count', function () {
  this.timeout(120_000);
  const tokens = ['2', '3', '4', '6', '8', '16'];
  for (const width of [375, 600, 900, 1200])
    it(`1–6 panels at ${width} px: no lone panel on the last row`, async () => {
      const box = await fixture<HTMLElement>(
        html`<div style="width: ${width}px">
          <quant-histogram loading="eager" shape="16x16"></quant-histogram>
        </div>`,
      );
      const el = box.firstElementChild as Widget;
      // one chart first: every step below changes `compare`, so each brings a result
      if (!el.result) await nextEvent(el, 'quant-result', 60000);
      for (let n = 1; n <= tokens.length; n++) {
        const done = nextEvent(el, 'quant-result', 60000);
        el.setAttribute('compare', tokens.slice(0, n).join(' '));
        await done;
        await el.updateComplete;
        const tops = [...el.shadowRoot!.querySelectorAll('.charts > figure')].map((f) =>
          Math.round(f.getBoundingClientRect().top),
        );
        expect(tops.length).to.equal(n);
        const rows = [...new Set(tops)].map((t) => tops.filter((x) => x === t).length);
        const name = `${n} panels: rows ${rows.join(' + ')}`;
        if (rows.length > 1 && Math.max(...rows) > 1) expect(rows.at(-1), name).to.be.at.least(2);
      }
    });
});

describe('<quant-inference model="spirals">: where float and quantized disagree', function () {
  this.timeout(120_000);
  it('the overlay marks exactly the cells the two models classify differently', async () => {
    const el = await shown(
      html`<quant-inference loading="eager" model="spirals" bits="3"></quant-inference>`,
    );
    const { regions } = el.result as InferenceResult;
    const { cells, float, quant } = regions!;
    let differ = 0;
    for (let i = 0; i < float.length; i++) if (float[i] !== quant[i]) differ++;
    expect(differ, 'a config where they disagree somewhere').to.be.greaterThan(0);
    const over = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[data-differ]')!;
    const px = over.getContext('2d')!.getImageData(0, 0, over.width, over.height).data;
    const step = over.width / cells;
    let marked = 0;
    let wrong = 0;
    for (let i = 0; i < cells * cells; i++) {
      const [x, y] = [(i % cells) * step + step / 2, Math.floor(i / cells) * step + step / 2];
      const on = px[(Math.floor(y) * over.width + Math.floor(x)) * 4 + 3] > 0;
      if (on) marked++;
      if (on !== (float[i] !== quant[i])) wrong++;
    }
    expect([marked, wrong]).to.deep.equal([differ, 0]);
    // the key says how many, and names every class
    const key = el.shadowRoot!.querySelector('.region-key')!.textContent!.replace(/\s+/g, ' ');
    expect(key).to.contain(`${differ} of ${cells * cells} cells`);
    expect(el.shadowRoot!.querySelectorAll('.region-key .swatch[class*="class-"]').length).to.equal(3);
  });
});

describe('<quant-inference>: per-layer sensitivity', function () {
  this.timeout(120_000);
  it('every bar starts at one origin, on an axis zoomed to the values', async () => {
    const el = await shown(html`<quant-inference loading="eager" bits="4"></quant-inference>`);
    const tracks = [...el.shadowRoot!.querySelectorAll('[part="sensitivity"] .track')];
    expect(tracks.length).to.equal(3);
    const lefts = tracks.map((t) => Math.round(t.getBoundingClientRect().left));
    expect(new Set(lefts).size, `track lefts ${lefts.join(', ')}`).to.equal(1);
    const ticks = el.shadowRoot!.querySelector('[part="sensitivity"] .ticks')!.textContent!;
    expect(ticks).to.not.match(/^\s*0(\.0)?%/); // not a 0–100 % axis
    expect(ticks).to.contain('float');
  });
});

describe('a box that scrolls shows that it scrolls', function () {
  this.timeout(60_000);
  it('<quant-simulator> 8×16 in a 375 px column: each matrix that overflows has edge shadows', async () => {
    const column = await fixture<HTMLElement>(
      html`<div style="width: 375px">
        <quant-simulator loading="eager" shape="8x16"></quant-simulator>
      </div>`,
    );
    const el = column.firstElementChild as Widget;
    if (!el.result) await nextEvent(el, 'quant-result', 60000);
    await el.updateComplete;
    const boxes = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="matrices"] figure')].filter(
      (f) => f.scrollWidth > f.clientWidth + 1,
    );
    expect(boxes.length, 'matrices wider than the column').to.be.greaterThan(0);
    for (const box of boxes) {
      const s = getComputedStyle(box);
      expect(s.backgroundImage).to.contain('radial-gradient');
      expect(s.backgroundAttachment.split(', ')).to.include.members(['local', 'scroll']);
      // the cells let the shadow through
      const cell = getComputedStyle(box.querySelector('td')!).backgroundColor;
      expect(cell === 'transparent' || /rgba?\(.*,\s*0?\.\d+\)|\/\s*0?\.\d+\)/.test(cell), cell).to.equal(
        true,
      );
    }
  });
});
