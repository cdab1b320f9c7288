import './helpers/wasm-memory.js';
import { expect, fixture, html } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../src/components/quant-inference/quant-inference.js';
import type { InferenceResult, QuantInference } from '../src/components/quant-inference/quant-inference.js';
import { GALLERY_MAX } from '../src/components/quant-inference/quant-inference.views.js';
import type { QuantErrorDetail } from '../src/internal/events.js';
import { part } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';
import { wasmHeapBytes } from './helpers/wasm-memory.js';
import { gunzip } from '../src/models/load.js';

const manifest = (name: string) =>
  fetch(`/src/models/${name}.json`).then(
    (r) => r.json() as Promise<{ correctFloat: number; heldOutSize: number }>,
  );

/** An eager element and its first result. */
async function inference(template: ReturnType<typeof html>): Promise<[QuantInference, InferenceResult]> {
  const el = await fixture<QuantInference>(template);
  const r = el.result ?? (await nextEvent<InferenceResult>(el, 'quant-result', 60000)).detail;
  return [el, r];
}

/**
 * The pad's reading once it says `want` (it classifies live, so the first readings can be of a
 * stroke still being drawn), or the last reading after 10 s.
 */
async function padReading(el: QuantInference, want: string): Promise<string> {
  const text = () => el.shadowRoot!.querySelector('.pad-result p')?.textContent?.replace(/\s+/g, ' ') ?? '';
  const deadline = performance.now() + 10000;
  while (!text().includes(want) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return text();
}

/** Presses the mouse at the top of the pad and draws a vertical stroke down it; the button stays down. */
async function strokeDown(el: QuantInference): Promise<void> {
  const pad = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.pad')!;
  pad.scrollIntoView();
  const box = pad.getBoundingClientRect();
  const x = Math.round(box.left + box.width / 2);
  await sendMouse({ type: 'move', position: [x, Math.round(box.top + box.height * 0.15)] });
  await sendMouse({ type: 'down' });
  for (let t = 0.2; t <= 0.85; t += 0.05)
    await sendMouse({ type: 'move', position: [x, Math.round(box.top + box.height * t)] });
}

async function change(el: QuantInference, action: () => void): Promise<InferenceResult> {
  const done = nextEvent<InferenceResult>(el, 'quant-result', 30000);
  action();
  return (await done).detail;
}

describe('<quant-inference>', function () {
  this.timeout(120000);

  it('loads the trained digits model: float accuracy is the manifest’s; 8-bit per channel agrees', async () => {
    const [el, r] = await inference(
      html`<quant-inference loading="eager" granularity="channel"></quant-inference>`,
    );
    const m = await manifest('digits');
    expect(r.model).to.equal('digits');
    expect(r.heldOut).to.equal(m.heldOutSize);
    expect(Math.abs(r.accuracyFloat * m.heldOutSize - m.correctFloat)).to.be.at.most(2);
    expect(r.agreement).to.be.at.least(0.99);
    expect(r.maxLogitDiff).to.be.below(0.5);
    expect(r.layers).to.deep.equal([8, 8, 8]);
    expect(r.sensitivity).to.have.length(3);
    expect(r.bytesQuant).to.be.below(r.bytesFloat / 3);
    expect(r.flipped).to.equal(Math.round((1 - r.agreement) * r.heldOut));
    expect(el.result).to.equal(r);
    const r2 = await change(el, () => (el.bits = 2));
    expect(r2.agreement).to.be.below(r.agreement - 0.1);
    expect(r2.accuracyQuant).to.be.below(r.accuracyQuant);
  });

  it('the gallery shows every flipped digit (up to a cap, then "+N more"), each with a text alternative', async () => {
    const [el, r] = await inference(html`<quant-inference loading="eager" bits="3"></quant-inference>`);
    const items = el.shadowRoot!.querySelectorAll('[part~="gallery"] li');
    expect(r.flipped).to.be.greaterThan(0);
    expect(items.length).to.equal(Math.min(r.flipped, GALLERY_MAX));
    const more = el.shadowRoot!.querySelector('[part~="gallery"] .more');
    if (r.flipped > GALLERY_MAX) expect(more!.textContent).to.equal(`+${r.flipped - GALLERY_MAX} more`);
    else expect(more).to.equal(null);
    const first = items[0].querySelector('svg')!;
    expect(first.getAttribute('role')).to.equal('img');
    expect(first.getAttribute('aria-label')).to.match(
      /labelled \d: float \d \(\d+%\) → quantized \d \(\d+%\)/,
    );
    // each thumbnail is its flipped digit: its paths cover exactly that digit's inked pixels
    const gz = await (await fetch('/src/models/digits-heldout-images.bin.gz')).arrayBuffer();
    const pixels = new Uint8Array(await gunzip(gz));
    const showsItsDigit = (examples: InferenceResult['examples']) => {
      const svgs = el.shadowRoot!.querySelectorAll<SVGSVGElement>('[part~="gallery"] svg');
      return [...svgs].every((svg, i) => {
        const index = examples[i].index;
        const inked = [...svg.querySelectorAll('path')]
          .flatMap((p) => [...p.getAttribute('d')!.matchAll(/h(\d+)v1/g)])
          .reduce((sum, m) => sum + Number(m[1]), 0);
        const want = pixels.subarray(index * 784, (index + 1) * 784).filter((v) => v > 0).length;
        return svg.dataset.index === String(index) && inked === want;
      });
    };
    expect(showsItsDigit(r.examples)).to.equal(true);
    // in the theme's ink (not the SVG default black): a --quant-fg set on the page reaches it
    el.style.setProperty('--quant-fg', 'rgb(1, 2, 3)');
    expect(getComputedStyle(first).fill).to.equal('rgb(1, 2, 3)');
    el.style.removeProperty('--quant-fg');
    // at 6 bits per channel fewer flip: fewer items, no "+N more", each thumbnail redrawn for its digit
    const r6 = await change(el, () => Object.assign(el, { bits: 6, granularity: 'channel' }));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part~="gallery"] li').length).to.equal(
      Math.min(r6.flipped, GALLERY_MAX),
    );
    expect(r6.examples[0].index).to.not.equal(r.examples[0].index);
    expect(showsItsDigit(r6.examples)).to.equal(true);
  });

  it('layers="8 8 8" equals bits="8"; layers wins over bits; activations="4" changes the result', async () => {
    const [el, r] = await inference(html`<quant-inference loading="eager"></quant-inference>`);
    const same = await change(el, () => el.setAttribute('layers', '8 8 8'));
    expect([same.accuracyQuant, same.agreement, same.maxLogitDiff]).to.deep.equal([
      r.accuracyQuant,
      r.agreement,
      r.maxLogitDiff,
    ]);
    const mixed = await change(el, () => el.setAttribute('layers', '8 2 8'));
    expect(mixed.layers).to.deep.equal([8, 2, 8]);
    expect(mixed.agreement).to.be.below(r.agreement);
    // the bits slider changes bits only: layers still wins
    const still = await change(el, () => (el.bits = 4));
    expect(still.layers).to.deep.equal([8, 2, 8]);
    expect(still.agreement).to.equal(mixed.agreement);
    el.removeAttribute('layers');
    const act = await change(el, () => Object.assign(el, { bits: 8, activations: 4 }));
    expect(act.activations).to.equal(4);
    expect(act.agreement).to.be.below(r.agreement);
    expect(act.maxLogitDiff).to.be.above(r.maxLogitDiff);
    // each layer alone is quantized as in the model: its 4-bit input changes its accuracy too
    expect(act.sensitivity).to.not.deep.equal(r.sensitivity);
    expect(el.shadowRoot!.querySelector('[part="sensitivity"] figcaption')!.textContent).to.match(
      /its input at 4 bits/,
    );
  });

  it('the drawing pad reads a vertical stroke drawn with the mouse as 1, in both models', async () => {
    const [el] = await inference(html`<quant-inference loading="eager"></quant-inference>`);
    await strokeDown(el);
    await sendMouse({ type: 'up' });
    await resetMouse();
    expect(await padReading(el, 'Float reads 1, quantized reads 1')).to.contain(
      'Float reads 1, quantized reads 1',
    );
    expect(el.shadowRoot!.querySelectorAll('.pairs li')).to.have.length(10);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="pad"] button')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.pad-result')).to.equal(null);
  });

  it('the pad classifies live, while the stroke is still being drawn', async () => {
    const [el] = await inference(html`<quant-inference loading="eager"></quant-inference>`);
    try {
      await strokeDown(el);
      // the button is still down: the bars came from the moves alone
      expect(await padReading(el, 'Float reads 1')).to.contain('Float reads 1');
    } finally {
      await sendMouse({ type: 'up' });
      await resetMouse();
    }
  });

  it('the pad is operable from the keyboard: Space puts the pen down, arrows draw, Delete clears', async () => {
    const [el] = await inference(html`<quant-inference loading="eager"></quant-inference>`);
    const pad = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.pad')!;
    pad.scrollIntoView();
    pad.focus();
    expect(el.shadowRoot!.activeElement).to.equal(pad);
    expect(pad.getAttribute('tabindex')).to.equal('0');
    expect(pad.getAttribute('aria-label')).to.contain('Drawing pad');
    const keys = el.shadowRoot!.getElementById(pad.getAttribute('aria-describedby')!)!;
    expect(keys.textContent).to.contain('Space');
    // the pen starts at the top middle: down, then 12 steps down = a vertical stroke
    await sendKeys({ press: 'Space' });
    expect(el.shadowRoot!.querySelector('.pad-cursor')!.getAttribute('data-pen')).to.equal('down');
    for (let i = 0; i < 12; i++) await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Space' });
    expect(await padReading(el, 'Float reads 1, quantized reads 1')).to.contain(
      'Float reads 1, quantized reads 1',
    );
    // Delete empties the pad and takes the bars away
    await sendKeys({ press: 'Delete' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.pad-result')).to.equal(null);
    const ink = pad
      .getContext('2d')!
      .getImageData(0, 0, pad.width, pad.height)
      .data.filter((_, i) => i % 4 === 3);
    expect(ink.some((a) => a > 0)).to.equal(false);
  });

  it('number formats: nf4 in blocks of 64, fp16; the format control applies and emits quant-change', async () => {
    const [el, nf4] = await inference(
      html`<quant-inference
        loading="eager"
        format="nf4"
        granularity="group"
        group-size="64"
      ></quant-inference>`,
    );
    expect(nf4.config.format).to.equal('nf4');
    expect(nf4.layers).to.deep.equal([4, 4, 4]);
    // 4-bit codes and a float32 scale per block of 64 (a row of 784 ends with a block of 16)
    const blocks = [128 * 13, 64 * 2, 10 * 1];
    const shapes = [
      [128, 784],
      [64, 128],
      [10, 64],
    ] as const;
    const want = shapes.reduce((sum, [o, i], k) => sum + (o * i) / 2 + 4 * blocks[k] + 4 * o, 0);
    expect(nf4.bytesQuant).to.equal(want);
    expect(nf4.agreement).to.be.greaterThan(0.95);
    expect(part(el, 'controls')!.querySelector('#bits-slider')).to.equal(null); // bits apply to int only
    const fp16 = await change(el, () => (el.format = 'fp16'));
    expect(fp16.agreement).to.equal(1);
    expect(fp16.maxLogitDiff).to.be.below(0.05);
    expect(fp16.layers).to.deep.equal([16, 16, 16]);
    // the control: a user's choice applies and is announced with the full config
    const select = [...part(el, 'controls')!.querySelectorAll('label')]
      .find((l) => l.textContent!.includes('format'))!
      .querySelector('select')!;
    const changed = nextEvent<{ format: string; bits: number }>(el, 'quant-change');
    const done = nextEvent<InferenceResult>(el, 'quant-result', 30000);
    select.value = 'int';
    select.dispatchEvent(new Event('change'));
    expect((await changed).detail.format).to.equal('int');
    expect((await done).detail.layers).to.deep.equal([8, 8, 8]);
    expect(part(el, 'controls')!.querySelector('#bits-slider')).to.not.equal(null);
  });

  it('does not leak: 200 config changes (widths, granularity, activations, layers) leave the wasm heap where it was', async function () {
    this.timeout(300000);
    const [el] = await inference(html`<quant-inference loading="eager"></quant-inference>`);
    const configs = [
      { granularity: 'channel', activations: 'float', layers: undefined },
      { granularity: 'group', activations: 8, layers: undefined },
      { granularity: 'tensor', activations: 4, layers: [8, 2, 8] },
      { granularity: 'channel', activations: 'float', layers: [4, 4, 8] },
      { granularity: 'tensor', activations: 'float', layers: undefined, rounding: 'stochastic' },
      { granularity: 'tensor', activations: 'float', layers: undefined, rounding: 'half-even' },
    ] as const;
    const run = async (count: number) => {
      for (let i = 0; i < count; i++)
        await change(el, () => Object.assign(el, configs[i % configs.length], { bits: 2 + (i % 7) }));
    };
    await run(42); // every config at every width once: compiled kernels and kept sets in place
    const before = wasmHeapBytes();
    expect(before).to.be.greaterThan(0);
    await run(200);
    expect(wasmHeapBytes()).to.equal(before);
  });

  it('spirals: decision regions of both models, painted', async () => {
    const [el, r] = await inference(
      html`<quant-inference loading="eager" model="spirals" bits="3"></quant-inference>`,
    );
    const m = await manifest('spirals');
    expect(r.model).to.equal('spirals');
    expect(Math.abs(r.accuracyFloat * m.heldOutSize - m.correctFloat)).to.be.at.most(2);
    expect(r.regions!.float.length).to.equal(r.regions!.cells ** 2);
    const canvases = el.shadowRoot!.querySelectorAll<HTMLCanvasElement>(
      '[part~="regions"] canvas[data-regions]',
    );
    expect(canvases).to.have.length(2);
    for (const c of canvases) {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      expect(data.some((v, i) => i % 4 === 3 && v > 0)).to.equal(true);
      expect(c.getAttribute('aria-label')).to.contain('Decision regions');
    }
    expect(el.shadowRoot!.querySelector('[part~="gallery"]')).to.equal(null);
  });

  it('bad model, layers and activations: a named message, the last valid value kept, recovery', async () => {
    const [el, r] = await inference(html`<quant-inference loading="eager"></quant-inference>`);
    for (const [name, value] of [
      ['model', 'mnist'],
      ['layers', '8 8'],
      ['layers', '8 8 8 8'],
      ['layers', '8 1 8'],
      ['layers', '8 17 8'],
      ['activations', 'int8'],
      ['activations', '1'],
      ['qat-steps', '0'],
      ['qat-steps', '10001'],
      ['qat-steps', '2.5'],
      ['qat-lr', '-0.01'],
      ['qat-lr', '0'],
      ['qat-lr', 'fast'],
    ] as const) {
      const error = nextEvent<QuantErrorDetail>(el, 'quant-error');
      el.setAttribute(name, value);
      const e = (await error).detail;
      expect(e.code).to.equal('invalid-attribute');
      expect(e.attribute).to.equal(name);
      await el.updateComplete;
      const alert = part(el, 'error')!;
      expect(alert.getAttribute('role')).to.equal('alert');
      expect(alert.textContent).to.contain(`${name}="${value}"`);
      el.removeAttribute(name);
      await el.updateComplete;
      expect(part(el, 'error')).to.equal(null);
    }
    expect(el.model).to.equal('digits');
    expect(el.layers).to.equal(undefined);
    expect(el.activations).to.equal('float');
    expect([el.qatSteps, el.qatLr]).to.deep.equal([200, 0.001]);
    el.setAttribute('qat-steps', '50');
    expect(el.qatSteps).to.equal(50);
    el.setAttribute('qat-steps', 'x');
    expect(el.qatSteps).to.equal(50); // the last valid value
    el.removeAttribute('qat-steps');
    expect(el.result!.agreement).to.equal(r.agreement);
  });

  it('group: a bits change from another member drives it', async () => {
    const [el] = await inference(html`<quant-inference loading="eager" group="g"></quant-inference>`);
    const other = await fixture(html`<div group="g"></div>`);
    const r = await change(el, () =>
      other.dispatchEvent(
        new CustomEvent('quant-change', { detail: { bits: 3 }, bubbles: true, composed: true }),
      ),
    );
    expect(el.bits).to.equal(3);
    expect(r.config.bits).to.equal(3);
  });

  it('is accessible', async () => {
    const [el] = await inference(html`<quant-inference loading="eager" bits="4"></quant-inference>`);
    await expect(el).to.be.accessible();
  });
});
