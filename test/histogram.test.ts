/**
 * <quant-histogram>: binning on jax-js against a plain loop, the element's
 * result and charts, view-only bins vs compare, attributes, bad values,
 * resize, reconnect and a11y.
 */
import './helpers/wasm-memory.js';
import { expect, fixture, html } from '@open-wc/testing';
import type uPlot from 'uplot';
import { jvp, numpy as np, type Array as JaxArray } from '@jax-js/jax';
import { availableDevices, generateWeights, histogramCounts, referenceHistogram } from '../src/core/index.js';
import '../src/components/quant-histogram/quant-histogram.js';
import type {
  HistogramResult,
  HistogramView,
  QuantHistogram,
} from '../src/components/quant-histogram/quant-histogram.js';
import type { QuantErrorDetail } from '../src/internal/events.js';
import { formatDb } from '../src/internal/format.js';
import { after, axNames, countQuantize, holdQuantize, idle, part } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';
import { a11ySnapshot } from '@web/test-runner-commands';
import { wasmHeapBytes } from './helpers/wasm-memory.js';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
const root = (el: QuantHistogram) => el.shadowRoot!;
const text = (el: QuantHistogram, name: string) => part(el, name)!.textContent!.replace(/\s+/g, ' ');
/** A labelled select of the controls (`format`, `calibration`). */
const select = (el: QuantHistogram, label: string) =>
  [...root(el).querySelectorAll<HTMLLabelElement>('[part=controls] label.control')]
    .find((l) => l.querySelector('span')!.textContent === label)!
    .querySelector('select')!;
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

async function ready(template: ReturnType<typeof html>): Promise<QuantHistogram> {
  const el = await fixture<QuantHistogram>(template);
  if (!el.result) await nextEvent(el, 'quant-ready');
  return el;
}

/** The binned view on screen. */
const view = (el: QuantHistogram): HistogramView<HistogramResult> => el.histogram!;

/** Counts the element's quantizations and quant-result events from now on. */
function watch(el: QuantHistogram): { readonly quantized: number; results: HistogramResult[] } {
  const counter = countQuantize(el);
  const results: HistogramResult[] = [];
  el.addEventListener('quant-result', (e) => results.push(e.detail));
  return {
    get quantized() {
      return counter.count;
    },
    results,
  };
}

/** What `watch` saw, as a plain object. */
const saw = (w: ReturnType<typeof watch>) => ({ quantized: w.quantized, results: w.results.length });

