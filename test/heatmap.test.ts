/**
 * <quant-heatmap>: errors and band counts against the core result, the selected cell's numbers,
 * click mapping under CSS scaling, real keyboard navigation, view-only attributes that never
 * re-quantize, a view drawn from the result's own config, bad values, a11y.
 */
import { expect, fixture, html } from '@open-wc/testing';
// Real browser input (a dependency of @web/test-runner, which loads its plugins by default).
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../src/components/quant-heatmap/quant-heatmap.js';
import type { HeatmapResult, QuantHeatmap } from '../src/components/quant-heatmap/quant-heatmap.js';
import type { QuantErrorDetail, QuantSelectDetail } from '../src/internal/events.js';
import { blockOf, rowsCols } from '../src/internal/layout.js';
import { countQuantize, holdQuantize, idle } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';

type Bands = { low: number; mid: number; high: number };

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

/**
 * A view-only change: the element updates from the same result (the same object), emits no
 * quant-result, runs no quantization and has nothing in flight once it has settled.
 */
async function viewChange(el: QuantHeatmap, change: () => void): Promise<void> {
  const before = el.result;
  const quantized = countQuantize(el);
  let results = 0;
  const count = () => results++;
  el.addEventListener('quant-result', count);
  try {
    change();
    expect(await idle(el), 'a view-only change started a computation').to.equal(true);
  } finally {
    el.removeEventListener('quant-result', count);
  }
  expect(el.result, 'a view-only change replaced the result').to.equal(before);
  expect(results, 'a view-only change emitted quant-result').to.equal(0);
  expect(quantized.count, 'a view-only change quantized').to.equal(0);
}

const part = (el: QuantHeatmap, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const grid = (el: QuantHeatmap) => part(el, 'grid') as HTMLCanvasElement;

/** |x − x̂| per cell, computed here from the result and the weights (float32 like the view). */
function absErrors(el: QuantHeatmap): Float32Array {
  const x = el.data!.values;
  const r = el.result!;
  return Float32Array.from(r.dequantized, (d, i) => Math.abs(x[i] - d));
}

/** |x − x̂| / the scale of the cell's block, per cell. */
function relativeErrors(el: QuantHeatmap): Float32Array {
  const x = el.data!.values;
  const r = el.result!;
  return Float32Array.from(r.dequantized, (d, i) => Math.abs(x[i] - d) / r.scale[blockOf(i, r)]);
}

function expectedBands(errors: Float32Array, [a, b]: readonly [number, number]): Bands {
  const counts = { low: 0, mid: 0, high: 0 };
  for (const e of errors) {
    if (e < a) counts.low++;
    else if (e > b) counts.high++;
    else counts.mid++;
  }
  return counts;
}

/** The band counts the legend shows. */
function legendBands(el: QuantHeatmap): Bands & { clipped: number } {
  const legend = part(el, 'legend')!;
  const count = (band: string) =>
    Number(legend.querySelector(`[data-band=${band}]`)!.textContent!.split(' ')[0].replace(/,/g, ''));
  return { low: count('low'), mid: count('mid'), high: count('high'), clipped: count('clipped') };
}

/** The error of every cell as quant-select reports it (selectCell emits synchronously). */
function selectedErrors(el: QuantHeatmap): Float32Array {
  const [rows, cols] = rowsCols(el.result!.shape);
  const prior = el.selectedCell;
  const out = new Float32Array(rows * cols);
  const record = (e: CustomEvent<QuantSelectDetail>) =>
    (out[e.detail.row * cols + e.detail.col] = e.detail.error);
  el.addEventListener('quant-select', record);
  for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) el.selectCell(row, col);
  el.removeEventListener('quant-select', record);
  if (prior) el.selectCell(prior.row, prior.col);
  return out;
}

