/**
 * <quant-heatmap>: band counts against the core result, the selected cell's numbers,
 * click mapping under CSS scaling, keyboard navigation, bad thresholds, a11y.
 */
import { expect, fixture, html } from '@open-wc/testing';
// Real browser input (a dependency of @web/test-runner, which loads its plugins by default).
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../src/components/quant-heatmap/quant-heatmap.js';
import type { HeatmapResult, QuantHeatmap } from '../src/components/quant-heatmap/quant-heatmap.js';
import type { QuantErrorDetail, QuantSelectDetail } from '../src/internal/events.js';
import { nextEvent } from './helpers/wait.js';

async function ready(el: QuantHeatmap): Promise<HeatmapResult> {
  if (!el.result) await nextEvent(el, 'quant-ready', 30000);
  await el.updateComplete;
  return el.result!;
}

async function recomputed(el: QuantHeatmap, change: () => void): Promise<HeatmapResult> {
  const done = nextEvent(el, 'quant-result');
  change();
  await done;
  await el.updateComplete;
  return el.result!;
}

const part = (el: QuantHeatmap, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const grid = (el: QuantHeatmap) => part(el, 'grid') as HTMLCanvasElement;

function expectedBands(r: HeatmapResult, [a, b]: [number, number]) {
  const counts = { low: 0, mid: 0, high: 0 };
  for (const e of r.errors) {
    if (e < a) counts.low++;
    else if (e > b) counts.high++;
    else counts.mid++;
  }
  return counts;
}

/** Clicks the centre of cell (row, col) through client coordinates. */
function clickCell(el: QuantHeatmap, row: number, col: number): void {
  const canvas = grid(el);
  const box = canvas.getBoundingClientRect();
  const [rows, cols] = el.result!.shape;
  const clientX = box.left + ((col + 0.5) / cols) * box.width;
  const clientY = box.top + ((row + 0.5) / rows) * box.height;
  canvas.dispatchEvent(new MouseEvent('click', { clientX, clientY, bubbles: true, composed: true }));
}

function key(el: QuantHeatmap, k: string): void {
  grid(el).dispatchEvent(
    new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true, cancelable: true }),
  );
}

/** The detail panel as {label: value}. */
function detailOf(el: QuantHeatmap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of part(el, 'detail')!.querySelectorAll('dl > div')) {
    out[row.querySelector('dt')!.textContent!.trim()] = row.querySelector('dd')!.textContent!.trim();
  }
  return out;
}

function pixel(el: QuantHeatmap, row: number, col: number): number[] {
  const ctx = grid(el).getContext('2d')!;
  return [...ctx.getImageData(col, row, 1, 1).data];
}