describe('histogramCounts (jax-js)', () => {
  it('matches a plain JS loop', async () => {
    for (const [n, bins] of [
      [16384, 64],
      [1000, 7],
      [300000, 512],
    ] as const) {
      const values = await generateWeights('laplace', n, { std: 0.5, seed: 3 });
      const got = await histogramCounts(values, -1.7, 1.9, bins, 'wasm');
      expect([...got], `${n} values, ${bins} bins`).to.deep.equal([
        ...referenceHistogram(values, -1.7, 1.9, bins),
      ]);
      expect(sum(got)).to.equal(n);
    }
  });

  it('counts values outside the range in the end bins', async () => {
    const got = await histogramCounts(Float32Array.of(-5, -1, 0, 0.5, 0.99, 1, 7), -1, 1, 4, 'wasm');
    expect([...got]).to.deep.equal([2, 0, 1, 4]);
  });

  it('every counting method agrees with the loop, on every device here', async function () {
    this.timeout(60000);
    const { histogramCountsBy } = await import('../src/core/histogram.js');
    const devices = await availableDevices();
    expect(devices).to.include('wasm');
    for (const device of devices) {
      // Software GPUs here (SwiftShader) are slow: fewer values off wasm.
      const n = device === 'wasm' ? 200000 : 5000;
      const values = await generateWeights('normal', n, { std: 0.5, seed: 9 });
      const expected = [...referenceHistogram(values, -1.5, 1.5, 48)];
      const methods =
        device === 'wasm'
          ? (['auto', 'scatter', 'compare', 'search'] as const)
          : (['auto', 'compare'] as const);
      for (const method of methods) {
        const got = await histogramCountsBy(method, values, -1.5, 1.5, 48, device);
        expect([...got], `${method} on ${device}`).to.deep.equal(expected);
      }
    }
  });

  it('rejects bad bins and ranges with a QuantError', async () => {
    for (const [lo, hi, bins] of [
      [0, 1, 0],
      [0, 1, 2.5],
      [0, Infinity, 8],
      [NaN, 1, 8],
    ]) {
      let error: unknown = null;
      await histogramCounts(Float32Array.of(1, 2), lo, hi, bins).catch((e: unknown) => (error = e));
      expect((error as { code?: string } | null)?.code, `${lo} ${hi} ${bins}`).to.equal('invalid-config');
    }
    expect([...(await histogramCounts(new Float32Array(0), 0, 1, 3))]).to.deep.equal([0, 0, 0]);
  });

  it('does not grow the wasm heap over repeated calls', async () => {
    const values = await generateWeights('normal', 1 << 20, { std: 0.5, seed: 2 });
    for (let i = 0; i < 3; i++) await histogramCounts(values, -3, 3, 64, 'wasm');
    const before = wasmHeapBytes();
    expect(before).to.be.greaterThan(0);
    for (let i = 0; i < 15; i++) await histogramCounts(values, -3, 3, 64, 'wasm');
    expect(wasmHeapBytes()).to.equal(before);
  });

  it("leaves jax-js's trace stack as it found it (0.1.25's grad leaves one entry per call, for good)", async () => {
    // The level of a new trace is the stack's depth: jvp pushes and pops one properly.
    const depth = () => {
      let level = -1;
      const [p, t] = jvp(
        (x: JaxArray) => (
          (level = (x as unknown as { _trace: { main: { level: number } } })._trace.main.level),
          x
        ),
        [np.zeros([1])],
        [np.ones([1])],
      );
      p.dispose();
      t.dispose();
      return level;
    };
    const values = await generateWeights('normal', 1 << 14, { std: 0.5, seed: 3 });
    await histogramCounts(values, -2, 2, 64, 'wasm');
    const before = depth();
    for (let i = 0; i < 20; i++) await histogramCounts(values, -2, 2, 64, 'wasm');
    expect(depth() - before).to.equal(0);
  });
});