/** Clicks the centre of cell (row, col) through client coordinates. */
function clickCell(el: QuantHeatmap, row: number, col: number): void {
  const canvas = grid(el);
  const box = canvas.getBoundingClientRect();
  const [rows, cols] = rowsCols(el.result!.shape);
  const clientX = box.left + ((col + 0.5) / cols) * box.width;
  const clientY = box.top + ((row + 0.5) / rows) * box.height;
  canvas.dispatchEvent(new MouseEvent('click', { clientX, clientY, bubbles: true, composed: true }));
}

/** Presses a key (with Control held, for `ctrl`) as a user would, on the focused grid. */
async function press(el: QuantHeatmap, key: string, ctrl = false): Promise<void> {
  if (ctrl) await sendKeys({ down: 'Control' });
  try {
    await sendKeys({ press: key });
  } finally {
    if (ctrl) await sendKeys({ up: 'Control' });
  }
  await el.updateComplete;
}

/** [row, col] of the cursor mark. */
function cursorAt(el: QuantHeatmap): [number, number] {
  const mark = el.shadowRoot!.querySelector<HTMLElement>('.mark.cursor')!;
  const [rows, cols] = rowsCols(el.result!.shape);
  return [
    Math.round((parseFloat(mark.style.top) / 100) * rows),
    Math.round((parseFloat(mark.style.left) / 100) * cols),
  ];
}

const announcement = (el: QuantHeatmap) =>
  el.shadowRoot!.querySelector('[aria-live]:not([part])')!.textContent!;