describe('quant-heatmap', () => {
  it('defaults to 32×32, thresholds 0.001 0.01, abs error, one canvas pixel per weight', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager"></quant-heatmap>`);
    const r = await ready(el);
    expect(el.shape).to.deep.equal([32, 32]);
    expect(el.thresholds).to.deep.equal([0.001, 0.01]);
    expect(el.errorMode).to.equal('abs');
    expect(el.palette).to.equal('default');
    expect(r.shape).to.deep.equal([32, 32]);
    expect(r.codes.length).to.equal(1024);
    expect(r.errors.length).to.equal(1024);
    const canvas = grid(el);
    expect(canvas.width).to.equal(32);
    expect(canvas.height).to.equal(32);
    const box = canvas.getBoundingClientRect();
    expect(box.width).to.be.greaterThan(0);
    expect(box.height).to.be.closeTo(box.width, 1);
    expect(getComputedStyle(canvas).imageRendering).to.equal('pixelated');
    expect(part(el, 'legend')).to.exist;
    expect(part(el, 'detail')!.textContent).to.match(/Select a cell/);
    expect(part(el, 'controls')!.querySelector('input[type=range]')).to.exist;
  });

  it('computes errors from the core result and counts bands that sum to n', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager" bits="6"></quant-heatmap>`);
    let r = await ready(el);
    const x = el.data!.values;
    for (let i = 0; i < r.errors.length; i++) {
      expect(r.errors[i]).to.equal(Math.fround(Math.abs(x[i] - r.dequantized[i])));
    }
    expect(r.bands).to.deep.equal(expectedBands(r, [0.001, 0.01]));
    expect(r.bands.low + r.bands.mid + r.bands.high).to.equal(1024);
    expect(r.bands.mid + r.bands.high).to.be.greaterThan(0);
    const legend = part(el, 'legend')!;
    for (const band of ['low', 'mid', 'high'] as const) {
      const text = legend.querySelector(`[data-band=${band}]`)!.textContent!;
      expect(text).to.contain(r.bands[band].toLocaleString());
    }
    r = await recomputed(el, () => el.setAttribute('thresholds', '0.002 0.004'));
    expect(r.thresholds).to.deep.equal([0.002, 0.004]);
    expect(r.bands).to.deep.equal(expectedBands(r, [0.002, 0.004]));
    expect(r.bands.low + r.bands.mid + r.bands.high).to.equal(1024);
    r = await recomputed(el, () => (el.bits = 3));
    expect(r.qmax).to.equal(7);
    expect(r.bands).to.deep.equal(expectedBands(r, [0.002, 0.004]));
  });

  it('colours each pixel by band (from --quant-heatmap-* properties), row 0 at the top', async () => {
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap
        loading="eager"
        shape="12x20"
        bits="5"
        thresholds="0.005 0.012"
        style="--quant-heatmap-low: rgb(0, 0, 255); --quant-heatmap-mid: rgb(0, 255, 0); --quant-heatmap-high: rgb(255, 0, 0); --quant-heatmap-clipped: rgb(255, 255, 0)"
      ></quant-heatmap>`,
    );
    const r = await ready(el);
    expect([grid(el).width, grid(el).height]).to.deep.equal([20, 12]);
    const colour = { low: [0, 0, 255, 255], mid: [0, 255, 0, 255], high: [255, 0, 0, 255] };
    const seen = new Set<string>();
    for (let row = 0; row < 12; row++) {
      for (let col = 0; col < 20; col++) {
        const e = r.errors[row * 20 + col];
        const band = e < 0.005 ? 'low' : e > 0.012 ? 'high' : 'mid';
        seen.add(band);
        expect(pixel(el, row, col), `cell ${row},${col}`).to.deep.equal(colour[band]);
      }
    }
    expect(seen.size).to.be.greaterThan(1);
    // the colour-blind palette changes the default colours
    const plain = await fixture<QuantHeatmap>(
      html`<quant-heatmap loading="eager" shape="4x4"></quant-heatmap>`,
    );
    await ready(plain);
    const before = pixel(plain, 0, 0);
    await recomputed(plain, () => (plain.palette = 'colorblind'));
    expect(pixel(plain, 0, 0)).to.not.deep.equal(before);
  });

  it('shows the selected cell numbers inline and emits quant-select with the result values', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager" bits="4"></quant-heatmap>`);
    const r = await ready(el);
    const selected = nextEvent<QuantSelectDetail>(el, 'quant-select');
    clickCell(el, 7, 19);
    const { detail } = await selected;
    const i = 7 * 32 + 19;
    expect(detail).to.deep.equal({
      row: 7,
      col: 19,
      value: el.data!.values[i],
      code: r.codes[i],
      dequantized: r.dequantized[i],
      error: r.errors[i],
    });
    await el.updateComplete;
    const shown = detailOf(el);
    expect(shown['row']).to.equal('7');
    expect(shown['column']).to.equal('19');
    expect(shown['code q']).to.equal(String(r.codes[i]));
    expect(Number(shown['original x'].replace(/−/g, '-'))).to.be.closeTo(detail.value, 1e-5);
    expect(Number(shown['dequantized x̂'].replace(/−/g, '-'))).to.be.closeTo(detail.dequantized, 1e-5);
    expect(Number(shown['error |x − x̂|'].replace(/−/g, '-'))).to.be.closeTo(detail.error, 1e-4);
    expect(el.selectedCell).to.deep.equal({ row: 7, col: 19 });
    expect(el.shadowRoot!.querySelector('.mark.selected')).to.exist;
  });

  for (const [name, style] of [
    ['width 200px', 'width: 200px'],
    ['width 640px', 'width: 640px'],
    ['a CSS transform', 'width: 640px; transform: scale(0.5) translate(40px, 10px); transform-origin: 0 0'],
    ['CSS zoom 1.5', 'width: 300px; zoom: 1.5'],
  ] as const) {
    it(`maps clicks to cells with ${name}`, async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div style=${style}>
          <quant-heatmap loading="eager" shape="16x24"></quant-heatmap>
        </div>`,
      );
      const el = wrapper.querySelector('quant-heatmap')!;
      await ready(el);
      for (const [row, col] of [
        [0, 0],
        [15, 23],
        [3, 17],
        [11, 2],
      ]) {
        const selected = nextEvent<QuantSelectDetail>(el, 'quant-select');
        clickCell(el, row, col);
        const { detail } = await selected;
        expect([detail.row, detail.col], `${name}: cell ${row},${col}`).to.deep.equal([row, col]);
      }
      // the canvas box holds exactly the cells (aspect ratio cols / rows)
      const box = grid(el).getBoundingClientRect();
      expect(box.width / box.height).to.be.closeTo(24 / 16, 0.02);
      // a click near a cell corner still lands in that cell
      const canvas = grid(el);
      const selected = nextEvent<QuantSelectDetail>(el, 'quant-select');
      canvas.dispatchEvent(
        new MouseEvent('click', {
          clientX: box.left + (5 / 24) * box.width + 0.2 * (box.width / 24),
          clientY: box.top + (9 / 16) * box.height + 0.2 * (box.height / 16),
          bubbles: true,
        }),
      );
      const { detail } = await selected;
      expect([detail.row, detail.col]).to.deep.equal([9, 5]);
    });
  }

  it('selects with real mouse and keyboard input', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="width: 333px; transform: scale(1.25); transform-origin: 0 0">
        <quant-heatmap loading="eager" shape="10x30"></quant-heatmap>
      </div>`,
    );
    const el = wrapper.querySelector('quant-heatmap')!;
    await ready(el);
    const box = grid(el).getBoundingClientRect();
    try {
      let selected = nextEvent<QuantSelectDetail>(el, 'quant-select');
      await sendMouse({
        type: 'click',
        position: [
          Math.round(box.left + (21.5 / 30) * box.width),
          Math.round(box.top + (6.5 / 10) * box.height),
        ],
      });
      let { detail } = await selected;
      expect([detail.row, detail.col]).to.deep.equal([6, 21]);
      // the click focused the grid; the keyboard continues from the clicked cell
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'ArrowLeft' });
      selected = nextEvent<QuantSelectDetail>(el, 'quant-select');
      await sendKeys({ press: 'Enter' });
      ({ detail } = await selected);
      expect([detail.row, detail.col]).to.deep.equal([5, 20]);
    } finally {
      await resetMouse();
    }
  });

  it('moves a visible cursor with the arrow keys and selects with Enter and Space', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager" shape="8x8"></quant-heatmap>`);
    const r = await ready(el);
    const canvas = grid(el);
    expect(canvas.tabIndex).to.equal(0);
    canvas.focus();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.mark.cursor')).to.exist;
    key(el, 'ArrowLeft'); // stays at the edge
    key(el, 'ArrowUp');
    key(el, 'ArrowRight');
    key(el, 'ArrowRight');
    key(el, 'ArrowDown');
    await el.updateComplete;
    const mark = el.shadowRoot!.querySelector<HTMLElement>('.mark.cursor')!;
    expect(mark.style.left).to.equal(`${(2 / 8) * 100}%`);
    expect(mark.style.top).to.equal(`${(1 / 8) * 100}%`);
    let selected = nextEvent<QuantSelectDetail>(el, 'quant-select');
    key(el, 'Enter');
    let { detail } = await selected;
    expect([detail.row, detail.col]).to.deep.equal([1, 2]);
    expect(detail.code).to.equal(r.codes[8 + 2]);
    await el.updateComplete;
    expect([detailOf(el)['row'], detailOf(el)['column']]).to.deep.equal(['1', '2']);
    expect(el.shadowRoot!.querySelector('[aria-live]')!.textContent).to.match(/Row 1, column 2/);
    key(el, 'End');
    key(el, 'ArrowDown');
    selected = nextEvent<QuantSelectDetail>(el, 'quant-select');
    key(el, ' ');
    ({ detail } = await selected);
    expect([detail.row, detail.col]).to.deep.equal([2, 7]);
    canvas.blur();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.mark.cursor')).to.not.exist;
  });

  it('rejects bad thresholds with an alert and quant-error, keeps the last value and recovers', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager" shape="8x8"></quant-heatmap>`);
    await ready(el);
    for (const bad of ['0.01 0.001', 'abc', '0.1', '-1 2', '0.01 0.01', '1 2 3', '<b>x</b> 1']) {
      const failed = nextEvent<QuantErrorDetail>(el, 'quant-error');
      el.setAttribute('thresholds', bad);
      const { detail } = await failed;
      expect(detail.code, bad).to.equal('invalid-attribute');
      expect(detail.attribute).to.equal('thresholds');
      await el.updateComplete;
      const alert = part(el, 'error')!;
      expect(alert.getAttribute('role')).to.equal('alert');
      expect(alert.textContent).to.contain('thresholds');
      expect(alert.textContent).to.contain(bad);
      expect(alert.querySelector('b')).to.not.exist;
      expect(el.thresholds).to.deep.equal([0.001, 0.01]);
      expect(el.result!.thresholds).to.deep.equal([0.001, 0.01]);
    }
    const r = await recomputed(el, () => el.setAttribute('thresholds', '0.002 0.02'));
    expect(part(el, 'error')).to.not.exist;
    expect(el.error).to.equal(null);
    expect(r.thresholds).to.deep.equal([0.002, 0.02]);
    expect(r.bands).to.deep.equal(expectedBands(r, [0.002, 0.02]));
    // bad error / palette too
    const failed = nextEvent<QuantErrorDetail>(el, 'quant-error');
    el.setAttribute('error', 'squared');
    expect((await failed).detail.attribute).to.equal('error');
    expect(el.errorMode).to.equal('abs');
    el.removeAttribute('error');
    await el.updateComplete;
    expect(part(el, 'error')).to.not.exist;
  });

  it('error="relative" is at most half a step except on clipped cells, which are counted and coloured', async () => {
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap
        loading="eager"
        error="relative"
        calibration="percentile"
        percentile="98"
        granularity="channel"
        thresholds="0.1 0.4"
        style="--quant-heatmap-clipped: rgb(1, 2, 3)"
      ></quant-heatmap>`,
    );
    const r = await ready(el);
    expect(r.errorMode).to.equal('relative');
    const x = el.data!.values;
    let clipped = 0;
    for (let i = 0; i < r.errors.length; i++) {
      const row = Math.floor(i / 32);
      const expected = Math.abs(x[i] - r.dequantized[i]) / r.scale[row];
      expect(r.errors[i]).to.be.closeTo(expected, 1e-6 * Math.max(1, expected));
      if (r.clipped[i]) {
        clipped++;
        expect(pixel(el, row, i % 32)).to.deep.equal([1, 2, 3, 255]);
      } else {
        expect(r.errors[i], `cell ${i}`).to.be.at.most(0.5 + 1e-5);
      }
    }
    expect(clipped).to.equal(r.clippedCount);
    expect(clipped).to.be.greaterThan(0);
    expect(r.clippedCount).to.equal(Math.round(r.stats.clippedFraction * 1024));
    expect(r.bands).to.deep.equal(expectedBands(r, [0.1, 0.4]));
    expect(part(el, 'legend')!.querySelector('[data-band=clipped]')!.textContent).to.contain(String(clipped));
  });

  it('counts clipped cells as the engine does, stochastic rounding included', async () => {
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap
        loading="eager"
        bits="3"
        rounding="stochastic"
        calibration="percentile"
        percentile="95"
      ></quant-heatmap>`,
    );
    await ready(el);
    const r = el.result!;
    expect(r.clippedCount).to.be.greaterThan(0);
    expect(r.clippedCount).to.equal(Math.round(r.stats.clippedFraction * 1024));
  });

  it('the bits control emits quant-input / quant-change and recomputes', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager" shape="8x8"></quant-heatmap>`);
    await ready(el);
    const input = part(el, 'controls')!.querySelector<HTMLInputElement>('input[type=range]')!;
    expect([input.min, input.max]).to.deep.equal(['2', '16']);
    input.value = '3';
    const live = nextEvent<{ bits: number }>(el, 'quant-input');
    input.dispatchEvent(new Event('input', { bubbles: true }));
    expect((await live).detail.bits).to.equal(3);
    const changed = nextEvent<{ bits: number }>(el, 'quant-change');
    const result = nextEvent(el, 'quant-result');
    input.dispatchEvent(new Event('change', { bubbles: true }));
    expect((await changed).detail.bits).to.equal(3);
    await result;
    expect(el.result!.qmax).to.equal(7);
    expect(el.getAttribute('bits')).to.equal('3');
  });

  it('follows its group and reads weights from src (2-D and 1-D)', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <quant-heatmap loading="eager" group="g" shape="4x8"></quant-heatmap>
        <quant-heatmap
          loading="eager"
          group="g"
          src="data:application/json,[[0.1,-0.2,0.3],[0.4,0.5,-0.6]]"
        ></quant-heatmap>
      </div>`,
    );
    const [a, b] = [...wrapper.querySelectorAll('quant-heatmap')];
    await Promise.all([ready(a), ready(b)]);
    expect(b.result!.shape).to.deep.equal([2, 3]);
    expect([grid(b).width, grid(b).height]).to.deep.equal([3, 2]);
    const input = part(a, 'controls')!.querySelector<HTMLInputElement>('input[type=range]')!;
    input.value = '5';
    const followed = nextEvent(b, 'quant-result');
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await followed;
    expect(b.bits).to.equal(5);
    expect(b.result!.qmax).to.equal(31);
    const flat = await recomputed(b, () => b.setAttribute('src', 'data:application/json,[0.5,-0.25,1,2]'));
    expect(flat.shape).to.deep.equal([1, 4]);
    expect(flat.bands.low + flat.bands.mid + flat.bands.high).to.equal(4);
  });

  it('is accessible, with and without a selection', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager"></quant-heatmap>`);
    await ready(el);
    await expect(el).to.be.accessible();
    grid(el).focus();
    key(el, 'ArrowDown');
    key(el, 'Enter');
    await el.updateComplete;
    await expect(el).to.be.accessible();
    const canvas = grid(el);
    expect(canvas.getAttribute('aria-label')).to.match(/32 rows by 32 columns/);
  });
});