describe('<quant-histogram>', () => {
  it('defaults: 128×128 weights in 64 bins, one chart, controls; the result holds no bins', async () => {
    const el = await ready(html`<quant-histogram loading="eager"></quant-histogram>`);
    const r = el.result!;
    expect(r.shape).to.deep.equal([128, 128]);
    expect(r.config.bits).to.equal(8);
    expect(r.compare).to.deep.equal([]);
    for (const key of ['bins', 'counts', 'edges', 'range', 'levels', 'dequantizedCounts', 'clipRange'])
      expect(r, key).to.not.have.property(key);
    const v = view(el);
    expect(v.result).to.equal(r);
    expect(v.bins).to.equal(64);
    expect(v.counts.length).to.equal(64);
    expect(v.edges.length).to.equal(65);
    expect(sum(v.counts)).to.equal(16384);
    expect([...v.counts]).to.deep.equal([...referenceHistogram(el.data!.values, v.range[0], v.range[1], 64)]);
    expect(v.panels.map((p) => p.key)).to.deep.equal(['main']);
    expect([...v.panels[0].counts]).to.deep.equal([
      ...referenceHistogram(r.dequantized, v.range[0], v.range[1], 64),
    ]);
    expect(root(el).querySelectorAll('.uplot').length).to.equal(1);
    const chart = root(el).querySelector('[part=chart]')!;
    expect(chart.getAttribute('role')).to.equal('img');
    expect(chart.getAttribute('aria-label'))
      .to.match(/16,384 weights in 64 bins/)
      .and.match(/SQNR \d+\.\d dB/)
      .and.match(/clipped/);
    const controls = root(el).querySelector('[part=controls]')!;
    expect(controls.querySelector('input[type=range]')).to.exist;
    expect(controls.querySelector('select')).to.exist;
    expect(text(el, 'summary')).to.match(/0 weights clipped/);
  });

  it('quant-result fires once the charts show the new result', async () => {
    const el = await ready(html`<quant-histogram loading="eager" shape="32x32"></quant-histogram>`);
    const seen = nextEvent<HistogramResult>(el, 'quant-result');
    let onScreen: unknown[] = [];
    el.addEventListener('quant-result', (e) => {
      const v = view(el);
      const u = el.charts.get('main')!;
      onScreen = [v.result === e.detail, u.data[2].length, sum(u.data[2] as number[]), text(el, 'summary')];
    });
    el.bits = 4;
    await seen;
    expect(onScreen.slice(0, 3)).to.deep.equal([true, 64, 1024]);
    expect(onScreen[3]).to.contain('At 4 bits');
    expect(root(el).querySelector('[part=base]')!.getAttribute('aria-busy')).to.equal('false');
  });

  it('bins attribute and property re-bin the same result, with no quantization', async () => {
    const el = await ready(html`<quant-histogram loading="eager" bins="16"></quant-histogram>`);
    expect(view(el).counts.length).to.equal(16);
    expect(sum(view(el).counts)).to.equal(16384);
    const before = el.result;
    const seen = watch(el);
    el.bins = 512;
    expect(await idle(el)).to.equal(true);
    expect(el.getAttribute('bins')).to.equal('512');
    const v = view(el);
    expect(v.bins).to.equal(512);
    expect(v.counts.length).to.equal(512);
    expect(sum(v.panels[0].counts)).to.equal(16384);
    expect(el.charts.get('main')!.data[0].length).to.equal(512);
    expect(v.result).to.equal(before);
    expect(el.result).to.equal(before);
    expect(saw(seen)).to.deep.equal({ quantized: 0, results: 0 });
  });

  it('a bins change with compare="2 4 8" runs no quantization; a compare change does', async () => {
    const el = await ready(html`<quant-histogram loading="eager" compare="2 4 8"></quant-histogram>`);
    const before = el.result!;
    const seen = watch(el);
    el.bins = 32;
    expect(await idle(el)).to.equal(true);
    expect(saw(seen)).to.deep.equal({ quantized: 0, results: 0 });
    expect(el.result).to.equal(before);
    const v = view(el);
    expect(v.result).to.equal(before);
    expect(v.panels.map((p) => p.key)).to.deep.equal(['int2', 'int4', 'int8']);
    for (const [i, p] of v.panels.entries()) {
      expect([...p.counts], p.key).to.deep.equal([
        ...referenceHistogram(before.compare[i].dequantized, v.range[0], v.range[1], 32),
      ]);
      expect(el.charts.get(p.key)!.data[0].length).to.equal(32);
    }
    // compare is what is quantized: the config (8 bits, the main result) and the 2- and 16-bit panels.
    await after(el, () => (el.compare = [2, 16]));
    expect(el.getAttribute('compare')).to.equal('2 16');
    expect(seen.quantized).to.equal(3);
    expect(seen.results).to.deep.equal([el.result]);
    expect(el.result!.compare.map((c) => c.config.bits)).to.deep.equal([2, 16]);
  });

  it("draws levels at the core's dequantized codes", async () => {
    const el = await ready(html`<quant-histogram loading="eager" bits="3" shape="32x32"></quant-histogram>`);
    const r = el.result!;
    const p = view(el).panels[0];
    expect(p.levels.length).to.equal(8);
    for (let q = r.qmin; q <= r.qmax; q++)
      expect(p.levels[q - r.qmin]).to.equal(Math.fround(r.scale[0] * (q - r.zeroPoint[0])));
    for (let i = 0; i < r.codes.length; i++) expect(r.dequantized[i]).to.equal(p.levels[r.codes[i] - r.qmin]);
    expect(p.levels[r.zeroPoint[0] - r.qmin]).to.equal(0);
    // The dequantized histogram collapses onto the bins holding the codes present.
    const used = new Set(r.codes).size;
    expect([...p.counts].filter((c) => c > 0).length).to.be.at.most(used);
    expect(p.clipRange).to.deep.equal([p.levels[0], p.levels[p.levels.length - 1]]);
  });

  it('compare draws one chart per width, labelled with its SQNR, sharing the x range', async () => {
    const el = await ready(html`<quant-histogram loading="eager" compare="2 4 8 16"></quant-histogram>`);
    await frames();
    const r = el.result!;
    const v = view(el);
    expect(r.compare.map((c) => c.config.bits)).to.deep.equal([2, 4, 8, 16]);
    for (const c of r.compare) expect({ ...c.config, bits: 8 }).to.deep.equal(r.config);
    const figures = [...root(el).querySelectorAll('figure[data-chart]')];
    expect(figures.length).to.equal(4);
    expect(root(el).querySelectorAll('.uplot').length).to.equal(4);
    expect(root(el).querySelector('[part=controls] input[type=range]')).to.equal(null);
    for (const [i, p] of v.panels.entries()) {
      expect(p.bits).to.equal(r.compare[i].config.bits);
      expect(p.sqnrDb).to.equal(r.compare[i].stats.sqnrDb);
      expect(figures[i].querySelector('figcaption strong')!.textContent).to.equal(`int${p.bits}`);
      expect(figures[i].textContent).to.contain(formatDb(p.sqnrDb));
      expect(sum(p.counts)).to.equal(16384);
      expect(figures[i].querySelector('[part=chart]')!.getAttribute('aria-label')).to.contain(
        `SQNR ${formatDb(p.sqnrDb)}`,
      );
    }
    const sqnr = v.panels.map((p) => p.sqnrDb);
    expect(sqnr).to.deep.equal([...sqnr].sort((a, b) => a - b));
    expect(sqnr[3] - sqnr[0]).to.be.greaterThan(60);
    const xs = [...el.charts.values()].map((u) => [u.scales.x.min, u.scales.x.max]);
    for (const x of xs) expect(x).to.deep.equal(xs[0]);
    expect(xs[0]).to.deep.equal(v.range);
    // Each panel equals a plain run at its width.
    const plain = await ready(html`<quant-histogram loading="eager"></quant-histogram>`);
    for (const [i, bits] of [2, 4, 8, 16].entries()) {
      if (plain.bits !== bits) await after(plain, () => (plain.bits = bits));
      const c = r.compare[i];
      expect([...c.codes], `${bits} bits`).to.deep.equal([...plain.result!.codes]);
      expect([...c.scale]).to.deep.equal([...plain.result!.scale]);
      expect(c.stats).to.deep.equal(plain.result!.stats);
      expect(v.panels[i].levels.length).to.equal(2 ** bits);
    }
    // Back to one chart.
    await after(el, () => (el.compare = []));
    expect(el.hasAttribute('compare')).to.equal(false); // [] removes the attribute
    expect(el.result!.compare).to.deep.equal([]);
    expect(root(el).querySelectorAll('.uplot').length).to.equal(1);
    expect([...el.charts.keys()]).to.deep.equal(['main']);
    await after(el, () => el.setAttribute('compare', '4'));
    await after(el, () => el.removeAttribute('compare'));
    expect([...el.charts.keys()]).to.deep.equal(['main']);
  });

  it("shows the result's config, not the live attributes, until the new result lands", async () => {
    const el = await ready(html`<quant-histogram loading="eager" shape="32x32"></quant-histogram>`);
    const label = () => root(el).querySelector('[part=chart]')!.getAttribute('aria-label')!;
    const done = nextEvent(el, 'quant-result');
    const held = holdQuantize(el);
    el.bits = 3;
    el.calibration = 'mse';
    await el.updateComplete;
    expect(held.calls).to.equal(1);
    // The controls show the config in force…
    expect(root(el).querySelector('[part=controls] output')!.textContent).to.equal('3');
    expect(select(el, 'calibration').value).to.equal('mse');
    // …the view the result it draws.
    expect(el.result!.config.bits).to.equal(8);
    expect(text(el, 'summary')).to.contain('At 8 bits');
    expect(label()).to.contain('int8 (affine, per tensor) with 256 levels');
    expect(root(el).querySelector('tbody th')!.textContent).to.equal('int8');
    held.release();
    await done;
    expect(text(el, 'summary')).to.contain('At 3 bits');
    expect(label()).to.contain('int3 (affine, per tensor) with 8 levels');
    expect(root(el).querySelector('tbody th')!.textContent).to.equal('int3');
    // compare: the calibration named is the result's.
    const seen = nextEvent(el, 'quant-result');
    el.compare = [2, 4];
    await seen;
    expect(text(el, 'summary')).to.contain('use mse calibration');
    const next = nextEvent(el, 'quant-result');
    const hold = holdQuantize(el);
    el.calibration = 'percentile';
    await el.updateComplete;
    expect(hold.calls).to.equal(1);
    expect(text(el, 'summary')).to.contain('use mse calibration');
    hold.release();
    await next;
    expect(text(el, 'summary')).to.contain('use percentile calibration');
  });

  const badValues: [string, string, string][] = [
    ['bins', '3', 'an integer from 8 to 512'],
    ['bins', '513', 'an integer from 8 to 512'],
    ['bins', 'abc', 'an integer from 8 to 512'],
    ['bins', '16.5', 'an integer from 8 to 512'],
    ['bins', '', 'an integer from 8 to 512'],
    ['compare', '2 99', 'distinct bit widths from 2 to 16'],
    ['compare', '1', 'distinct bit widths from 2 to 16'],
    ['compare', '4 4', 'distinct bit widths from 2 to 16'],
    ['compare', 'four', 'distinct bit widths from 2 to 16'],
    ['compare', '2.5 4', 'distinct bit widths from 2 to 16'],
  ];
  for (const [attribute, bad, allowed] of badValues) {
    it(`${attribute}="${bad}" shows an error, computes nothing, keeps working and recovers`, async () => {
      const el = await ready(html`<quant-histogram loading="eager" shape="16x16"></quant-histogram>`);
      const [before, drawn] = [el.result, el.histogram];
      const seen = watch(el);
      const error = nextEvent<QuantErrorDetail>(el, 'quant-error');
      el.setAttribute(attribute, bad);
      const { detail } = await error;
      expect(detail.code).to.equal('invalid-attribute');
      expect(detail.attribute).to.equal(attribute);
      expect(await idle(el), 'a bad value started work').to.equal(true);
      const shown = part(el, 'error')!;
      expect(shown.getAttribute('role')).to.equal('alert');
      expect(shown.textContent).to.contain(`${attribute}="${bad}"`).and.contain(allowed);
      expect(el.error!.attribute).to.equal(attribute);
      expect(el.result).to.equal(before);
      expect(el.histogram).to.equal(drawn);
      expect(saw(seen)).to.deep.equal({ quantized: 0, results: 0 });
      expect(view(el).counts.length).to.equal(64);
      expect(root(el).querySelectorAll('.uplot').length).to.equal(1);
      // Still working: a config change recomputes with the last valid value.
      await after(el, () => (el.bits = 5));
      expect(view(el).counts.length).to.equal(64);
      expect(el.result!.compare).to.deep.equal([]);
      if (attribute === 'bins') {
        el.setAttribute('bins', '32');
        expect(await idle(el)).to.equal(true);
        expect(view(el).counts.length).to.equal(32);
      } else {
        await after(el, () => el.setAttribute('compare', '2 4'));
        expect(view(el).panels.map((p) => p.bits)).to.deep.equal([2, 4]);
      }
      expect(part(el, 'error')).to.equal(null);
      expect(el.error).to.equal(null);
    });
  }

  it('resizes the chart with its box, calling setSize only when the integer width changes', async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" shape="16x16" style="width: 600px"></quant-histogram>`,
    );
    const u = el.charts.get('main')!;
    const before = u.width;
    let calls = 0;
    const setSize = u.setSize.bind(u);
    u.setSize = (size) => {
      calls++;
      setSize(size);
    };
    // Our own observer on the chart's box is notified in the same step as the controller's.
    const box = root(el).querySelector('[part=chart]')!;
    const resized = () =>
      new Promise<void>((resolve) => {
        let first = true;
        const ro = new ResizeObserver(() => {
          if (first) return void (first = false); // the initial notification
          ro.disconnect();
          resolve();
        });
        ro.observe(box);
      });
    let seen = resized();
    await frames();
    el.style.width = '600.4px';
    await seen;
    await frames();
    expect(calls, 'setSize with the same integer width').to.equal(0);
    seen = resized();
    await frames();
    el.style.width = '400px';
    await seen;
    await frames();
    expect(calls).to.equal(1);
    expect(u.width).to.be.lessThan(before);
    expect(root(el).querySelector('.uplot canvas')!.getBoundingClientRect().width).to.be.at.most(400);
    expect(el.charts.get('main')).to.equal(u);
  });

  it('destroys its charts on disconnect and rebuilds them on reconnect', async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" shape="16x16" compare="4 8"></quant-histogram>`,
    );
    expect(root(el).querySelectorAll('.uplot').length).to.equal(2);
    const old = el.charts.get('int4')!;
    // The charts' scales read the drawn view from a holder emptied while disconnected.
    const scales = () => [...el.charts.values()].map((u) => [u.scales.x.min, u.scales.x.max]);
    const parent = el.parentElement!;
    el.remove();
    expect(root(el).querySelectorAll('.uplot').length).to.equal(0);
    expect(el.charts.size).to.equal(0);
    const again = nextEvent(el, 'quant-ready');
    parent.append(el);
    await again;
    expect(root(el).querySelectorAll('.uplot').length).to.equal(2);
    expect(el.charts.get('int4')).to.not.equal(old);
    expect(scales(), 'the rebuilt charts’ x scales').to.deep.equal([view(el).range, view(el).range]);
  });

  it('shows why calibration matters on outliers', async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" distribution="outliers" bits="4"></quant-histogram>`,
    );
    const minmax = view(el).panels[0];
    expect(minmax.clippedFraction).to.equal(0);
    const calibration = select(el, 'calibration');
    const change = nextEvent<{ calibration: string }>(el, 'quant-change');
    const next = nextEvent(el, 'quant-result');
    calibration.value = 'percentile';
    calibration.dispatchEvent(new Event('change'));
    expect((await change).detail.calibration).to.equal('percentile');
    await next;
    const percentile = view(el).panels[0];
    expect(el.calibration).to.equal('percentile');
    expect(el.result!.config.calibration).to.equal('percentile');
    expect(percentile.clippedFraction).to.equal(el.result!.stats.clippedFraction);
    expect(percentile.clippedFraction).to.be.greaterThan(0);
    expect(percentile.clippedCount).to.equal(Math.round(percentile.clippedFraction * 16384));
    expect(percentile.clipRange[1] - percentile.clipRange[0]).to.be.lessThan(
      minmax.clipRange[1] - minmax.clipRange[0],
    );
    expect(text(el, 'summary')).to.contain(`${percentile.clippedCount.toLocaleString()} weights clipped`);
    await after(el, () => (el.calibration = 'mse'));
    expect(view(el).panels[0].clipRange[1]).to.be.lessThan(minmax.clipRange[1]);
  });

  it('bits slider emits quant-input while dragging and quant-change on commit', async () => {
    const el = await ready(html`<quant-histogram loading="eager" shape="16x16"></quant-histogram>`);
    const slider = root(el).querySelector('[part=controls] input[type=range]') as HTMLInputElement;
    const input = nextEvent<{ bits: number }>(el, 'quant-input');
    slider.value = '2';
    slider.dispatchEvent(new Event('input'));
    expect((await input).detail.bits).to.equal(2);
    const change = nextEvent<{ bits: number }>(el, 'quant-change');
    const next = nextEvent(el, 'quant-result');
    slider.dispatchEvent(new Event('change'));
    expect((await change).detail.bits).to.equal(2);
    await next;
    expect(el.result!.config.bits).to.equal(2);
    expect(view(el).panels[0].levels.length).to.equal(4);
  });

  it('follows its group and takes weights from src', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <quant-histogram loading="eager" group="g" shape="16x16"></quant-histogram>
        <quant-histogram
          loading="eager"
          group="g"
          src="data:application/json,[[0.5,-1,2,0.25],[1.5,-0.5,0,3]]"
        ></quant-histogram>
      </div>`,
    );
    const [a, b] = [...wrapper.querySelectorAll('quant-histogram')];
    await Promise.all([a, b].map((el) => (el.result ? null : nextEvent(el, 'quant-ready'))));
    expect(b.result!.shape).to.deep.equal([2, 4]);
    expect(sum(view(b).counts)).to.equal(8);
    // The data range, widened to the clip range (the zero-point rounds its grid a little past -1).
    expect(view(b).range[0]).to.be.within(-1.01, -1);
    expect(view(b).range[1]).to.be.within(3, 3.01);
    const followed = nextEvent(b, 'quant-result');
    const calibration = select(a, 'calibration');
    calibration.value = 'mse';
    calibration.dispatchEvent(new Event('change'));
    await followed;
    expect(b.calibration).to.equal('mse');
    expect(b.result!.config.calibration).to.equal('mse');
    wrapper.remove();
  });

  it("per-channel: draws the median-scale block's grid and the widest clip range", async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" granularity="channel" bits="4" shape="8x64"></quant-histogram>`,
    );
    const r = el.result!;
    const p = view(el).panels[0];
    expect(r.scale.length).to.equal(8);
    expect(p.levels.length).to.equal(16);
    const b = [...r.scale].indexOf([...r.scale].sort((x, y) => x - y)[3]);
    expect(p.block).to.equal(b);
    expect(p.levels[3]).to.equal(Math.fround(r.scale[b] * (3 - r.zeroPoint[b])));
    for (let b = 0; b < 8; b++) {
      expect(p.clipRange[0]).to.be.at.most(Math.fround(r.scale[b] * (r.qmin - r.zeroPoint[b])));
      expect(p.clipRange[1]).to.be.at.least(Math.fround(r.scale[b] * (r.qmax - r.zeroPoint[b])));
    }
    expect(p.clipRange[0]).to.equal(
      Math.min(...Array.from(r.scale, (s, b) => Math.fround(s * (r.qmin - r.zeroPoint[b])))),
    );
    expect(text(el, 'summary')).to.contain(`grid of block ${b + 1} of 8, the median scale`);
  });

  it('takes its colours from the --quant-* tokens, and redraw() repaints without recomputing', async () => {
    const el = await ready(
      html`<quant-histogram
        loading="eager"
        shape="16x16"
        style="--quant-histogram-original: rgb(255, 0, 0); --quant-accent: rgb(0, 0, 255)"
      ></quant-histogram>`,
    );
    const strokeOf = (u: uPlot) => (u.series[1].stroke as unknown as (u: unknown, i: number) => string)(u, 1);
    const u = el.charts.get('main')!;
    expect(strokeOf(u)).to.equal('rgb(255, 0, 0)');
    el.style.removeProperty('--quant-histogram-original');
    await after(el, () => (el.bits = 6));
    const rebuilt = el.charts.get('main')!;
    expect(rebuilt).to.not.equal(u);
    expect(strokeOf(rebuilt)).to.equal('rgb(0, 0, 255)');
    const before = el.result;
    const seen = watch(el);
    el.style.setProperty('--quant-accent', 'rgb(0, 128, 0)');
    el.redraw();
    expect(await idle(el)).to.equal(true);
    expect(strokeOf(el.charts.get('main')!)).to.equal('rgb(0, 128, 0)');
    expect(el.result).to.equal(before);
    expect(saw(seen)).to.deep.equal({ quantized: 0, results: 0 });
  });

  it('symmetric: zero-point 0, levels symmetric about 0', async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" scheme="symmetric" bits="3" shape="32x32"></quant-histogram>`,
    );
    const r = el.result!;
    const p = view(el).panels[0];
    expect(r.zeroPoint[0]).to.equal(0);
    expect([r.qmin, r.qmax]).to.deep.equal([-3, 3]);
    expect([...p.levels]).to.deep.equal([...p.levels].map((v) => (v === 0 ? 0 : -v)).reverse());
    expect(p.clipRange[0]).to.equal(-p.clipRange[1]);
  });

  it('settles on the last of rapid changes', async () => {
    const el = await ready(html`<quant-histogram loading="eager" shape="64x64"></quant-histogram>`);
    const seen = watch(el);
    for (const bits of [2, 3, 4, 5, 6]) {
      el.bits = bits;
      el.bins = 10 + bits;
      await el.updateComplete;
    }
    while (el.result!.config.bits !== 6) await nextEvent(el, 'quant-result');
    await el.updateComplete;
    expect(seen.results.at(-1)!.config.bits).to.equal(6);
    expect(el.result!.config.bits).to.equal(6);
    expect(view(el).result).to.equal(el.result);
    expect(view(el).panels[0].levels.length).to.equal(64);
    expect(view(el).counts.length).to.equal(16);
    expect(el.charts.get('main')!.data[0].length).to.equal(16);
    expect(root(el).querySelectorAll('.uplot').length).to.equal(1);
    expect(text(el, 'summary')).to.contain('At 6 bits');
  });

  it('is accessible, its controls named in the accessibility tree', async () => {
    const el = await ready(html`<quant-histogram loading="eager" shape="32x32" id="ax"></quant-histogram>`);
    await expect(el).to.be.accessible();
    const tree = await a11ySnapshot({ selector: '#ax' });
    expect(axNames(tree, 'slider')).to.deep.equal(['bits']);
    expect(axNames(tree, 'combobox')).to.deep.equal(['format', 'calibration']);
    expect(axNames(tree, 'image')).to.deep.equal([part(el, 'chart')!.getAttribute('aria-label')]);
    const cmp = await ready(
      html`<quant-histogram loading="eager" shape="32x32" compare="2 8"></quant-histogram>`,
    );
    await expect(cmp).to.be.accessible();
  });
});
