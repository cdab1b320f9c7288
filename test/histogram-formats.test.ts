/**
 * <quant-histogram> with number formats: compare panels per format token, labelled with the
 * results' own SQNR and bits per weight; a format's non-uniform grid on the canvas; bad tokens
 * and formats (SPEC §4); a view that follows the result, not the attributes; a11y; no leaks.
 */
import './helpers/wasm-memory.js';
import { expect, fixture, html } from '@open-wc/testing';
import type uPlot from 'uplot';
import { levelsOf } from '../src/core/formats/tables.js';
import '../src/components/quant-histogram/quant-histogram.js';
import type { HistogramResult, QuantHistogram } from '../src/components/quant-histogram/quant-histogram.js';
import { compareField, medianBlock } from '../src/components/quant-histogram/quant-histogram.model.js';
import type { QuantErrorDetail } from '../src/internal/events.js';
import { formatDb } from '../src/internal/format.js';
import { after, countQuantize, holdQuantize, idle, part } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';
import { wasmHeapBytes } from './helpers/wasm-memory.js';

const root = (el: QuantHistogram) => el.shadowRoot!;
const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

async function ready(template: ReturnType<typeof html>): Promise<QuantHistogram> {
  const el = await fixture<QuantHistogram>(template);
  if (!el.result) await nextEvent(el, 'quant-result', 30000);
  while (!(await el.updateComplete));
  return el;
}

/** The captions of the compare panels: name, and the measured numbers. */
function captions(el: QuantHistogram): { key: string; name: string; sqnr: string; bpw: string }[] {
  return [...root(el).querySelectorAll('figure[data-chart]')].map((f) => ({
    key: f.getAttribute('data-chart')!,
    name: text(f.querySelector('.name strong')!),
    sqnr: text(f.querySelector('.sqnr')!),
    bpw: text(f.querySelector('.bpw')!),
  }));
}

/** What the chart's overlay draws on its canvas: the x of every vertical line, and its texts. */
async function overlay(u: uPlot): Promise<{ xs: Set<number>; texts: string[] }> {
  const xs = new Set<number>();
  const texts: string[] = [];
  const ctx = u.ctx;
  const { moveTo, fillText } = ctx;
  ctx.moveTo = (x: number, y: number) => (xs.add(x), moveTo.call(ctx, x, y));
  ctx.fillText = (t: string, x: number, y: number) => (texts.push(t), fillText.call(ctx, t, x, y));
  try {
    u.redraw(false, false);
    await frames();
  } finally {
    delete (ctx as Partial<CanvasRenderingContext2D>).moveTo;
    delete (ctx as Partial<CanvasRenderingContext2D>).fillText;
  }
  return { xs, texts };
}

