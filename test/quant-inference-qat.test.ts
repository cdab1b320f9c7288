/**
 * Quantization-aware training in <quant-inference>: "Recover with QAT" trains in a Web Worker with
 * progress and a live curve, the numbers switch to the QAT weights, Cancel and Reset.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
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

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!ok() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(ok(), 'condition not met in time').to.equal(true);
}

/** Resolves when training reports step `done`. */
const step = (el: QuantInference, done: number) =>
  new Promise<void>((resolve) =>
    el.addEventListener('quant-progress', (e) => e.detail.done === done && resolve()),
  );

/** What `run` rejected with, or null if it resolved. */
const rejection = (run: Promise<unknown>) =>
  run.then(
    () => null,
    (e: unknown) => e as DOMException,
  );

const qatPanel = (el: QuantInference) => part(el, 'qat')!;
const button = (el: QuantInference, text: RegExp) =>
  [...qatPanel(el).querySelectorAll('button')].find((b) => text.test(b.textContent!)) ?? null;

describe('<quant-inference> quantization-aware training', function () {
  this.timeout(180000);

  it('Recover with QAT at 2 bits: progress, a live curve, then the numbers use the QAT weights', async () => {
    const [el, ptq] = await inference(
      html`<quant-inference loading="eager" bits="2" qat-steps="40"></quant-inference>`,
    );
    const progress: QuantProgressDetail[] = [];
    el.addEventListener('quant-progress', (e) => progress.push(e.detail));
    const results: InferenceResult[] = [];
    el.addEventListener('quant-result', (e) => results.push(e.detail));
    const shown = nextEvent<InferenceResult>(el, 'quant-result', 120000);
    button(el, /Recover with QAT/)!.click();
    await until(() => button(el, /Cancel/) !== null);
    expect(qatPanel(el).querySelector('progress')).to.not.equal(null);
    const r = (await shown).detail;
    // progress: loading, then every step; the curve drawn while training
    expect(progress[0].phase).to.equal('loading');
    const steps = progress.filter((p) => p.phase === 'training');
    expect(steps.map((p) => p.done)).to.deep.equal(Array.from({ length: 41 }, (_, i) => i));
    expect(steps.every((p) => p.total === 40)).to.equal(true);
    // the result: QAT weights quantized at the same config, far above post-training quantization
    expect(results).to.have.length(1);
    expect(r.qat!.steps).to.equal(40);
    expect(r.qat!.ms).to.be.greaterThan(0);
    expect(r.config.bits).to.equal(2);
    expect(r.accuracyFloat).to.equal(ptq.accuracyFloat); // "float" stays the trained model
    expect(r.accuracyQuant).to.be.greaterThan(ptq.accuracyQuant + 0.2);
    // the worker's held-out accuracy of the QAT weights is what the element measures (±2 digits)
    expect(Math.abs(r.qat!.accuracy - r.accuracyQuant) * r.heldOut).to.be.at.most(2);
    await el.updateComplete;
    expect(qatPanel(el).textContent).to.contain('QAT weights');
    expect(qatPanel(el).querySelector('[data-chart=qat] canvas')).to.not.equal(null);
    expect(qatPanel(el).querySelector('[data-chart=qat]')!.getAttribute('aria-label')).to.match(
      /QAT \d+\.\d% at step 0 → \d+\.\d% at step 40/,
    );
    // a config change keeps the QAT weights (quantized at the new config)
    const at3 = nextEvent<InferenceResult>(el, 'quant-result', 30000);
    el.bits = 3;
    expect((await at3).detail.qat).to.equal(r.qat);
    // Reset: the trained weights again, exactly
    const reset = nextEvent<InferenceResult>(el, 'quant-result', 30000);
    el.bits = 2;
    await nextEvent(el, 'quant-result', 30000);
    button(el, /Reset/)!.click();
    const back = (await reset).detail;
    const again = back.qat ? (await nextEvent<InferenceResult>(el, 'quant-result', 30000)).detail : back;
    expect(again.qat).to.equal(undefined);
    expect([again.accuracyQuant, again.agreement, again.maxLogitDiff]).to.deep.equal([
      ptq.accuracyQuant,
      ptq.agreement,
      ptq.maxLogitDiff,
    ]);
    await el.updateComplete;
    expect(qatPanel(el).textContent).to.not.contain('QAT weights');
    expect(button(el, /Recover with QAT/)).to.not.equal(null);
  });

  it('trainQat() resolves with the shown result; resetQat() restores the trained weights', async () => {
    const [el, ptq] = await inference(
      html`<quant-inference loading="eager" bits="2" granularity="channel" qat-steps="20"></quant-inference>`,
    );
    const r = await el.trainQat();
    expect(el.result).to.equal(r);
    expect(r.qat!.steps).to.equal(20);
    expect(r.accuracyQuant).to.be.greaterThan(ptq.accuracyQuant);
    const back = nextEvent<InferenceResult>(el, 'quant-result', 30000);
    el.resetQat();
    const b = (await back).detail;
    expect(b.qat).to.equal(undefined);
    expect(b.accuracyQuant).to.equal(ptq.accuracyQuant);
  });

  it('cancel: trainQat() rejects with an AbortError, the trained weights stay, and a new run works', async () => {
    const [el, ptq] = await inference(
      html`<quant-inference loading="eager" bits="2" qat-steps="2000"></quant-inference>`,
    );
    const started = step(el, 3);
    const run = el.trainQat();
    await started;
    await el.updateComplete;
    button(el, /Cancel/)!.click();
    const error = await rejection(run);
    expect(error?.name).to.equal('AbortError');
    await el.updateComplete;
    expect(el.result!.qat).to.equal(undefined);
    expect(el.result!.accuracyQuant).to.equal(ptq.accuracyQuant);
    expect(button(el, /Recover with QAT/)).to.not.equal(null);
    expect(el.error).to.equal(null);
    el.qatSteps = 10;
    const r = await el.trainQat();
    expect(r.qat!.steps).to.equal(10);
  });

  it('is deterministic for a seed: two runs give the same QAT result', async () => {
    const [el] = await inference(
      html`<quant-inference loading="eager" bits="2" qat-steps="15"></quant-inference>`,
    );
    const a = await el.trainQat();
    const b = await el.trainQat();
    expect(b).to.not.equal(a);
    expect([b.accuracyQuant, b.agreement, b.maxLogitDiff, b.qat!.accuracy]).to.deep.equal([
      a.accuracyQuant,
      a.agreement,
      a.maxLogitDiff,
      a.qat!.accuracy,
    ]);
  });

  it('is accessible while the QAT weights are shown', async () => {
    const [el] = await inference(
      html`<quant-inference loading="eager" bits="2" qat-steps="5"></quant-inference>`,
    );
    await el.trainQat();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('the pad runs the QAT weights once they are in force (float bars unchanged)', async () => {
    const [el] = await inference(
      html`<quant-inference loading="eager" bits="2" qat-steps="20"></quant-inference>`,
    );
    const pad = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.pad')!;
    pad.focus();
    await sendKeys({ press: 'Space' });
    for (let i = 0; i < 12; i++) await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Space' });
    const values = () =>
      [...el.shadowRoot!.querySelectorAll('.pairs .value')].map((v) => v.textContent!.split(' / '));
    await until(
      () =>
        values().length === 10 &&
        el.shadowRoot!.querySelector('.visually-hidden[aria-live]')!.textContent !== '',
    );
    const before = values();
    await el.trainQat();
    await until(() => values().some((v, i) => v[1] !== before[i][1]));
    const after = values();
    expect(after.map((v) => v[0])).to.deep.equal(before.map((v) => v[0])); // float: the trained model
    // the reading is announced once per stroke, in a live region that is always there
    const live = el.shadowRoot!.querySelector('.visually-hidden[aria-live="polite"]')!;
    expect(live.textContent).to.match(/Float reads \d, quantized reads \d\./);
  });

  it('a model change during training cancels it (AbortError, no error shown); the new model runs', async () => {
    const [el] = await inference(
      html`<quant-inference loading="eager" bits="2" qat-steps="2000"></quant-inference>`,
    );
    const started = step(el, 2);
    const run = el.trainQat();
    await started;
    const next = nextEvent<InferenceResult>(el, 'quant-result', 60000);
    el.model = 'spirals';
    const error = await rejection(run);
    expect(error?.name).to.equal('AbortError');
    const r = (await next).detail;
    expect(r.model).to.equal('spirals');
    expect(r.qat).to.equal(undefined);
    expect(el.error).to.equal(null);
  });

  it('disconnecting during training rejects trainQat() with an AbortError', async () => {
    const [el] = await inference(
      html`<quant-inference loading="eager" bits="2" qat-steps="2000"></quant-inference>`,
    );
    const started = step(el, 2);
    const run = el.trainQat();
    await started;
    el.remove();
    const error = await rejection(run);
    expect(error?.name).to.equal('AbortError');
  });

  it('a config change during training: the weights trained for the start config, and the panel says so', async () => {
    const [el] = await inference(
      html`<quant-inference loading="eager" bits="2" qat-steps="30"></quant-inference>`,
    );
    const started = step(el, 2);
    const run = el.trainQat();
    await started;
    el.bits = 4;
    const r = await run;
    expect(r.qat!.steps).to.equal(30);
    expect(r.config.bits).to.equal(4);
    await el.updateComplete;
    expect(qatPanel(el).textContent).to.contain('trained for 2-bit affine per-tensor');
    expect(qatPanel(el).textContent).to.contain('quantize them at 4-bit affine per-tensor');
    expect(part(el, 'metrics')!.textContent).to.contain('Accuracy, quantized (QAT weights)');
  });

  it('Cancel keeps the partial curve and says where it stopped', async () => {
    const [el] = await inference(
      html`<quant-inference loading="eager" bits="2" qat-steps="2000"></quant-inference>`,
    );
    const started = step(el, 3);
    const run = el.trainQat().catch(() => {});
    await started;
    el.cancelQat();
    await run;
    await el.updateComplete;
    expect(qatPanel(el).textContent).to.match(/Cancelled at step \d+ of 2000/);
  });
});
