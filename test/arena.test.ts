import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-arena/quant-arena.js';
import type { ArenaProgress, QuantArena } from '../src/components/quant-arena/quant-arena.js';
import { quantizedMatmul } from '../src/core/index.js';
import { headline, workedExample } from '../src/components/quant-arena/quant-arena.model.js';
import { sendKeys } from '@web/test-runner-commands';
import type { QuantErrorDetail } from '../src/internal/events.js';
import { part } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';

async function arena(template: ReturnType<typeof html>): Promise<QuantArena> {
  const el = await fixture<QuantArena>(template);
  await el.updateComplete;
  return el;
}

const running = (el: QuantArena) => (el as unknown as { worker: { running: boolean } }).worker.running;

describe('<quant-arena>', function () {
  this.timeout(120000);

  it('a small run on wasm: every path that ran has numbers, the others a reason', async () => {
    const el = await arena(
      html`<quant-arena loading="eager" size="32" iterations="3" devices="wasm"></quant-arena>`,
    );
    const progress: ArenaProgress[] = [];
    el.addEventListener('quant-progress', (e) => progress.push(e.detail as ArenaProgress));
    const resultEvent = nextEvent(el, 'quant-result', 90000);
    const r = await el.run();
    expect((await resultEvent).detail).to.equal(r);
    expect(el.result).to.equal(r);
    expect([r.size, r.mode, r.iterations]).to.deep.equal([32, 'both', 3]);
    expect(r.runs.length).to.be.greaterThan(0);
    for (const x of r.runs) {
      const name = `${x.path} on ${x.device} ${x.shape.join('×')}`;
      expect(x.medianMs, name).to.be.greaterThan(0);
      expect(x.gflops, name).to.be.greaterThan(0);
      expect(x.p25Ms, name).to.be.at.most(x.medianMs);
      expect(x.p75Ms, name).to.be.at.least(x.medianMs);
      expect(x.bytes, name).to.be.greaterThan(0);
      expect(
        [
          [32, 32, 32],
          [32, 32, 1],
        ],
        name,
      ).to.deep.include(x.shape);
    }
    for (const s of r.skipped)
      expect(s.reason, `${s.path} on ${s.device}`).to.be.a('string').and.not.equal('');
    // every asked path is accounted for: ran or skipped, on each shape
    for (const path of ['float32', 'int-jax', 'float16', 'f32-simd', 'i8-simd', 'i8-relaxed']) {
      const accounted = r.runs.some((x) => x.path === path) || r.skipped.some((x) => x.path === path);
      expect(accounted, path).to.equal(true);
    }
    // Chromium has WebAssembly SIMD and relaxed SIMD: the kernel pair always runs here
    for (const path of ['f32-simd', 'i8-simd', 'i8-relaxed', 'float32', 'int-jax'])
      expect(
        r.runs.some((x) => x.path === path),
        path,
      ).to.equal(true);
    // int-jax: 8-bit codes of normal weights; the error is the quantization error of the product
    const intJax = r.runs.filter((x) => x.path === 'int-jax');
    for (const x of intJax) expect(x.maxAbsError).to.be.below(0.25);
    expect(progress.length).to.be.greaterThan(0);
    const last = progress.at(-1)!;
    expect(last.done).to.equal(last.total);
    // the DOM shows it: a row per run, the note, the memory table, a chart per shape
    expect(part(el, 'table')!.querySelectorAll('tbody tr').length).to.equal(r.runs.length);
    const paragraphs = [...part(el, 'note')!.querySelectorAll('p')].map((p) => p.textContent);
    expect(paragraphs).to.deep.equal(r.note.split('\n'));
    expect(r.note.length).to.be.greaterThan(40);
    expect(part(el, 'memory')!.textContent).to.contain('4.0 KiB'); // 32×32 float32
    expect(el.shadowRoot!.querySelectorAll('[data-chart] canvas').length).to.equal(2);
    // the takeaway leads; the tables and the note wait behind a disclosure, closed
    const lead = [...part(el, 'headline')!.querySelectorAll('p')].map((p) => p.textContent);
    expect(lead).to.deep.equal([headline(r, 'matmul'), headline(r, 'matvec')]);
    const details = part(el, 'details') as HTMLDetailsElement;
    expect(details.open).to.equal(false);
    expect(details.contains(part(el, 'table')) && details.contains(part(el, 'note'))).to.equal(true);
    expect(part(el, 'note')!.checkVisibility()).to.equal(false);
    expect(part(el, 'headline')!.compareDocumentPosition(part(el, 'chart')!)).to.equal(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
    expect(running(el)).to.equal(true); // the worker stays for the next run
    el.remove();
    expect(running(el)).to.equal(false); // disconnecting terminates it
  });

  it('runs on WebGPU (SwiftShader here) and says why float16 is skipped', async () => {
    const el = await arena(
      html`<quant-arena
        loading="eager"
        size="32"
        iterations="3"
        mode="matmul"
        devices="webgpu"
        paths="float32 int-jax float16"
      ></quant-arena>`,
    );
    const r = await el.run();
    const gpu = r.runs.filter((x) => x.device === 'webgpu');
    expect(gpu.map((x) => x.path).sort()).to.deep.equal(['float32', 'int-jax']);
    for (const x of gpu) {
      expect(x.medianMs, x.path).to.be.greaterThan(0);
      expect(x.gflops, x.path).to.be.greaterThan(0);
    }
    expect(gpu.find((x) => x.path === 'int-jax')!.maxAbsError).to.be.below(0.25);
    // SwiftShader's adapter has no shader-f16: float16 is skipped, and the reason says so
    const f16 = r.skipped.find((x) => x.path === 'float16' && x.device === 'webgpu');
    expect(f16?.reason).to.contain('shader-f16');
  });

  it('cancel rejects the pending run() with an AbortError and terminates the worker', async () => {
    const el = await arena(html`<quant-arena loading="eager" size="256" iterations="50"></quant-arena>`);
    const started = nextEvent(el, 'quant-progress', 60000);
    const pending = el.run();
    await started;
    expect(running(el)).to.equal(true);
    el.cancel();
    let error: unknown = null;
    await pending.catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(DOMException);
    expect((error as DOMException).name).to.equal('AbortError');
    expect(running(el)).to.equal(false);
    expect(el.error).to.equal(null); // a cancel is not an error
    expect(el.result).to.equal(null);
    // and it runs again afterwards
    Object.assign(el, { size: 16, iterations: 1, devices: 'wasm', paths: 'float32 i8-simd' });
    const r = await el.run();
    expect(r.runs.length).to.be.greaterThan(0);
  });

  it('keeps the page responsive: no main-thread long task over a generous 150 ms during a run (the bench measures the real figure)', async () => {
    const el = await arena(
      html`<quant-arena loading="eager" size="128" iterations="5" devices="wasm"></quant-arena>`,
    );
    const long: number[] = [];
    const observer = new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => long.push(e.duration)),
    );
    observer.observe({ type: 'longtask', buffered: false });
    await el.run();
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    observer.disconnect();
    // generous: the bench measures the real figure; a timing loop on the main thread takes seconds
    expect(Math.max(0, ...long), `long tasks: ${long.join(', ')}`).to.be.below(150);
  });

  it('autorun starts when visible; otherwise a Run button', async () => {
    const auto = await arena(
      html`<quant-arena
        loading="eager"
        autorun
        size="16"
        iterations="1"
        devices="wasm"
        paths="float32"
      ></quant-arena>`,
    );
    await nextEvent(auto, 'quant-result', 60000);
    expect(auto.result!.runs.length).to.be.greaterThan(0);
    const manual = await arena(html`<quant-arena loading="eager" size="16" iterations="1"></quant-arena>`);
    const button = manual.shadowRoot!.querySelector('button')!;
    expect(button.textContent).to.contain('Run');
    expect(manual.result).to.equal(null);
    const done = nextEvent(manual, 'quant-result', 60000);
    manual.setAttribute('devices', 'wasm');
    manual.setAttribute('paths', 'i8-simd');
    button.click();
    await done;
    expect(manual.result!.runs.map((x) => x.path)).to.deep.equal(['i8-simd', 'i8-simd']);
  });

  it('is ready when visible (devices known), and shows the quantized matmul as arithmetic', async () => {
    const el = document.createElement('quant-arena') as QuantArena;
    el.loading = 'eager';
    const ready = nextEvent<{ device: string }>(el, 'quant-ready', 60000);
    (await fixture<HTMLDivElement>(html`<div></div>`)).append(el);
    expect((await ready).detail.device.split(' ')).to.include('wasm');
    await el.updateComplete;
    const example = part(el, 'example')!;
    expect(example.tagName).to.equal('DETAILS');
    const grids = new Map(
      [...example.querySelectorAll('table')].map((t) => [
        t.querySelector('caption')!.textContent!.trim(),
        [...t.querySelectorAll('td')].map((td) => td.textContent!.trim()),
      ]),
    );
    // every number shown is the arithmetic of the core's own codes
    const a = [0.9, -0.3, 1.6, 0.2, -1.1, 0.5, 2.3, -0.4, 0.7, 1.2, -0.8, 0.1, 1.9, -0.6, 0.3, 1.4];
    const b = [1.2, 0.4, -0.2, 0.9, 0.3, 1.7, 0.8, -0.5, -0.6, 0.2, 1.1, 0.6, 0.5, -0.9, 0.4, 1.3];
    const m = await quantizedMatmul(a, [4, 4], b, [4, 4], { bits: 8 });
    const w = workedExample(m.a, m.b, 4, 4, 4);
    const ints = (xs: ArrayLike<number>) => [...Array.from(xs)].map(String);
    expect(grids.get('A codes')).to.deep.equal(ints(m.a.codes));
    expect(grids.get('B codes')).to.deep.equal(ints(m.b.codes));
    expect(grids.get('Σ qa·qb (raw int32)')).to.deep.equal(ints(w.raw));
    expect(grids.get('zb·Σk qa')).to.deep.equal(ints(w.rowTerm));
    expect(grids.get('za·Σk qb')).to.deep.equal(ints(w.colTerm));
    expect(grids.get('corrected C')).to.deep.equal(ints(w.corrected));
    // and the integer path rescaled is the core's output
    w.output.forEach((v, i) => expect(v).to.equal(m.output[i]));
  });

  it('run() before the element is visible runs, and the view follows once it is', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <div style="height: 4000px"></div>
        <quant-arena size="16" iterations="1" devices="wasm" paths="float32 i8-simd"></quant-arena>
      </div>`,
    );
    const el = wrapper.querySelector('quant-arena')!;
    const pending = el.run();
    el.scrollIntoView();
    const r = await pending;
    expect(r.runs.length).to.equal(4);
    await nextEvent(el, 'quant-ready', 60000);
    expect(el.result).to.equal(r);
  });

  it('keyboard: Run and Cancel are one button, so focus stays on it', async () => {
    const el = await arena(html`<quant-arena loading="eager" size="256" iterations="50"></quant-arena>`);
    const button = el.shadowRoot!.querySelector('button')!;
    button.focus();
    const started = nextEvent(el, 'quant-progress', 60000);
    await sendKeys({ press: 'Enter' });
    await started;
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(button);
    expect(button.textContent!.trim()).to.equal('Cancel');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(button.textContent!.trim()).to.equal('Run');
    expect(el.shadowRoot!.activeElement).to.equal(button);
    expect(running(el)).to.equal(false);
  });

  const bad: [string, string][] = [
    ['size', '15'],
    ['size', '2049'],
    ['size', 'big'],
    ['iterations', '0'],
    ['iterations', '1001'],
    ['mode', 'conv'],
    ['devices', 'tpu'],
    ['devices', ''],
    ['paths', 'int4'],
  ];
  for (const [attribute, value] of bad) {
    it(`rejects ${attribute}="${value}" visibly and keeps the last valid value`, async () => {
      const el = await arena(html`<quant-arena></quant-arena>`);
      const before = (el as unknown as Record<string, unknown>)[attribute];
      const err = nextEvent<QuantErrorDetail>(el, 'quant-error');
      el.setAttribute(attribute, value);
      const { detail } = await err;
      expect(detail).to.include({ code: 'invalid-attribute', attribute });
      await el.updateComplete;
      expect(part(el, 'error')!.textContent).to.contain(`${attribute}="${value}"`);
      expect((el as unknown as Record<string, unknown>)[attribute]).to.deep.equal(before);
      el.removeAttribute(attribute);
      await el.updateComplete;
      expect(el.error).to.equal(null);
    });
  }

  it('is accessible, with its results table', async () => {
    const el = await arena(
      html`<quant-arena
        loading="eager"
        size="16"
        iterations="1"
        devices="wasm"
        paths="float32 i8-simd"
      ></quant-arena>`,
    );
    await el.run();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
