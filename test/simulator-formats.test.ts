import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-simulator/quant-simulator.js';
import type { QuantSimulator } from '../src/components/quant-simulator/quant-simulator.js';
import {
  codeSegments,
  elementName,
  type NumberFormat,
} from '../src/components/quant-simulator/quant-simulator.formats.js';
import { FORMATS } from '../src/core/fields.js';
import { referenceQuantize } from '../src/core/index.js';
import type { QuantChangeDetail, QuantErrorDetail } from '../src/internal/events.js';
import { after, holdQuantize, idle, part } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';

const NUMBER_FORMATS = FORMATS.filter((f): f is NumberFormat => f !== 'int');

/** Bits per field as SPEC §3.1 lays them out: sign · exponent · mantissa, or one run. */
const FIELD_BITS: Record<NumberFormat, number[]> = {
  fp16: [1, 5, 10],
  bf16: [1, 8, 7],
  'fp8-e4m3': [1, 4, 3],
  'fp8-e5m2': [1, 5, 2],
  'fp4-e2m1': [1, 2, 1],
  nf4: [4],
  mxfp4: [1, 2, 1],
  mxfp8: [1, 4, 3],
  mxint8: [8],
};

async function ready(template: ReturnType<typeof html>): Promise<QuantSimulator> {
  const el = await fixture<QuantSimulator>(template);
  if (!el.result) await nextEvent(el, 'quant-ready');
  return el;
}

const text = (node: Element | null) => node!.textContent!.replace(/\s+/g, ' ').trim();
const codeCells = (el: QuantSimulator) => [
  ...el.shadowRoot!.querySelectorAll('table')[1].querySelectorAll('td'),
];
const formatSelect = (el: QuantSimulator) =>
  [...el.shadowRoot!.querySelectorAll('select')].find((s) =>
    s.closest('label')!.textContent!.includes('format'),
  )!;

