import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-outliers/quant-outliers.js';
import type {
  OutliersElementResult,
  QuantOutliers,
} from '../src/components/quant-outliers/quant-outliers.js';
import type { QuantErrorDetail } from '../src/internal/events.js';
import { nextEvent } from './helpers/wait.js';
import { OutliersSession } from '../src/core/outliers/session.js';
import { SHORT_LABELS } from '../src/components/quant-outliers/quant-outliers.model.js';

/** The sessions the elements run on (their counts tell what was recomputed). */
const sessions: OutliersSession[] = [];
const run = OutliersSession.prototype.run;
OutliersSession.prototype.run = function (this: OutliersSession, ...args) {
  if (!sessions.includes(this)) sessions.push(this);
  return run.apply(this, args);
};
const status = (el: QuantOutliers) => el.shadowRoot!.querySelector('[part~="status"]')!.textContent!;

async function outliers(template: ReturnType<typeof html>): Promise<[QuantOutliers, OutliersElementResult]> {
  const el = await fixture<QuantOutliers>(template);
  const r = el.result ?? (await nextEvent<OutliersElementResult>(el, 'quant-result', 60000)).detail;
  return [el, r];
}

async function change(el: QuantOutliers, action: () => void): Promise<OutliersElementResult> {
  const done = nextEvent<OutliersElementResult>(el, 'quant-result', 30000);
  action();
  return (await done).detail;
}

const npyUrl = (values: Float32Array, shape: number[]) => {
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const text = header + ' '.repeat(pad) + '\n';
  const bytes = new Uint8Array(10 + text.length + values.byteLength);
  bytes.set(
    [0x93, ...'NUMPY'].map((c) => (typeof c === 'string' ? c.charCodeAt(0) : c)),
    0,
  );
  bytes.set([1, 0, text.length & 255, text.length >> 8], 6);
  bytes.set(new TextEncoder().encode(text), 10);
  bytes.set(new Uint8Array(values.buffer), 10 + text.length);
  return URL.createObjectURL(new Blob([bytes]));
};

