/**
 * <quant-heatmap> with number formats (SPEC §2.1 `format`, §2.2 `error`, §3.1): every format
 * renders, relative error is in local steps, the selected cell's numbers are the format's, a bad
 * format is reported and recovered from, the format control recomputes, a11y.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-heatmap/quant-heatmap.js';
import type { HeatmapResult, QuantHeatmap } from '../src/components/quant-heatmap/quant-heatmap.js';
import { codeBits, localStep } from '../src/components/quant-heatmap/quant-heatmap.steps.js';
import type { Format } from '../src/core/config.js';
import type { QuantErrorDetail, QuantSelectDetail } from '../src/internal/events.js';
import { holdQuantize } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';
import { OTHER_FORMATS } from './shared/format-cases.js';

type NumberFormat = Exclude<Format, 'int'>;
const f = Math.fround;

async function ready(el: QuantHeatmap): Promise<HeatmapResult> {
  if (!el.result) await nextEvent(el, 'quant-ready', 30000);
  await el.updateComplete;
  return el.result!;
}

// Assertions compare nodes with null: chai formatting a failing DOM node here hangs the page.
const part = (el: QuantHeatmap, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const grid = (el: QuantHeatmap) => part(el, 'grid') as HTMLCanvasElement;

function detailOf(el: QuantHeatmap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of part(el, 'detail')!.querySelectorAll('dl > div'))
    out[row.querySelector('dt')!.textContent!.trim()] = row.querySelector('dd')!.textContent!.trim();
  return out;
}
const num = (text: string) => Number(text.replace(/−/g, '-'));

function legendTotal(el: QuantHeatmap): number {
  const legend = part(el, 'legend')!;
  return ['low', 'mid', 'high']
    .map((b) =>
      Number(legend.querySelector(`[data-band=${b}]`)!.textContent!.split(' ')[0].replace(/,/g, '')),
    )
    .reduce((a, b) => a + b);
}

/** quant-select's detail for a cell (selectCell emits synchronously). */
function select(el: QuantHeatmap, row: number, col: number): QuantSelectDetail {
  let detail: QuantSelectDetail | null = null;
  const record = (e: Event) => (detail = (e as CustomEvent<QuantSelectDetail>).detail);
  el.addEventListener('quant-select', record);
  el.selectCell(row, col);
  el.removeEventListener('quant-select', record);
  return detail!;
}

/** The block of a cell, written out here from SPEC §3 / §3.1 (not from the element's model). */
function blockOfCell(r: HeatmapResult, i: number): number {
  const cols = r.shape[r.shape.length - 1];
  const [row, col] = [Math.floor(i / cols), i % cols];
  const { format, granularity, groupSize } = r.config;
  if (format === 'fp16' || format === 'bf16') return 0;
  const size = format.startsWith('mx') ? 32 : granularity === 'group' ? groupSize : 0;
  if (size) return row * Math.ceil(cols / size) + Math.floor(col / size);
  return granularity === 'channel' ? row : 0;
}

/** |x − x̂| / (the gap around x / s, times s): SPEC §2.2 for number formats. */
function expectedRelative(el: QuantHeatmap, i: number): number {
  const r = el.result!;
  const x = el.data!.values;
  const s = r.scale[blockOfCell(r, i)];
  const step = localStep(r.config.format as NumberFormat, f(x[i] * f(1 / s)), r.levels) * s;
  return Math.abs(x[i] - r.dequantized[i]) / step;
}