describe('<quant-histogram> formats', () => {
  it('compare="int4 nf4 fp4-e2m1 mxfp4": one labelled panel per token, numbers from the results', async function () {
    this.timeout(30000);
    const el = await ready(
      html`<quant-histogram
        loading="eager"
        shape="256x1024"
        granularity="group"
        group-size="64"
        compare="int4 nf4 fp4-e2m1 mxfp4"
      ></quant-histogram>`,
    );
    const r = el.result!;
    expect(r.compare.map((c) => c.config.format)).to.deep.equal(['int', 'nf4', 'fp4-e2m1', 'mxfp4']);
    expect(r.compare[0].config.bits).to.equal(4);
    // Every panel at the element's blocks (groups of 64), except MX: blocks of 32.
    expect(r.compare.map((c) => c.scale.length)).to.deep.equal([4096, 4096, 4096, 8192]);
    const shown = captions(el);
    expect(shown.map((c) => [c.key, c.name])).to.deep.equal([
      ['int4', 'int4'],
      ['nf4', 'NF4'],
      ['fp4-e2m1', 'FP4 E2M1'],
      ['mxfp4', 'MXFP4'],
    ]);
    for (const [i, c] of r.compare.entries()) {
      expect(shown[i].sqnr).to.equal(formatDb(c.stats.sqnrDb));
      expect(shown[i].bpw).to.equal(c.stats.bitsPerWeight.toFixed(2));
    }
    expect(root(el).querySelectorAll('.uplot').length).to.equal(4);
    expect([...el.charts.keys()]).to.deep.equal(['int4', 'nf4', 'fp4-e2m1', 'mxfp4']);
    // The numbers, at equal blocks of 64: affine int4 ≈ 20.8 dB, NF4 ≈ 20.7 dB…
    const db = r.compare.map((c) => c.stats.sqnrDb);
    expect(db[0]).to.be.closeTo(20.8, 0.1);
    expect(db[1]).to.be.closeTo(20.7, 0.1);
    expect(r.compare.map((c) => c.stats.bitsPerWeight)).to.deep.equal([4.5625, 4.5, 4.5, 4.25]);
    // …and the page claims nothing the numbers do not show.
    expect(text(root(el) as unknown as Element)).to.not.match(/\b(best|beats?|better|wins?|worse)\b/i);
    // …symmetric int4 ≈ 19.4 dB on the same weights.
    await after(el, () => (el.scheme = 'symmetric'));
    expect(el.result!.compare[0].stats.sqnrDb).to.be.closeTo(19.4, 0.1);
    expect(text(root(el).querySelector('figure[data-chart=int4] .name')!)).to.equal(
      'int4 symmetric, groups of 64',
    );
  });

  it('mixes widths and names ("4 nf4 mxfp8"); a token equal to the config reuses its result', async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" shape="32x64" format="nf4"></quant-histogram>`,
    );
    const count = countQuantize(el);
    await after(el, () => el.setAttribute('compare', '4 nf4 mxfp8'));
    expect(el.compare).to.deep.equal([4, 'nf4', 'mxfp8']);
    const r = el.result!;
    expect(count.count).to.equal(3); // the config (nf4), int4 and mxfp8: nf4 is the config's own
    expect(r.compare[1].codes).to.equal(r.codes);
    expect(r.compare.map((c) => [c.config.format, c.config.scheme])).to.deep.equal([
      ['int', 'affine'],
      ['nf4', 'affine'],
      ['mxfp8', 'affine'],
    ]);
    expect(captions(el).map((c) => c.name)).to.deep.equal(['int4', 'NF4', 'MXFP8']);
    // bins are view-only: no quantization.
    const before = el.result;
    el.bins = 16;
    expect(await idle(el)).to.equal(true);
    expect(count.count).to.equal(3);
    expect(el.result).to.equal(before);
    expect(el.charts.get('mxfp8')!.data[0].length).to.equal(16);
  });

  for (const format of ['nf4', 'fp4-e2m1', 'mxfp4', 'fp8-e4m3'] as const) {
    it(`format="${format}": draws levelsOf(format) · the median block's scale on the canvas`, async () => {
      const el = await ready(
        html`<quant-histogram
          loading="eager"
          shape="64x128"
          format=${format}
          granularity="group"
          group-size="64"
        ></quant-histogram>`,
      );
      const r = el.result!;
      const p = el.histogram!.panels[0];
      const b = medianBlock(r.scale);
      expect(p.block).to.equal(b);
      expect([...p.levels]).to.deep.equal(Array.from(levelsOf(format), (v) => Math.fround(v * r.scale[b])));
      expect([...r.levels!]).to.deep.equal([...levelsOf(format)]);
      expect(p.clipRange[1]).to.equal(Math.max(...Array.from(r.scale, (s) => Math.fround(r.qmax * s))));
      const u = el.charts.get('main')!;
      const { xs, texts } = await overlay(u);
      const at = (v: number) => Math.round(u.valToPos(v, 'x', true)) + 0.5;
      if (format === 'fp8-e4m3') {
        // 253 levels: a rug of every k-th, densest near 0.
        const drawn = [...p.levels].filter((v) => xs.has(at(v)));
        expect(drawn.length).to.be.within(40, 253);
        const near = drawn.filter((v) => Math.abs(v) < p.clipRange[1] / 8).length;
        expect(near).to.be.greaterThan(drawn.length / 4);
      } else for (const v of p.levels) expect(xs.has(at(v)), `level ${v}`).to.equal(true);
      // No zero-point outside int.
      expect(texts.filter((t) => t.startsWith('z='))).to.deep.equal([]);
      expect(text(part(el, 'summary')!)).to.contain(`grid of block ${b + 1} of ${r.scale.length}`);
      expect(text(part(el, 'summary')!)).to.not.contain('zero-point');
    });
  }

  it('int keeps its zero-point label; fp16 draws no clip line far outside the view', async () => {
    const el = await ready(html`<quant-histogram loading="eager" shape="32x32" bits="3"></quant-histogram>`);
    const { texts } = await overlay(el.charts.get('main')!);
    expect(texts.filter((t) => t.startsWith('z='))).to.deep.equal([`z=${el.result!.zeroPoint[0]}`]);
    await after(el, () => (el.format = 'fp16'));
    const u = el.charts.get('main')!;
    const { xs } = await overlay(u);
    for (const x of xs) expect(x).to.be.within(u.bbox.left - 1, u.bbox.left + u.bbox.width + 1);
    const v = el.histogram!;
    expect(v.panels[0].clipRange).to.deep.equal([-65504, 65504]);
    expect(v.range[1]).to.be.lessThan(10);
    expect(text(part(el, 'summary')!)).to.contain('In FP16 (no scale)');
  });

  it('views follow the result: a format change shows the old labels until its result lands', async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" shape="16x64" format="nf4"></quant-histogram>`,
    );
    const done = nextEvent<HistogramResult>(el, 'quant-result');
    const held = holdQuantize(el);
    el.format = 'mxfp4';
    await el.updateComplete;
    expect(held.calls).to.equal(1);
    expect(root(el).querySelector<HTMLSelectElement>('[part=controls] select')!.value).to.equal('mxfp4');
    expect(text(part(el, 'summary')!)).to.contain('In NF4');
    expect(root(el).querySelector('tbody th')!.textContent).to.equal('NF4');
    held.release();
    await done;
    expect(text(part(el, 'summary')!)).to.contain('In MXFP4 (blocks of 32, power-of-two scales)');
    expect(root(el).querySelector('tbody th')!.textContent).to.equal('MXFP4');
  });

  it('the format select emits quant-change with the format and hides bits for non-int', async () => {
    const el = await ready(html`<quant-histogram loading="eager" shape="16x16"></quant-histogram>`);
    const select = root(el).querySelector<HTMLSelectElement>('[part=controls] select')!;
    const change = nextEvent<{ format: string }>(el, 'quant-change');
    const next = nextEvent(el, 'quant-result');
    select.value = 'nf4';
    select.dispatchEvent(new Event('change'));
    expect((await change).detail.format).to.equal('nf4');
    await next;
    expect(el.result!.config.format).to.equal('nf4');
    expect(root(el).querySelector('[part=controls] input[type=range]')).to.equal(null);
    expect(root(el).querySelectorAll('[part=controls] select').length).to.equal(1); // calibration is int-only
  });

  const bad: [string, string, string][] = [
    ['compare', 'nf5', compareField.allowed],
    ['compare', 'int1 nf4', compareField.allowed],
    ['compare', 'int4 4', compareField.allowed],
    ['compare', 'NF4', compareField.allowed],
    ['compare', '<img src=x onerror="window.__pwned=1">', compareField.allowed],
    ['format', 'fp5', 'int, fp16, bf16, fp8-e4m3, fp8-e5m2, fp4-e2m1, nf4, mxfp4, mxfp8, mxint8'],
  ];
  for (const [attribute, value, allowed] of bad) {
    it(`${attribute}="${value}": a named message, the last valid value kept, recovery`, async () => {
      const el = await ready(
        html`<quant-histogram loading="eager" shape="16x64" compare="int4 nf4"></quant-histogram>`,
      );
      const before = el.result;
      const count = countQuantize(el);
      const error = nextEvent<QuantErrorDetail>(el, 'quant-error');
      el.setAttribute(attribute, value);
      const { detail } = await error;
      expect(detail.code).to.equal('invalid-attribute');
      expect(detail.attribute).to.equal(attribute);
      expect(await idle(el)).to.equal(true);
      const shown = part(el, 'error')!;
      expect(shown.getAttribute('role')).to.equal('alert');
      expect(shown.textContent).to.contain(`${attribute}="${value}"`).and.contain(allowed);
      expect(root(el).querySelector('img')).to.equal(null); // text, never HTML
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
      expect(el.result).to.equal(before);
      expect(count.count).to.equal(0);
      expect(el.compare).to.deep.equal(['int4', 'nf4']);
      expect(el.format).to.equal('int');
      // Recovers as soon as the attribute is valid again.
      await after(el, () => el.setAttribute(attribute, attribute === 'format' ? 'mxint8' : 'mxfp4 8'));
      expect(part(el, 'error')).to.equal(null);
      expect(el.error).to.equal(null);
      if (attribute === 'format') expect(el.result!.config.format).to.equal('mxint8');
      else expect(captions(el).map((c) => c.name)).to.deep.equal(['MXFP4', 'int8']);
    });
  }

  it('is accessible with format panels and a format chart', async () => {
    const cmp = await ready(
      html`<quant-histogram
        loading="eager"
        shape="32x64"
        compare="int4 nf4 fp4-e2m1 mxfp4"
      ></quant-histogram>`,
    );
    await expect(cmp).to.be.accessible();
    for (const f of root(cmp).querySelectorAll('[part=chart]'))
      expect(f.getAttribute('aria-label')).to.match(/SQNR .* dB; \d+\.\d\d bits per weight/);
    const one = await ready(
      html`<quant-histogram loading="eager" shape="32x64" format="nf4"></quant-histogram>`,
    );
    await expect(one).to.be.accessible();
  });

  it('does not leak: 120 format and compare changes leave the wasm heap where it was', async function () {
    this.timeout(120000);
    const el = await ready(html`<quant-histogram loading="eager" shape="32x64"></quant-histogram>`);
    const steps: [string, string][] = [
      ['compare', 'int4 nf4 fp4-e2m1 mxfp4'],
      ['format', 'nf4'],
      ['compare', '2 fp8-e4m3 mxint8'],
      ['granularity', 'group'],
      ['compare', ''],
      ['format', 'fp8-e5m2'],
      ['format', 'int'],
      ['granularity', 'tensor'],
    ];
    const run = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const [attribute, value] = steps[i % steps.length];
        await after(el, () => el.setAttribute(attribute, value));
      }
    };
    await run(24);
    const before = wasmHeapBytes();
    expect(before).to.be.greaterThan(0);
    await run(120);
    expect(wasmHeapBytes()).to.equal(before);
  });
});