describe('<quant-outliers>', function () {
  this.timeout(120000);

  it('defaults: 512 × 512, W8A8, the five methods with the SPEC result fields, on screen', async () => {
    const [el, r] = await outliers(html`<quant-outliers loading="eager"></quant-outliers>`);
    expect(r.shape).to.deep.equal([512, 512, 512]);
    expect(r.config).to.include({ weightBits: 8, activationBits: 8, alpha: 0.5, threshold: 6, seed: 95 });
    expect(r.methods.map((m) => m.method)).to.deep.equal([
      'naive',
      'per-token',
      'llm-int8',
      'smoothquant',
      'rotation',
    ]);
    for (const m of r.methods) expect(m).to.include.keys('sqnrDb', 'relError', 'maxAbsError', 'bitsPerValue');
    expect(r.methods[2].floatShare).to.equal(6 / 512);
    expect(r.stats.kurtosisBefore).to.be.greaterThan(50);
    expect(r.stats.kurtosisAfterRotation).to.be.lessThan(4);
    expect(r.data).to.deep.include({ source: 'generated' });
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('[part~="methods"] tbody tr')).to.have.length(5);
    expect(root.querySelector('[part~="takeaway"]')!.textContent).to.equal(r.takeaway);
    expect(root.querySelectorAll('[data-chart] canvas')).to.have.length(2);
    expect(el.error).to.equal(null);
  });

  it('an α change recomputes SmoothQuant and no other method', async () => {
    const [el, r] = await outliers(
      html`<quant-outliers loading="eager" tokens="64" channels="64"></quant-outliers>`,
    );
    const session = sessions.at(-1)!;
    const before = session.counts.calls;
    const next = await change(el, () => el.setAttribute('alpha', '0.8'));
    expect(next.config.alpha).to.equal(0.8);
    expect(next.methods[3].sqnrDb).not.to.equal(r.methods[3].sqnrDb);
    for (const i of [0, 1, 2, 4]) expect(next.methods[i]).to.deep.equal(r.methods[i]);
    // Equal numbers would hold without a cache: only SmoothQuant's kernels may have run.
    const after = session.counts.calls;
    const ran = Object.keys(after).filter((k) => after[k] !== before[k]);
    expect(ran).to.deep.equal(['smoothquant']);
  });

  it('the threshold slider recomputes LLM.int8() alone and updates its float share', async () => {
    const [el, r] = await outliers(
      html`<quant-outliers loading="eager" tokens="64" channels="64"></quant-outliers>`,
    );
    const session = sessions.at(-1)!;
    const before = session.counts.calls;
    const share = () =>
      el.shadowRoot!.querySelector('tr[data-method="llm-int8"] td:last-child')!.textContent!.trim();
    expect(share()).to.equal(`${((r.methods[2].floatShare ?? 0) * 100).toFixed(1)}%`);
    const slider = el.shadowRoot!.querySelector<HTMLInputElement>('#threshold-slider')!;
    const changed = nextEvent(el, 'quant-change');
    const next = await change(el, () => {
      slider.value = '2';
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await changed;
    expect(next.config.threshold).to.equal(2);
    expect(next.methods[2].floatShare).to.be.greaterThan(r.methods[2].floatShare!);
    for (const i of [0, 1, 3, 4]) expect(next.methods[i]).to.deep.equal(r.methods[i]);
    await el.updateComplete;
    expect(share()).to.equal(`${(next.methods[2].floatShare! * 100).toFixed(1)}%`);
    expect(share()).not.to.equal(`${(r.methods[2].floatShare! * 100).toFixed(1)}%`);
    const after = session.counts.calls;
    const ran = Object.keys(after).filter((k) => after[k] !== before[k]);
    // LLM.int8()'s kernels only (over all channels here, from X and W rounded to float16 once).
    expect(ran).to.include('llm-int8 wide');
    expect(ran.filter((k) => !k.startsWith('llm-int8') && k !== 'float16 operands')).to.deep.equal([]);
  });

  it('a src pair that 404s: quant-error, the status says why, the shown result stays', async () => {
    const [el, r] = await outliers(
      html`<quant-outliers loading="eager" tokens="32" channels="32"></quant-outliers>`,
    );
    const error = nextEvent<QuantErrorDetail>(el, 'quant-error');
    el.src = '/no-such-x.npy';
    el.weightsSrc = '/no-such-w.npy';
    const { detail } = await error;
    expect(detail.code).to.equal('bad-source');
    const t0 = performance.now();
    while (!status(el).includes(detail.message)) {
      expect(performance.now() - t0, `status: ${status(el)}`).to.be.below(20000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status(el)).not.to.contain('Starting');
    expect(el.result!.shape).to.deep.equal(r.shape);
    expect(el.result!.data).to.deep.include({ source: 'generated' });
    expect(el.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.contain(detail.message);
  });

  it('a 404 src on first load, or src alone: the default layer is shown, the status says why', async () => {
    for (const template of [
      html`<quant-outliers
        loading="eager"
        src="/no-such-x.npy"
        weights-src="/no-such-w.npy"
      ></quant-outliers>`,
      html`<quant-outliers loading="eager" src="/no-such-x.npy"></quant-outliers>`,
    ]) {
      const [el, r] = await outliers(template);
      expect(r.shape).to.deep.equal([512, 512, 512]);
      expect(el.error).to.include({ code: 'bad-source' });
      expect(status(el)).to.contain(el.error!.message);
    }
  });

  it('outlier-channels > channels on first load: invalid-attribute, and a result from the defaults', async () => {
    const [el, r] = await outliers(
      html`<quant-outliers loading="eager" tokens="32" channels="16" outlier-channels="20"></quant-outliers>`,
    );
    expect(r.shape).to.deep.equal([512, 512, 512]);
    expect(el.error).to.include({ code: 'invalid-attribute', attribute: 'outlier-channels' });
    expect(status(el)).to.contain(el.error!.message);
    // Valid again: the asked-for layer, and no error.
    const next = await change(el, () => el.setAttribute('outlier-channels', '2'));
    expect(next.shape).to.deep.equal([32, 16, 16]);
    expect(el.error).to.equal(null);
  });

  it('channels above 2048 (W would pass the value cap) is an invalid channels attribute', async () => {
    const [el] = await outliers(
      html`<quant-outliers loading="eager" tokens="16" channels="16"></quant-outliers>`,
    );
    const error = nextEvent<QuantErrorDetail>(el, 'quant-error');
    el.setAttribute('channels', '4096');
    expect((await error).detail).to.include({ code: 'invalid-attribute', attribute: 'channels' });
    expect(el.channels).to.equal(16);
    expect(el.result!.shape).to.deep.equal([16, 16, 16]);
  });

  it('while a slider is dragged, the shown result is marked busy until the latest value’s lands', async () => {
    const [el] = await outliers(
      html`<quant-outliers loading="eager" tokens="256" channels="256"></quant-outliers>`,
    );
    const root = el.shadowRoot!;
    const views = () => root.querySelector<HTMLElement>('[part~="result"]')!;
    const status = () => root.querySelector('[part~="status"]')!.textContent!;
    const caption = () => root.querySelector('[part~="methods"] caption')!.textContent!.replace(/\s+/g, ' ');
    expect(views().getAttribute('aria-busy')).to.equal('false');
    const slider = root.querySelector<HTMLInputElement>('#alpha-slider')!;
    const results: number[] = [];
    el.addEventListener('quant-result', (e) => results.push(e.detail.config.alpha));
    // A drag: input events, one a frame, then the commit.
    for (const v of ['0.55', '0.6', '0.65', '0.7', '0.75', '0.8']) {
      slider.value = v;
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await el.updateComplete;
      expect(views().getAttribute('aria-busy'), `at α ${v}`).to.equal('true');
      expect(views().classList.contains('stale'), `at α ${v}: dimmed`).to.equal(true);
      expect(status()).to.match(/Updating/);
      await new Promise((r) => requestAnimationFrame(r));
    }
    slider.dispatchEvent(new Event('change', { bubbles: true }));
    // Until it settles, whatever is shown as current (not busy) is the latest value's result.
    const t0 = performance.now();
    while (views().getAttribute('aria-busy') === 'true') {
      expect(performance.now() - t0, 'settled').to.be.below(30000);
      await new Promise((r) => requestAnimationFrame(r));
    }
    expect(el.result!.config.alpha).to.equal(0.8);
    expect(caption()).to.contain('α 0.8');
    expect(views().classList.contains('stale')).to.equal(false);
    expect(status()).to.match(/Computed with jax-js/);
    expect(results.at(-1)).to.equal(0.8);
    expect(root.querySelector('[part~="base"]')!.getAttribute('aria-busy')).to.equal('false');
  });

  it('weight-bits and activation-bits override bits', async () => {
    const [el] = await outliers(
      html`<quant-outliers loading="eager" tokens="32" channels="32"></quant-outliers>`,
    );
    const r = await change(el, () => {
      el.bits = 4;
      el.activationBits = 8;
    });
    expect([r.config.weightBits, r.config.activationBits]).to.deep.equal([4, 8]);
  });

  it('a bad attribute is reported and the last valid value kept', async () => {
    const [el] = await outliers(
      html`<quant-outliers loading="eager" tokens="16" channels="16"></quant-outliers>`,
    );
    const error = nextEvent<QuantErrorDetail>(el, 'quant-error');
    el.setAttribute('alpha', '1.5');
    const { detail } = await error;
    expect(detail).to.include({ code: 'invalid-attribute', attribute: 'alpha' });
    expect(el.alpha).to.equal(0.5);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.contain('alpha="1.5"');
    const r = await change(el, () => el.setAttribute('alpha', '0.25'));
    expect(r.config.alpha).to.equal(0.25);
    expect(el.error).to.equal(null);
  });

  it('takes the reader’s .npy pair from src and weights-src', async () => {
    const x = Float32Array.from({ length: 8 * 6 }, (_, i) => Math.sin(i) * (i % 6 === 2 ? 30 : 1));
    const w = Float32Array.from({ length: 6 * 4 }, (_, i) => Math.cos(i));
    const [el, r] = await outliers(
      html`<quant-outliers
        loading="eager"
        src=${npyUrl(x, [8, 6])}
        weights-src=${npyUrl(w, [6, 4])}
      ></quant-outliers>`,
    );
    expect(r.shape).to.deep.equal([8, 6, 4]);
    expect(r.data).to.deep.equal({ source: 'src' });
    expect(r.stats.outlierChannels).to.deep.equal([2]);
    const error = nextEvent<QuantErrorDetail>(el, 'quant-error');
    el.weightsSrc = npyUrl(w, [4, 6]);
    expect((await error).detail).to.include({ code: 'bad-source' });
  });

  it('charts follow a .dark toggle (colours read anew) and a new result (data only)', async () => {
    const [el] = await outliers(
      html`<quant-outliers loading="eager" tokens="32" channels="32"></quant-outliers>`,
    );
    const canvases = () => [...el.shadowRoot!.querySelectorAll<HTMLCanvasElement>('[data-chart] canvas')];
    const pixels = (c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let h = 0;
      for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) | 0;
      return h;
    };
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const before = canvases().map(pixels);
    const [comparison] = canvases();
    await change(el, () => (el.bits = 3));
    await frames();
    expect(canvases()[0], 'same chart, new data').to.equal(comparison);
    expect(pixels(canvases()[0])).not.to.equal(before[0]);
    const light = canvases().map(pixels);
    document.documentElement.classList.add('dark');
    try {
      for (let i = 0; i < 60 && canvases().some((c, k) => pixels(c) === light[k]); i++) await frames();
      canvases().forEach((c, k) => expect(pixels(c), `canvas ${k}`).not.to.equal(light[k]));
    } finally {
      document.documentElement.classList.remove('dark');
    }
  });

  it('the comparison chart’s method labels do not overlap at 375 px', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div style="width: 359px">
        <quant-outliers loading="eager" tokens="16" channels="16"></quant-outliers>
      </div>`,
    );
    const el = wrap.querySelector<QuantOutliers>('quant-outliers')!;
    if (!el.result) await nextEvent(el, 'quant-result', 60000);
    await el.updateComplete;
    const box = el.shadowRoot!.querySelector<HTMLElement>('[data-chart=comparison]')!;
    // uPlot's default axis font; the y axis takes 56 px; the x range is five slots wide.
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font =
      '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
    const slot = (box.clientWidth - 56) / 5;
    expect(slot).to.be.within(40, 70);
    for (const label of Object.values(SHORT_LABELS)) {
      const width = Math.max(...label.split('\n').map((line) => ctx.measureText(line).width));
      expect(width, label).to.be.below(slot - 4);
    }
  });

  it('is accessible', async () => {
    const [el] = await outliers(
      html`<quant-outliers loading="eager" tokens="16" channels="16"></quant-outliers>`,
    );
    await expect(el).to.be.accessible();
  });
});