/** The detail panel as {label: value}. */
function detailOf(el: QuantHeatmap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of part(el, 'detail')!.querySelectorAll('dl > div')) {
    out[row.querySelector('dt')!.textContent!.trim()] = row.querySelector('dd')!.textContent!.trim();
  }
  return out;
}
const num = (text: string) => Number(text.replace(/−/g, '-'));

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
    expect(el.hasAttribute('thresholds') || el.hasAttribute('error') || el.hasAttribute('palette')).to.equal(
      false,
    );
    expect(r.shape).to.deep.equal([32, 32]);
    expect(r.codes.length).to.equal(1024);
    expect(r.clipped.length).to.equal(1024);
    // the result is the quantization and its inputs: nothing the view derives
    expect(r).to.not.have.any.keys('errors', 'bands', 'thresholds', 'errorMode', 'palette', 'clippedCount');
    expect(r.config).to.deep.include({ bits: 8, granularity: 'tensor' });
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
    await ready(el);
    let errors = absErrors(el);
    expect(selectedErrors(el)).to.deep.equal(errors);
    let bands = expectedBands(errors, [0.001, 0.01]);
    expect(bands.mid + bands.high).to.be.greaterThan(0);
    expect(legendBands(el)).to.deep.include(bands);
    expect(bands.low + bands.mid + bands.high).to.equal(1024);
    await viewChange(el, () => el.setAttribute('thresholds', '0.002 0.004'));
    bands = expectedBands(errors, [0.002, 0.004]);
    expect(legendBands(el)).to.deep.include(bands);
    expect(part(el, 'legend')!.textContent).to.contain('0.002 – 0.004');
    const r = await recomputed(el, () => (el.bits = 3));
    expect(r.qmax).to.equal(7);
    errors = absErrors(el);
    expect(selectedErrors(el)).to.deep.equal(errors);
    expect(legendBands(el)).to.deep.include(expectedBands(errors, [0.002, 0.004]));
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
    await ready(el);
    expect([grid(el).width, grid(el).height]).to.deep.equal([20, 12]);
    const errors = absErrors(el);
    const colour = { low: [0, 0, 255, 255], mid: [0, 255, 0, 255], high: [255, 0, 0, 255] };
    const bandAt = (i: number) => (errors[i] < 0.005 ? 'low' : errors[i] > 0.012 ? 'high' : 'mid');
    const seen = new Set<string>();
    for (let row = 0; row < 12; row++) {
      for (let col = 0; col < 20; col++) {
        const band = bandAt(row * 20 + col);
        seen.add(band);
        expect(pixel(el, row, col), `cell ${row},${col}`).to.deep.equal(colour[band]);
      }
    }
    expect(seen.size).to.be.greaterThan(1);
    // a changed token shows after redraw(), with no new result
    const low = errors.findIndex((_, i) => bandAt(i) === 'low');
    await viewChange(el, () => {
      el.style.setProperty('--quant-heatmap-low', 'rgb(9, 8, 7)');
      el.redraw();
    });
    expect(pixel(el, Math.floor(low / 20), low % 20)).to.deep.equal([9, 8, 7, 255]);
    // the colour-blind palette changes the default colours, repainting from the same result
    const plain = await fixture<QuantHeatmap>(
      html`<quant-heatmap loading="eager" shape="4x4"></quant-heatmap>`,
    );
    await ready(plain);
    const before = pixel(plain, 0, 0);
    const swatch = () => getComputedStyle(plain.shadowRoot!.querySelector('.swatch.low')!).backgroundColor;
    const swatchBefore = swatch();
    await viewChange(plain, () => (plain.palette = 'colorblind'));
    expect(plain.getAttribute('palette')).to.equal('colorblind');
    expect(pixel(plain, 0, 0)).to.not.deep.equal(before);
    expect(swatch()).to.not.equal(swatchBefore);
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
      error: absErrors(el)[i],
    });
    await el.updateComplete;
    const shown = detailOf(el);
    expect(shown['row']).to.equal('7');
    expect(shown['column']).to.equal('19');
    expect(shown['code q']).to.equal(String(r.codes[i]));
    expect(num(shown['original x'])).to.be.closeTo(detail.value, 1e-5);
    expect(num(shown['dequantized x̂'])).to.be.closeTo(detail.dequantized, 1e-5);
    expect(num(shown['error |x − x̂|'])).to.be.closeTo(detail.error, 1e-4);
    expect(num(shown['error / scale'])).to.be.closeTo(relativeErrors(el)[i], 1e-3 * relativeErrors(el)[i]);
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

  it('keyboard: arrows, Home/End, PageUp/PageDown and Ctrl+Home/End move a visible cursor; Enter and Space select', async () => {
    // 30 rows: a page is a tenth of them, 3 rows.
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap loading="eager" shape="30x8"></quant-heatmap>`,
    );
    const r = await ready(el);
    const canvas = grid(el);
    expect(canvas.tabIndex).to.equal(0);
    canvas.focus();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.mark.cursor')).to.exist;
    expect(cursorAt(el)).to.deep.equal([0, 0]);
    const steps: [key: string, ctrl: boolean, to: [number, number]][] = [
      ['ArrowLeft', false, [0, 0]], // stays at the edge
      ['ArrowUp', false, [0, 0]],
      ['ArrowRight', false, [0, 1]],
      ['ArrowRight', false, [0, 2]],
      ['ArrowDown', false, [1, 2]],
      ['End', false, [1, 7]],
      ['Home', false, [1, 0]],
      ['PageDown', false, [4, 0]],
      ['PageDown', false, [7, 0]],
      ['PageUp', false, [4, 0]],
      ['ArrowRight', false, [4, 1]],
      ['End', true, [29, 7]],
      ['PageDown', false, [29, 7]], // stays at the edge
      ['ArrowDown', false, [29, 7]],
      ['PageUp', false, [26, 7]],
      ['Home', true, [0, 0]],
      ['PageUp', false, [0, 0]],
      ['PageDown', false, [3, 0]],
      ['ArrowRight', false, [3, 1]],
      ['ArrowRight', false, [3, 2]],
      ['PageUp', false, [0, 2]],
      ['ArrowDown', false, [1, 2]],
    ];
    for (const [key, ctrl, [row, col]] of steps) {
      await press(el, key, ctrl);
      const name = `${ctrl ? 'Ctrl+' : ''}${key} → ${row},${col}`;
      expect(cursorAt(el), name).to.deep.equal([row, col]);
      expect(announcement(el), name).to.contain(`Row ${row}, column ${col}:`);
    }
    const mark = el.shadowRoot!.querySelector<HTMLElement>('.mark.cursor')!;
    expect(parseFloat(mark.style.left)).to.be.closeTo((2 / 8) * 100, 1e-4);
    expect(parseFloat(mark.style.top)).to.be.closeTo((1 / 30) * 100, 1e-4);
    expect(parseFloat(mark.style.width)).to.be.closeTo(100 / 8, 1e-4);
    expect(el.selectedCell).to.equal(null); // moving does not select
    let selected = nextEvent<QuantSelectDetail>(el, 'quant-select');
    await press(el, 'Enter');
    let { detail } = await selected;
    expect([detail.row, detail.col]).to.deep.equal([1, 2]);
    expect(detail.code).to.equal(r.codes[8 + 2]);
    await el.updateComplete;
    expect([detailOf(el)['row'], detailOf(el)['column']]).to.deep.equal(['1', '2']);
    expect(announcement(el)).to.match(/Selected\. Row 1, column 2/);
    await press(el, 'End');
    await press(el, 'ArrowDown');
    selected = nextEvent<QuantSelectDetail>(el, 'quant-select');
    await press(el, ' ');
    ({ detail } = await selected);
    expect([detail.row, detail.col]).to.deep.equal([2, 7]);
    expect(el.selectedCell).to.deep.equal({ row: 2, col: 7 });
    canvas.blur();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.mark.cursor')).to.not.exist;
  });

  it('thresholds, error and palette are view-only: the same result, no quant-result, no quantization', async () => {
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap loading="eager" shape="16x16" bits="5" granularity="channel"></quant-heatmap>`,
    );
    await ready(el);
    el.selectCell(3, 4);
    await el.updateComplete;
    const abs = absErrors(el);
    const rel = relativeErrors(el);
    await viewChange(el, () => (el.thresholds = [0.004, 0.02]));
    expect(el.getAttribute('thresholds')).to.equal('0.004 0.02');
    expect(legendBands(el)).to.deep.include(expectedBands(abs, [0.004, 0.02]));
    await viewChange(el, () => el.setAttribute('error', 'relative'));
    expect(el.errorMode).to.equal('relative');
    expect(legendBands(el)).to.deep.include(expectedBands(rel, [0.004, 0.02]));
    expect(part(el, 'legend')!.getAttribute('aria-label')).to.contain('/ scale');
    expect(announcement(el)).to.contain('Row 3, column 4');
    expect(selectedErrors(el)).to.deep.equal(rel);
    await viewChange(el, () => (el.thresholds = [0.1, 0.3]));
    expect(legendBands(el)).to.deep.include(expectedBands(rel, [0.1, 0.3]));
    await viewChange(el, () => (el.errorMode = 'abs'));
    expect(el.getAttribute('error')).to.equal('abs');
    expect(legendBands(el)).to.deep.include(expectedBands(abs, [0.1, 0.3]));
    const before = pixel(el, 0, 0);
    await viewChange(el, () => el.setAttribute('palette', 'colorblind'));
    expect(pixel(el, 0, 0)).to.not.deep.equal(before);
    await viewChange(el, () => el.removeAttribute('palette'));
    expect(pixel(el, 0, 0)).to.deep.equal(before);
    // the error control is view-only too
    const select = part(el, 'controls')!.querySelector('select')!;
    await viewChange(el, () => {
      select.value = 'relative';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(el.errorMode).to.equal('relative');
    expect(legendBands(el)).to.deep.include(expectedBands(rel, [0.1, 0.3]));
  });

  it('draws from the config of the result it shows, not from live attributes', async () => {
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap
        loading="eager"
        shape="8x12"
        bits="4"
        granularity="group"
        group-size="4"
        error="relative"
        thresholds="0.2 0.4"
      ></quant-heatmap>`,
    );
    const old = await ready(el);
    el.selectCell(5, 9);
    await el.updateComplete;
    const oldRelative = relativeErrors(el);
    const oldBands = expectedBands(oldRelative, [0.2, 0.4]);
    expect(legendBands(el)).to.deep.include(oldBands);
    const oldDetail = detailOf(el);
    expect(num(oldDetail['error / scale'])).to.be.closeTo(oldRelative[5 * 12 + 9], 1e-3);
    const oldPixels = [...Array(12).keys()].map((col) => pixel(el, 5, col));
    // New config set, its quantization held: the view still shows the old result with its config.
    const hold = holdQuantize(el);
    try {
      el.granularity = 'channel';
      el.bits = 6;
      await el.updateComplete;
      expect(hold.calls).to.equal(1);
      expect(el.result).to.equal(old);
      expect(part(el, 'controls')!.querySelector('output')!.textContent).to.equal('6'); // controls are live
      expect(legendBands(el)).to.deep.include(oldBands);
      expect(detailOf(el)).to.deep.equal(oldDetail);
      expect([...Array(12).keys()].map((col) => pixel(el, 5, col))).to.deep.equal(oldPixels);
      expect(selectedErrors(el)).to.deep.equal(oldRelative);
    } finally {
      hold.release();
    }
    await nextEvent(el, 'quant-result');
    await el.updateComplete;
    const r = el.result!;
    expect(r.config).to.deep.include({ granularity: 'channel', bits: 6 });
    expect(r.scale.length).to.equal(8);
    const relative = relativeErrors(el);
    expect(legendBands(el)).to.deep.include(expectedBands(relative, [0.2, 0.4]));
    expect(num(detailOf(el)['error / scale'])).to.be.closeTo(relative[5 * 12 + 9], 1e-3);
    expect(selectedErrors(el)).to.deep.equal(relative);
  });

  const badValues: [attribute: string, good: string, bad: string[], allowed: string][] = [
    [
      'thresholds',
      '0.002 0.02',
      ['0.01 0.001', 'abc', '0.1', '-1 2', '0.01 0.01', '1 2 3', '<b>x</b> 1', '0 1e999', ''],
      'two increasing numbers ≥ 0',
    ],
    ['error', 'relative', ['squared', 'ABS', ''], 'abs or relative'],
    ['palette', 'colorblind', ['rainbow', ''], 'default or colorblind'],
  ];
  for (const [attribute, good, bads, allowed] of badValues) {
    it(`rejects bad ${attribute} values with an alert and quant-error, keeps the last value and recovers`, async () => {
      const el = await fixture<QuantHeatmap>(
        html`<quant-heatmap loading="eager" shape="8x8" bits="4"></quant-heatmap>`,
      );
      await ready(el);
      await viewChange(el, () => el.setAttribute(attribute, good));
      const property = attribute === 'error' ? 'errorMode' : attribute;
      const kept = (el as unknown as Record<string, unknown>)[property];
      const legend = part(el, 'legend')!.textContent;
      const pixels = pixel(el, 2, 3);
      for (const bad of bads) {
        const failed = nextEvent<QuantErrorDetail>(el, 'quant-error');
        await viewChange(el, () => el.setAttribute(attribute, bad));
        const { detail } = await failed;
        expect(detail.code, bad).to.equal('invalid-attribute');
        expect(detail.attribute).to.equal(attribute);
        expect(el.error!.attribute).to.equal(attribute);
        const alert = part(el, 'error')!;
        expect(alert.getAttribute('role')).to.equal('alert');
        expect(alert.textContent).to.contain(`${attribute}="${bad}"`);
        expect(alert.textContent).to.contain(allowed);
        expect(alert.querySelector('b')).to.not.exist;
        expect((el as unknown as Record<string, unknown>)[property], bad).to.deep.equal(kept);
        expect(part(el, 'legend')!.textContent).to.equal(legend);
        expect(pixel(el, 2, 3)).to.deep.equal(pixels);
      }
      await viewChange(el, () => el.removeAttribute(attribute));
      expect(part(el, 'error')).to.not.exist;
      expect(el.error).to.equal(null);
      expect(el.hasAttribute(attribute)).to.equal(false);
    });
  }

  it('rejects a bad thresholds property like the attribute', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager" shape="8x8"></quant-heatmap>`);
    await ready(el);
    const failed = nextEvent<QuantErrorDetail>(el, 'quant-error');
    await viewChange(el, () => (el.thresholds = [0.01, 0.001]));
    expect((await failed).detail.attribute).to.equal('thresholds');
    expect(el.thresholds).to.deep.equal([0.001, 0.01]);
    await viewChange(el, () => (el.thresholds = [0, 0.5]));
    expect(el.error).to.equal(null);
    expect(el.getAttribute('thresholds')).to.equal('0 0.5');
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
    const x = el.data!.values;
    const expected = Float32Array.from(
      r.dequantized,
      (d, i) => Math.abs(x[i] - d) / r.scale[Math.floor(i / 32)],
    );
    const shown = selectedErrors(el);
    let clipped = 0;
    for (let i = 0; i < expected.length; i++) {
      expect(shown[i], `cell ${i}`).to.be.closeTo(expected[i], 1e-6 * Math.max(1, expected[i]));
      if (r.clipped[i]) {
        clipped++;
        expect(pixel(el, Math.floor(i / 32), i % 32)).to.deep.equal([1, 2, 3, 255]);
      } else {
        expect(expected[i], `cell ${i}`).to.be.at.most(0.5 + 1e-5);
        expect(pixel(el, Math.floor(i / 32), i % 32)).to.not.deep.equal([1, 2, 3, 255]);
      }
    }
    expect(clipped).to.be.greaterThan(0);
    expect(clipped).to.equal(Math.round(r.stats.clippedFraction * 1024));
    expect(legendBands(el)).to.deep.equal({ ...expectedBands(expected, [0.1, 0.4]), clipped });
  });

  for (const cols of [24, 20]) {
    it(`relative error divides by the scale of the cell’s own group (6×${cols}, groups of 8)`, async () => {
      const el = await fixture<QuantHeatmap>(
        html`<quant-heatmap
          loading="eager"
          shape=${`6x${cols}`}
          bits="3"
          granularity="group"
          group-size="8"
          error="relative"
        ></quant-heatmap>`,
      );
      const r = await ready(el);
      // 3 groups a row; with 20 columns each row ends with a group of 4 (SPEC §3 rev. 2).
      expect(r.scale.length).to.equal(18);
      const x = el.data!.values;
      const group = (i: number) => Math.floor(i / cols) * 3 + Math.floor((i % cols) / 8);
      const expected = Float32Array.from(r.dequantized, (d, i) => Math.abs(x[i] - d) / r.scale[group(i)]);
      expect(selectedErrors(el)).to.deep.equal(expected);
      el.selectCell(5, cols - 1);
      await el.updateComplete;
      expect(num(detailOf(el)['error / scale'])).to.be.closeTo(expected[6 * cols - 1], 1e-3);
    });
  }

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
    const r = await ready(el);
    const clipped = r.clipped.reduce((a, b) => a + b, 0);
    expect(clipped).to.be.greaterThan(0);
    expect(clipped).to.equal(Math.round(r.stats.clippedFraction * 1024));
    expect(legendBands(el).clipped).to.equal(clipped);
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
    expect(flat.shape).to.deep.equal([4]);
    expect([grid(b).width, grid(b).height]).to.deep.equal([4, 1]);
    const bands = legendBands(b);
    expect(bands.low + bands.mid + bands.high).to.equal(4);
    expect(bands).to.deep.include(expectedBands(absErrors(b), [0.001, 0.01]));
  });

  it('is accessible, with and without a selection', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager"></quant-heatmap>`);
    await ready(el);
    await expect(el).to.be.accessible();
    grid(el).focus();
    await press(el, 'ArrowDown');
    await press(el, 'Enter');
    expect(el.selectedCell).to.deep.equal({ row: 1, col: 0 });
    await expect(el).to.be.accessible();
    const canvas = grid(el);
    expect(canvas.getAttribute('aria-label')).to.match(/32 rows by 32 columns/);
  });
});