describe('quant-heatmap with number formats', () => {
  for (const format of OTHER_FORMATS) {
    it(`renders ${format}: canvas painted, legend sums to n, no error`, async () => {
      const el = await fixture<QuantHeatmap>(
        html`<quant-heatmap
          loading="eager"
          shape="6x40"
          format=${format}
          granularity="group"
          group-size="16"
        ></quant-heatmap>`,
      );
      const r = await ready(el);
      expect(r.config.format).to.equal(format);
      expect(r.levels!.length).to.be.greaterThan(0);
      expect(el.error).to.equal(null);
      expect(part(el, 'error')?.textContent ?? null).to.equal(null);
      const canvas = grid(el);
      expect([canvas.width, canvas.height]).to.deep.equal([40, 6]);
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, 40, 6).data;
      for (let p = 3; p < pixels.length; p += 4)
        expect(pixels[p], `alpha of pixel ${(p - 3) / 4}`).to.equal(255);
      expect(legendTotal(el)).to.equal(240);
      const scales = format.startsWith('mx') ? 6 * 2 : format.endsWith('16') ? 1 : 6 * 3;
      expect(r.scale.length).to.equal(scales);
    });
  }

  for (const format of ['fp4-e2m1', 'nf4', 'mxfp4', 'bf16', 'fp8-e4m3'] as const) {
    it(`error="relative" on ${format} is in local steps: ≤ ½ where not clipped`, async () => {
      const el = await fixture<QuantHeatmap>(
        html`<quant-heatmap
          loading="eager"
          device="wasm"
          shape="8x48"
          format=${format}
          granularity="group"
          group-size="32"
          error="relative"
        ></quant-heatmap>`,
      );
      const r = await ready(el);
      expect(part(el, 'legend')!.getAttribute('aria-label')).to.contain('/ local step');
      let top = 0;
      for (let i = 0; i < r.codes.length; i += 5) {
        const shown = select(el, Math.floor(i / 48), i % 48).error;
        const expected = expectedRelative(el, i);
        expect(shown, `cell ${i}`).to.be.closeTo(expected, 1e-6 * Math.max(1, expected));
        if (r.clipped[i]) continue;
        expect(shown, `cell ${i}`).to.be.at.most(0.5 + 1e-6);
        top = Math.max(top, shown);
      }
      expect(top, 'a step twice too large keeps every error under ¼').to.be.greaterThan(0.3);
    });
  }

  it('shows the selected cell’s numbers in the format’s terms; quant-select keeps its shape', async () => {
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap loading="eager" shape="4x64" format="mxfp4" error="relative"></quant-heatmap>`,
    );
    const r = await ready(el);
    const i = 2 * 64 + 37;
    const detail = select(el, 2, 37);
    expect(Object.keys(detail).sort()).to.deep.equal(['code', 'col', 'dequantized', 'error', 'row', 'value']);
    expect(detail.code).to.equal(r.codes[i]);
    expect(detail.dequantized).to.equal(r.dequantized[i]);
    await el.updateComplete;
    const shown = detailOf(el);
    expect(shown['code']).to.equal(codeBits('mxfp4', r.codes[i]));
    expect(shown['code']).to.match(/^[01] [01]{2} [01]$/);
    const block = 2 * 2 + 1;
    expect(shown['block scale s']).to.match(
      new RegExp(`^2\\^${String(r.scaleCodes![block] - 127).replace('-', '−')} = `),
    );
    expect(num(shown['error / step'])).to.be.closeTo(detail.error, 1e-3 * Math.max(detail.error, 1e-3));
    expect(shown['local step']).to.match(/ · s = /);

    el.setAttribute('format', 'nf4');
    await nextEvent(el, 'quant-result');
    await el.updateComplete;
    const nf = el.result!;
    expect(detailOf(el)['code']).to.equal(`${nf.codes[i]} (${nf.codes[i].toString(2).padStart(4, '0')})`);
    expect(detailOf(el)['block scale s']).to.not.contain('2^');
  });

  it('shows the numbers of the result’s format while a new format is computing', async () => {
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap loading="eager" shape="4x32" format="fp4-e2m1" error="relative"></quant-heatmap>`,
    );
    const old = await ready(el);
    el.selectCell(1, 3);
    await el.updateComplete;
    const before = detailOf(el);
    const hold = holdQuantize(el);
    try {
      el.format = 'bf16';
      await el.updateComplete;
      expect(el.result).to.equal(old);
      expect(detailOf(el)).to.deep.equal(before);
    } finally {
      hold.release();
    }
    await nextEvent(el, 'quant-result');
    await el.updateComplete;
    expect(detailOf(el)['code']).to.match(/^[01] [01]{8} [01]{7}$/);
    expect(detailOf(el)['block scale s']).to.equal('1 (none)');
  });

  it('rejects a bad format with an alert and quant-error, keeps the last one and recovers', async () => {
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap loading="eager" shape="8x8" format="nf4"></quant-heatmap>`,
    );
    const r = await ready(el);
    for (const bad of ['fp7', 'NF4', '<b>x</b>', '']) {
      const failed = nextEvent<QuantErrorDetail>(el, 'quant-error');
      el.setAttribute('format', bad);
      const { detail } = await failed;
      await el.updateComplete;
      expect(detail.code).to.equal('invalid-attribute');
      expect(detail.attribute).to.equal('format');
      const alert = part(el, 'error')!;
      expect(alert.getAttribute('role')).to.equal('alert');
      expect(alert.textContent).to.contain(`format="${bad}"`);
      expect(alert.textContent).to.contain('mxfp4');
      expect(alert.querySelector('b') === null, 'no <b> element').to.equal(true);
      expect(el.format).to.equal('nf4');
      expect(el.result!.config.format).to.equal('nf4');
    }
    expect(el.result).to.equal(r);
    const next = nextEvent(el, 'quant-result');
    el.setAttribute('format', 'fp8-e5m2');
    await next;
    await el.updateComplete;
    expect(part(el, 'error')?.textContent ?? null).to.equal(null);
    expect(el.result!.config.format).to.equal('fp8-e5m2');
  });

  it('the format control emits quant-change with the format and recomputes; bits hide for formats', async () => {
    const el = await fixture<QuantHeatmap>(html`<quant-heatmap loading="eager" shape="8x8"></quant-heatmap>`);
    await ready(el);
    const controls = part(el, 'controls')!;
    expect(controls.querySelector('input[type=range]')).to.exist;
    const select = [...controls.querySelectorAll('select')].find((s) =>
      [...s.options].some((o) => o.value === 'nf4'),
    )!;
    select.value = 'fp8-e4m3';
    const changed = nextEvent<{ format: Format }>(el, 'quant-change');
    const result = nextEvent(el, 'quant-result');
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect((await changed).detail.format).to.equal('fp8-e4m3');
    await result;
    await el.updateComplete;
    expect(el.getAttribute('format')).to.equal('fp8-e4m3');
    expect(el.result!.config.format).to.equal('fp8-e4m3');
    expect(controls.querySelector('input[type=range]') === null, 'bits slider hidden').to.equal(true);
  });

  it('is accessible with a format and a selection', async () => {
    const el = await fixture<QuantHeatmap>(
      html`<quant-heatmap
        loading="eager"
        format="nf4"
        granularity="group"
        group-size="64"
        error="relative"
      ></quant-heatmap>`,
    );
    await ready(el);
    await expect(el).to.be.accessible();
    el.selectCell(4, 9);
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
