/**
 * <quant-histogram>: binning on jax-js against a plain loop, the element's
 * result and charts, attributes, bad values, resize, reconnect and a11y.
 */
import './helpers/wasm-memory.js';
import { expect, fixture, html } from '@open-wc/testing';
import { availableDevices, generateWeights, histogramCounts, referenceHistogram } from '../src/core/index.js';
import '../src/components/quant-histogram/quant-histogram.js';
import type { QuantHistogram } from '../src/components/quant-histogram/quant-histogram.js';
import { formatDb } from '../src/internal/format.js';
import { nextEvent, sleep } from './helpers/wait.js';
import { wasmHeapBytes } from './helpers/wasm-memory.js';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
const root = (el: QuantHistogram) => el.shadowRoot!;
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

async function ready(template: ReturnType<typeof html>): Promise<QuantHistogram> {
  const el = await fixture<QuantHistogram>(template);
  if (!el.result) await nextEvent(el, 'quant-ready');
  return el;
}

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
});

describe('<quant-histogram>', () => {
  it('defaults: 128×128 weights in 64 bins, one chart, controls', async () => {
    const el = await ready(html`<quant-histogram loading="eager"></quant-histogram>`);
    const r = el.result!;
    expect(r.shape).to.deep.equal([128, 128]);
    expect(r.bins).to.equal(64);
    expect(r.counts.length).to.equal(64);
    expect(r.edges.length).to.equal(65);
    expect(sum(r.counts)).to.equal(16384);
    expect(sum(r.dequantizedCounts)).to.equal(16384);
    expect(r.compare).to.deep.equal([]);
    expect([...r.counts]).to.deep.equal([...referenceHistogram(el.data!.values, r.range[0], r.range[1], 64)]);
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
    expect(root(el).querySelector('[part=summary]')!.textContent).to.match(/0\s+weights clipped/);
  });

  it('bins attribute and property', async () => {
    const el = await ready(html`<quant-histogram loading="eager" bins="16"></quant-histogram>`);
    expect(el.result!.counts.length).to.equal(16);
    expect(sum(el.result!.counts)).to.equal(16384);
    const next = nextEvent(el, 'quant-result');
    el.bins = 512;
    await next;
    expect(el.getAttribute('bins')).to.equal('512');
    expect(el.result!.counts.length).to.equal(512);
    expect(sum(el.result!.dequantizedCounts)).to.equal(16384);
    expect(el.charts.get('main')!.data[0].length).to.equal(512);
  });

  it("draws levels at the core's dequantized codes", async () => {
    const el = await ready(html`<quant-histogram loading="eager" bits="3" shape="32x32"></quant-histogram>`);
    const r = el.result!;
    expect(r.levels.length).to.equal(8);
    for (let q = r.qmin; q <= r.qmax; q++)
      expect(r.levels[q - r.qmin]).to.equal(Math.fround(r.scale[0] * (q - r.zeroPoint[0])));
    for (let i = 0; i < r.codes.length; i++) expect(r.dequantized[i]).to.equal(r.levels[r.codes[i] - r.qmin]);
    expect(r.levels[r.zeroPoint[0] - r.qmin]).to.equal(0);
    // The dequantized histogram collapses onto the bins holding the codes present.
    const used = new Set(r.codes).size;
    expect([...r.dequantizedCounts].filter((c) => c > 0).length).to.be.at.most(used);
    expect(r.clipRange).to.deep.equal([r.levels[0], r.levels[r.levels.length - 1]]);
  });

  it('compare draws one chart per width, labelled with its SQNR, sharing the x range', async () => {
    const el = await ready(html`<quant-histogram loading="eager" compare="2 4 8 16"></quant-histogram>`);
    await frames();
    const r = el.result!;
    expect(r.compare.map((p) => p.bits)).to.deep.equal([2, 4, 8, 16]);
    const figures = [...root(el).querySelectorAll('figure[data-chart]')];
    expect(figures.length).to.equal(4);
    expect(root(el).querySelectorAll('.uplot').length).to.equal(4);
    for (const [i, p] of r.compare.entries()) {
      expect(figures[i].textContent).to.contain(`${p.bits}-bit`).and.contain(formatDb(p.sqnrDb));
      expect(sum(p.counts)).to.equal(16384);
      expect(figures[i].querySelector('[part=chart]')!.getAttribute('aria-label')).to.contain(
        `SQNR ${formatDb(p.sqnrDb)}`,
      );
    }
    const sqnr = r.compare.map((p) => p.sqnrDb);
    expect(sqnr).to.deep.equal([...sqnr].sort((a, b) => a - b));
    expect(sqnr[3] - sqnr[0]).to.be.greaterThan(60);
    const xs = [...el.charts.values()].map((u) => [u.scales.x.min, u.scales.x.max]);
    for (const x of xs) expect(x).to.deep.equal(xs[0]);
    // The 8-bit panel equals a plain 8-bit run.
    expect(r.compare[2].levels.length).to.equal(256);
    // Back to one chart.
    const next = nextEvent(el, 'quant-result');
    el.compare = [];
    await next;
    expect(root(el).querySelectorAll('.uplot').length).to.equal(1);
    expect([...el.charts.keys()]).to.deep.equal(['main']);
  });

  for (const [attribute, bad, good, check] of [
    ['bins', '3', '32', (el: QuantHistogram) => el.result!.counts.length === 32],
    ['bins', 'abc', '16', (el: QuantHistogram) => el.result!.counts.length === 16],
    ['compare', '2 99', '2 4', (el: QuantHistogram) => el.result!.compare.length === 2],
  ] as const) {
    it(`${attribute}="${bad}" shows an error, keeps working and recovers`, async () => {
      const el = await ready(html`<quant-histogram loading="eager" shape="16x16"></quant-histogram>`);
      const error = nextEvent<{ code: string; attribute: string; message: string }>(el, 'quant-error');
      el.setAttribute(attribute, bad);
      const { detail } = await error;
      expect(detail.code).to.equal('invalid-attribute');
      expect(detail.attribute).to.equal(attribute);
      await el.updateComplete;
      const shown = root(el).querySelector('[part=error]')!;
      expect(shown.getAttribute('role')).to.equal('alert');
      expect(shown.textContent).to.contain(`${attribute}="${bad}"`);
      expect(el.result!.counts.length).to.equal(64);
      expect(root(el).querySelectorAll('.uplot').length).to.equal(1);
      const next = nextEvent(el, 'quant-result');
      el.setAttribute(attribute, good);
      await next;
      await el.updateComplete;
      expect(root(el).querySelector('[part=error]')).to.equal(null);
      expect(check(el)).to.equal(true);
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
    el.style.width = '600.4px';
    await sleep(100);
    await frames();
    expect(calls, 'setSize with the same integer width').to.equal(0);
    el.style.width = '400px';
    await sleep(100);
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
    const old = el.charts.get('4')!;
    const parent = el.parentElement!;
    el.remove();
    expect(root(el).querySelectorAll('.uplot').length).to.equal(0);
    expect(el.charts.size).to.equal(0);
    const again = nextEvent(el, 'quant-ready');
    parent.append(el);
    await again;
    expect(root(el).querySelectorAll('.uplot').length).to.equal(2);
    expect(el.charts.get('4')).to.not.equal(old);
  });

  it('shows why calibration matters on outliers', async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" distribution="outliers" bits="4"></quant-histogram>`,
    );
    const minmax = el.result!;
    expect(minmax.stats.clippedFraction).to.equal(0);
    const select = root(el).querySelector('[part=controls] select') as HTMLSelectElement;
    const change = nextEvent<{ calibration: string }>(el, 'quant-change');
    const next = nextEvent(el, 'quant-result');
    select.value = 'percentile';
    select.dispatchEvent(new Event('change'));
    expect((await change).detail.calibration).to.equal('percentile');
    await next;
    const percentile = el.result!;
    expect(el.calibration).to.equal('percentile');
    expect(percentile.stats.clippedFraction).to.be.greaterThan(0);
    expect(percentile.clippedCount).to.equal(Math.round(percentile.stats.clippedFraction * 16384));
    expect(percentile.clipRange[1] - percentile.clipRange[0]).to.be.lessThan(
      minmax.clipRange[1] - minmax.clipRange[0],
    );
    expect(root(el).querySelector('[part=summary]')!.textContent).to.contain(
      `${percentile.clippedCount.toLocaleString()}`,
    );
    const mse = nextEvent(el, 'quant-result');
    el.calibration = 'mse';
    await mse;
    expect(el.result!.clipRange[1]).to.be.lessThan(minmax.clipRange[1]);
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
    expect(el.result!.levels.length).to.equal(4);
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
    expect(sum(b.result!.counts)).to.equal(8);
    // The data range, widened to the clip range (the zero-point rounds its grid a little past -1).
    expect(b.result!.range[0]).to.be.within(-1.01, -1);
    expect(b.result!.range[1]).to.be.within(3, 3.01);
    const followed = nextEvent(b, 'quant-result');
    const select = root(a).querySelector('[part=controls] select') as HTMLSelectElement;
    select.value = 'mse';
    select.dispatchEvent(new Event('change'));
    await followed;
    expect(b.calibration).to.equal('mse');
    wrapper.remove();
  });

  it("per-channel: draws the first block's grid and the widest clip range", async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" granularity="channel" bits="4" shape="8x64"></quant-histogram>`,
    );
    const r = el.result!;
    expect(r.scale.length).to.equal(8);
    expect(r.levels.length).to.equal(16);
    expect(r.levels[3]).to.equal(Math.fround(r.scale[0] * (3 - r.zeroPoint[0])));
    for (let b = 0; b < 8; b++) {
      expect(r.clipRange[0]).to.be.at.most(Math.fround(r.scale[b] * (r.qmin - r.zeroPoint[b])));
      expect(r.clipRange[1]).to.be.at.least(Math.fround(r.scale[b] * (r.qmax - r.zeroPoint[b])));
    }
    expect(root(el).querySelector('[part=summary]')!.textContent).to.match(/first of 8 blocks/);
  });

  it('takes its colours from the --quant-* tokens', async () => {
    const el = await ready(
      html`<quant-histogram
        loading="eager"
        shape="16x16"
        style="--quant-histogram-original: rgb(255, 0, 0); --quant-accent: rgb(0, 0, 255)"
      ></quant-histogram>`,
    );
    const u = el.charts.get('main')!;
    const stroke = u.series[1].stroke as unknown as (u: unknown, i: number) => string;
    expect(stroke(u, 1)).to.equal('rgb(255, 0, 0)');
    el.style.removeProperty('--quant-histogram-original');
    const next = nextEvent(el, 'quant-result');
    el.bits = 6;
    await next;
    const rebuilt = el.charts.get('main')!;
    expect((rebuilt.series[1].stroke as unknown as (u: unknown, i: number) => string)(rebuilt, 1)).to.equal(
      'rgb(0, 0, 255)',
    );
  });

  it('symmetric: zero-point 0, levels symmetric about 0', async () => {
    const el = await ready(
      html`<quant-histogram loading="eager" scheme="symmetric" bits="3" shape="32x32"></quant-histogram>`,
    );
    const r = el.result!;
    expect(r.zeroPoint[0]).to.equal(0);
    expect([r.qmin, r.qmax]).to.deep.equal([-3, 3]);
    expect([...r.levels]).to.deep.equal([...r.levels].map((v) => (v === 0 ? 0 : -v)).reverse());
    expect(r.clipRange[0]).to.equal(-r.clipRange[1]);
  });

  it('settles on the last of rapid changes', async () => {
    const el = await ready(html`<quant-histogram loading="eager" shape="64x64"></quant-histogram>`);
    for (const bits of [2, 3, 4, 5, 6]) el.bits = bits;
    el.bins = 20;
    await nextEvent(el, 'quant-result');
    await sleep(200);
    expect(el.result!.bits).to.equal(6);
    expect(el.result!.levels.length).to.equal(64);
    expect(el.result!.counts.length).to.equal(20);
    expect(root(el).querySelectorAll('.uplot').length).to.equal(1);
  });

  it('is accessible', async () => {
    const el = await ready(html`<quant-histogram loading="eager" shape="32x32"></quant-histogram>`);
    await expect(el).to.be.accessible();
    const cmp = await ready(
      html`<quant-histogram loading="eager" shape="32x32" compare="2 8"></quant-histogram>`,
    );
    await expect(cmp).to.be.accessible();
  });
});