describe('<quant-simulator> number formats', () => {
  for (const format of NUMBER_FORMATS) {
    it(`${format}: codes as the format's bit fields, the formula in its terms, no zero-point`, async () => {
      const el = await ready(
        html`<quant-simulator loading="eager" shape="4x8" format=${format}></quant-simulator>`,
      );
      expect(el.error).to.equal(null);
      const r = el.result!;
      expect(r.config.format).to.equal(format);
      const want = referenceQuantize(el.data!.values, [4, 8], r.config);
      expect(Array.from(r.codes)).to.deep.equal(Array.from(want.codes));
      // every code cell reads as its bit fields, each field in its coloured span
      const cells = codeCells(el);
      expect(cells.map((td) => text(td))).to.deep.equal(
        Array.from(r.codes, (c) =>
          codeSegments(format, c)
            .map((s) => s.text)
            .join(' '),
        ),
      );
      // independently of the model: the field widths, and the bits read back as the code
      cells.forEach((td, i) => {
        const fields = text(td).split(' ');
        expect(fields.map((f) => f.length)).to.deep.equal(FIELD_BITS[format]);
        expect(parseInt(fields.join(''), 2)).to.equal(r.codes[i]);
      });
      const roles = [...cells[0].querySelectorAll('.bits > span')].map((s) => s.className);
      expect(roles).to.deep.equal(
        format === 'nf4' || format === 'mxint8' ? ['bits'] : ['sign', 'exponent', 'mantissa'],
      );
      // a key names each coloured field in its colour (formats with one run of bits have none)
      const key = el.shadowRoot!.querySelector('.bit-key');
      if (roles[0] === 'bits') expect(key).to.equal(null);
      else {
        const entries = [...key!.querySelectorAll('.field')];
        expect(entries.map((e) => text(e))).to.deep.equal(roles);
        entries.forEach((e, k) => {
          const field = cells[0].querySelectorAll('.bits > span')[k];
          expect(getComputedStyle(e.querySelector('.swatch')!).backgroundColor).to.equal(
            getComputedStyle(field).color,
          );
        });
      }
      expect(text(el.shadowRoot!.querySelectorAll('figcaption')[1])).to.contain(
        format === 'nf4' ? 'NF4' : elementName(format),
      );
      // the formula explains element 5 (row 0, column 5) with the result's own numbers
      cells[5].click();
      await el.updateComplete;
      const formula = text(part(el, 'formula'));
      expect(formula).to.contain('row 0, column 5');
      const bits = codeSegments(format, r.codes[5])
        .map((s) => s.text)
        .join(' ');
      expect(formula).to.contain(`= ${bits}`);
      if (format === 'nf4') expect(formula).to.contain(`L[${r.codes[5]}]`);
      else if (format === 'mxint8') expect(formula).to.contain('q = round(x / X · 64)');
      // rounds to the nearest element value, or names the saturation when |x / X| is past the largest
      else expect(formula).to.match(new RegExp(`(nearest|saturates at) ${elementName(format)} value`));
      if (format.startsWith('mx')) expect(formula).to.contain(`E8M0 byte e + 127 = ${r.scaleCodes![0]}`);
      if (format === 'fp16' || format === 'bf16') expect(formula).to.contain('a plain cast: no scale');
      expect(formula).to.not.contain('round(r / s)'); // not the int formula
      const params = text(part(el, 'params'));
      expect(params).to.contain('no zero-point');
      expect(params).to.not.contain('z=');
      expect(text(part(el, 'metrics'))).to.contain(r.stats.bitsPerWeight.toFixed(2));
    });
  }

  it('MX: the params show each block’s 2^e and E8M0 byte; MX blocks ignore the granularity', async () => {
    const el = await ready(
      html`<quant-simulator
        loading="eager"
        shape="4x64"
        format="mxfp4"
        granularity="channel"
      ></quant-simulator>`,
    );
    const r = el.result!;
    expect(r.scale.length).to.equal(8); // two blocks of 32 per row, whatever the granularity says
    const params = text(part(el, 'params'));
    expect(params).to.contain('8 blocks of 32 (MX)');
    for (const code of Array.from(r.scaleCodes!)) expect(params).to.contain(`(E8M0 ${code})`);
    const sups = [...part(el, 'params')!.querySelectorAll('sup')].map((s) =>
      s.textContent!.replace('−', '-'),
    );
    expect(sups.map(Number)).to.deep.equal(Array.from(r.scaleCodes!, (c) => c - 127));
    // too large to click: the picker chooses the element; row 2, column 40 is block 2 · 2 + 1
    expect(el.shadowRoot!.querySelectorAll('table[role=grid]').length).to.equal(0);
    const [row, col] = el.shadowRoot!.querySelectorAll<HTMLInputElement>('.picker input');
    row.value = '2';
    row.dispatchEvent(new Event('change'));
    await el.updateComplete;
    col.value = '40';
    col.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const formula = text(part(el, 'formula'));
    expect(formula).to.contain('row 2, column 40 (block 5)');
    expect(formula).to.contain(`= ${r.scaleCodes![5]} =`);
    expect(text(part(el, 'matrices'))).to.contain('of 16 mxfp4 bit patterns used');
  });

  it('the format control emits quant-change with the format and applies it; back to int restores the int view', async () => {
    const el = await ready(
      html`<quant-simulator loading="eager" controls="format bits scheme"></quant-simulator>`,
    );
    const intCodes = codeCells(el).map((td) => text(td));
    const slider = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=range]')!;
    expect(slider.matches(':disabled')).to.equal(false);
    const select = formatSelect(el);
    expect([...select.options].map((o) => o.value)).to.deep.equal([...FORMATS]);
    const change = nextEvent<QuantChangeDetail>(el, 'quant-change');
    const computed = nextEvent(el, 'quant-result');
    select.value = 'fp4-e2m1';
    select.dispatchEvent(new Event('change'));
    expect((await change).detail).to.deep.equal({
      bits: 8,
      scheme: 'affine',
      granularity: 'tensor',
      groupSize: 32,
      rounding: 'half-even',
      calibration: 'minmax',
      percentile: 99.9,
      format: 'fp4-e2m1',
    });
    await computed;
    expect(el.getAttribute('format')).to.equal('fp4-e2m1');
    expect(el.result!.config.format).to.equal('fp4-e2m1');
    expect(text(codeCells(el)[0])).to.match(/^[01] [01]{2} [01]$/);
    // int-only controls are disabled, and a note says why
    const bitsNow = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=range]')!;
    expect(bitsNow.matches(':disabled')).to.equal(true);
    for (const radio of el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=radio]'))
      expect(radio.matches(':disabled')).to.equal(true);
    expect(text(el.shadowRoot!.querySelector('.note'))).to.contain('bits and scheme are int-only settings');
    expect(formatSelect(el).matches(':disabled')).to.equal(false);
    // back to int: the int view as before
    const back = nextEvent<QuantChangeDetail>(el, 'quant-change');
    const computed2 = nextEvent(el, 'quant-result');
    formatSelect(el).value = 'int';
    formatSelect(el).dispatchEvent(new Event('change'));
    expect((await back).detail.format).to.equal('int');
    await computed2;
    expect(codeCells(el).map((td) => text(td))).to.deep.equal(intCodes);
    expect(text(el.shadowRoot!.querySelectorAll('figcaption')[1])).to.equal('Integer codes [0, 255]');
    expect(text(part(el, 'formula'))).to.contain('round(r / s) + z');
    expect(text(part(el, 'params'))).to.contain('z=');
    expect(el.shadowRoot!.querySelector('.note')).to.equal(null);
    expect(
      el.shadowRoot!.querySelector<HTMLInputElement>('input[type=range]')!.matches(':disabled'),
    ).to.equal(false);
  });

  it('granularity is disabled only where the format fixes its blocks (MX, fp16/bf16)', async () => {
    const el = await ready(
      html`<quant-simulator loading="eager" controls="format granularity" format="nf4"></quant-simulator>`,
    );
    const granularity = () =>
      [...el.shadowRoot!.querySelectorAll('select')].find((s) =>
        s.closest('label')!.textContent!.includes('granularity'),
      )!;
    expect(granularity().matches(':disabled')).to.equal(false);
    expect(el.shadowRoot!.querySelector('.note')).to.equal(null); // nothing shown is inapplicable
    for (const format of ['mxint8', 'bf16'] as const) {
      await after(el, () => (el.format = format));
      expect(granularity().matches(':disabled'), format).to.equal(true);
      expect(text(el.shadowRoot!.querySelector('.note'))).to.contain('granularity does not apply');
    }
  });

  it('views render from the result: a format change shows nothing new until its result lands', async () => {
    const el = await ready(html`<quant-simulator loading="eager" controls="format"></quant-simulator>`);
    const before = text(part(el, 'formula'));
    const held = holdQuantize(el);
    el.format = 'nf4';
    await el.updateComplete;
    expect(formatSelect(el).value).to.equal('nf4'); // the control: live
    expect(text(part(el, 'formula'))).to.equal(before); // the view: what was computed
    expect(text(el.shadowRoot!.querySelectorAll('figcaption')[1])).to.contain('Integer codes');
    const landed = nextEvent(el, 'quant-result');
    held.release();
    await landed;
    expect(text(part(el, 'formula'))).to.contain('nearest level L[');
  });

  for (const value of ['fp8', 'FP4-E2M1', 'int4', '<b>nf4</b>']) {
    it(`rejects format="${value}" visibly, keeps the last valid format, and recovers`, async () => {
      const el = await ready(html`<quant-simulator loading="eager" format="nf4"></quant-simulator>`);
      const before = el.result;
      const errorEvent = nextEvent<QuantErrorDetail>(el, 'quant-error');
      el.setAttribute('format', value);
      const { detail } = await errorEvent;
      expect(detail).to.include({ code: 'invalid-attribute', attribute: 'format' });
      await el.updateComplete;
      const shown = part(el, 'error')!;
      expect(shown.getAttribute('role')).to.equal('alert');
      expect(shown.textContent).to.contain(`format="${value}"`);
      expect(shown.textContent).to.contain('fp4-e2m1');
      expect(shown.querySelector('b')).to.equal(null); // attribute text stays text
      expect(el.format).to.equal('nf4');
      expect(await idle(el)).to.equal(true);
      expect(el.result).to.equal(before);
      await after(el, () => el.setAttribute('format', 'mxfp8'));
      expect(part(el, 'error')).to.equal(null);
      expect(el.error).to.equal(null);
      expect(el.result!.config.format).to.equal('mxfp8');
    });
  }

  it('is accessible with a number format and disabled int-only controls', async () => {
    for (const format of ['fp8-e4m3', 'mxfp4']) {
      const el = await ready(
        html`<quant-simulator
          loading="eager"
          format=${format}
          controls="format bits scheme granularity rounding calibration"
        ></quant-simulator>`,
      );
      await expect(el).to.be.accessible();
    }
    const large = await ready(
      html`<quant-simulator loading="eager" format="nf4" shape="4x32" controls="format"></quant-simulator>`,
    );
    await expect(large).to.be.accessible(); // the row / column picker is labelled
  });

  it('too big to show whole (the demo’s 4×32): the selected element’s 32 values of its row, codes as bit fields', async () => {
    const el = await ready(
      html`<quant-simulator
        loading="eager"
        shape="4x32"
        format="fp4-e2m1"
        controls="format"
      ></quant-simulator>`,
    );
    const strip = el.shadowRoot!.querySelector('.strip')!;
    expect(strip).to.not.equal(null);
    const rows = [...strip.querySelectorAll('tr')];
    expect(rows.map((tr) => tr.querySelector('th')!.textContent)).to.deep.equal([
      'value',
      'code',
      'dequantized',
    ]);
    const codes = [...rows[1].querySelectorAll('td')];
    expect(codes).to.have.length(32);
    const r = el.result!;
    // row 0: the first 32 codes, each as E2M1's sign · exponent · mantissa (1 + 2 + 1 bits)
    codes.forEach((td, k) => {
      const fields = [...td.querySelectorAll('.bits > span')].map((s) => s.textContent);
      expect(fields.map((f) => f!.length)).to.deep.equal([1, 2, 1]);
      expect(parseInt(fields.join(''), 2)).to.equal(r.codes[k]);
    });
    // another row: the strip follows the selection
    const row = el.shadowRoot!.querySelector<HTMLInputElement>('.picker input')!;
    row.value = '2';
    row.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.strip figcaption')!.textContent).to.contain('Row 2, columns 0–31');
    const after2 = [...el.shadowRoot!.querySelectorAll('.strip tr')[1].querySelectorAll('td')];
    expect(parseInt(after2[5].textContent!.replace(/\s/g, ''), 2)).to.equal(r.codes[2 * 32 + 5]);
    await expect(el).to.be.accessible();
  });
});
