/**
 * <quant-inference method="gptq" | "awq">: calibration in a Web Worker with progress, the result
 * records the method, GPTQ recovers accuracy RTN loses at 3 bits, the page's main thread stays
 * free while it calibrates, going back is instant, and bad values are rejected (SPEC §4).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-inference/quant-inference.js';
import type { InferenceResult, QuantInference } from '../src/components/quant-inference/quant-inference.js';
import type { QuantProgressDetail } from '../src/internal/events.js';
import { part } from './helpers/element.js';
import { nextEvent } from './helpers/wait.js';

async function inference(template: ReturnType<typeof html>): Promise<[QuantInference, InferenceResult]> {
  const el = await fixture<QuantInference>(template);
  const r = el.result ?? (await nextEvent<InferenceResult>(el, 'quant-result', 60000)).detail;
  return [el, r];
}

/** The next result whose config.method is `method`. */
function resultWith(el: QuantInference, method: string, ms = 60000): Promise<InferenceResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${method} result within ${ms} ms`)), ms);
    const on = (e: Event) => {
      const r = (e as CustomEvent<InferenceResult>).detail;
      if (r.config.method !== method) return;
      clearTimeout(timer);
      el.removeEventListener('quant-result', on);
      resolve(r);
    };
    el.addEventListener('quant-result', on);
  });
}

describe('<quant-inference> method', function () {
  this.timeout(180000);

  it('gptq at 3 bits per channel: progress in a worker, no long main-thread task, better than rtn; back and forth is instant', async () => {
    const [el, rtn] = await inference(
      html`<quant-inference loading="eager" bits="3" granularity="channel"></quant-inference>`,
    );
    expect(rtn.config.method).to.equal('rtn');
    expect(rtn.config.calibrationSamples).to.equal(undefined);
    const progress: QuantProgressDetail[] = [];
    el.addEventListener('quant-progress', (e) => progress.push(e.detail));
    const long: { start: number; duration: number }[] = [];
    // Tasks that start after the change (the one running this test began before it).
    let from = Infinity;
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        if (e.startTime >= from) long.push({ start: e.startTime, duration: e.duration });
    });
    observer.observe({ type: 'longtask' });
    await new Promise((r) => setTimeout(r, 0));
    const shown = resultWith(el, 'gptq');
    from = performance.now();
    el.method = 'gptq';
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    expect(part(el, 'controls')!.textContent).to.match(/GPTQ calibrating in a worker/);
    // When the worker reported its last calibration step.
    let calibrated: number | undefined;
    el.addEventListener('quant-progress', (e) => {
      const p = e.detail as QuantProgressDetail & { total: number };
      if (p.phase === 'calibrating' && p.done === p.total) calibrated = performance.now();
    });
    const t0 = performance.now();
    const gptq = await shown;
    const ms = performance.now() - t0;
    // Long-task entries are delivered after the task: give the late ones two frames to arrive.
    for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    expect(calibrated, 'the last calibration step was reported').to.be.a('number');
    // Long tasks while the worker calibrated (the quantized pass after it is the usual one).
    const during = long.filter((t) => t.start < calibrated!).map((t) => t.duration);
    expect(during, `long tasks ${long.map((t) => t.duration).join(', ')}`).to.deep.equal([]);
    expect(progress[0].phase).to.equal('loading');
    const steps = progress.filter((p) => p.phase === 'calibrating');
    expect(steps.at(-1)!.done).to.equal(784 + 128 + 64);
    expect(steps.map((p) => p.done)).to.deep.equal([...steps.map((p) => p.done)].sort((a, b) => a - b));
    expect(gptq.config).to.include({
      method: 'gptq',
      calibrationSamples: 256,
      bits: 3,
      granularity: 'channel',
    });
    expect(gptq.accuracyFloat).to.equal(rtn.accuracyFloat);
    // Measured: RTN at 3 bits per channel loses a few points; GPTQ recovers most of them.
    expect(gptq.accuracyQuant).to.be.greaterThan(rtn.accuracyQuant);
    expect(gptq.meanKl).to.be.lessThan(rtn.meanKl);
    expect(gptq.bytesQuant).to.equal(rtn.bytesQuant);
    expect(gptq.sensitivity).to.have.length(3);
    await el.updateComplete;
    expect(part(el, 'status')!.textContent).to.match(/Weights: GPTQ, calibrated on 256 training images/);
    console.log(
      `GPTQ in the worker: ${ms.toFixed(0)} ms to the result; rtn ${rtn.accuracyQuant}, gptq ${gptq.accuracyQuant}`,
    );
    // rtn again: today's numbers exactly; gptq again: from the cache, no calibration.
    const back = resultWith(el, 'rtn');
    el.method = 'rtn';
    const again = await back;
    expect([again.accuracyQuant, again.meanKl, again.maxLogitDiff]).to.deep.equal([
      rtn.accuracyQuant,
      rtn.meanKl,
      rtn.maxLogitDiff,
    ]);
    progress.length = 0;
    const cached = resultWith(el, 'gptq', 5000);
    el.method = 'gptq';
    const r = await cached;
    expect(progress).to.deep.equal([]);
    expect(r.meanKl).to.equal(gptq.meanKl);
  });

  it('the method dropdown fires quant-change (with the method); a programmatic set does not', async () => {
    const [el] = await inference(html`<quant-inference loading="eager"></quant-inference>`);
    const changes: Record<string, unknown>[] = [];
    el.addEventListener('quant-change', (e) => changes.push(e.detail as unknown as Record<string, unknown>));
    el.method = 'awq';
    await el.updateComplete;
    expect(changes).to.deep.equal([]);
    const select = [...el.shadowRoot!.querySelectorAll('select')].find((s) =>
      [...s.options].some((o) => o.value === 'gptq'),
    )!;
    select.value = 'gptq';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(el.method).to.equal('gptq');
    expect(changes).to.have.length(1);
    expect(changes[0]).to.include({ method: 'gptq', bits: el.bits, granularity: el.granularity });
  });

  it('awq per group: the result records it; format≠int reports an error and runs rtn; bad values are rejected', async () => {
    const [el] = await inference(
      html`<quant-inference
        loading="eager"
        bits="3"
        granularity="group"
        method="awq"
        calibration-samples="128"
      ></quant-inference>`,
    );
    const awq = el.result!.config.method === 'awq' ? el.result! : await resultWith(el, 'awq');
    expect(awq.config).to.include({ method: 'awq', calibrationSamples: 128, granularity: 'group' });
    const errors: { code: string; attribute?: string; message: string }[] = [];
    el.addEventListener('quant-error', (e) => errors.push(e.detail));
    el.setAttribute('method', 'smoothquant');
    el.setAttribute('calibration-samples', '0');
    await el.updateComplete;
    expect(errors.map((e) => [e.code, e.attribute])).to.deep.include.members([
      ['invalid-attribute', 'method'],
      ['invalid-attribute', 'calibration-samples'],
    ]);
    expect(el.method).to.equal('awq');
    expect(el.calibrationSamples).to.equal(128);
    expect(part(el, 'error')!.textContent).to.match(/rtn, gptq, awq/);
    el.setAttribute('method', 'gptq');
    el.setAttribute('calibration-samples', '64');
    const rtn = resultWith(el, 'rtn');
    el.format = 'nf4';
    const r = await rtn;
    expect(r.config.format).to.equal('nf4');
    expect(el.error).to.include({ code: 'invalid-attribute', attribute: 'method' });
    expect(el.error!.message).to.match(/format="int"/);
    const gptq = resultWith(el, 'gptq');
    el.format = 'int';
    expect((await gptq).config.calibrationSamples).to.equal(64);
    expect(el.error).to.equal(null);
  });

  it('a change during calibration stops it: the new config shows, no error', async () => {
    const [el, first] = await inference(
      html`<quant-inference loading="eager" bits="4" granularity="channel"></quant-inference>`,
    );
    const started = new Promise<void>((resolve) =>
      el.addEventListener('quant-progress', (e) => e.detail.phase === 'calibrating' && resolve()),
    );
    el.method = 'gptq';
    await started;
    const back = resultWith(el, 'rtn');
    el.method = 'rtn';
    const r = await back;
    expect(r.meanKl).to.equal(first.meanKl);
    expect(el.error).to.equal(null);
    // Calibration again from scratch (the stopped one kept nothing).
    const gptq = resultWith(el, 'gptq');
    el.method = 'gptq';
    expect((await gptq).meanKl).to.be.lessThan(first.meanKl);
    expect(el.error).to.equal(null);
  });
});
