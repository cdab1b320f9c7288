/**
 * "Recover with QAT" never stalls the page: no main-thread task of 50 ms or more while the worker
 * trains, while the trained weights are handed over (issue 20: building a new session and
 * uploading the held-out inputs again was one 172 ms task), or while their first result is shown.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-inference/quant-inference.js';
import type { InferenceResult, QuantInference } from '../src/components/quant-inference/quant-inference.js';
import { nextEvent } from './helpers/wait.js';

describe('<quant-inference> QAT: main-thread long tasks', function () {
  this.timeout(180000);

  it('no task ≥ 50 ms during training, the hand-over or the first QAT result', async () => {
    const el = await fixture<QuantInference>(
      html`<quant-inference loading="eager" device="wasm" bits="2" qat-steps="20"></quant-inference>`,
    );
    if (!el.result) await nextEvent<InferenceResult>(el, 'quant-result', 60000);
    // A settled page: loading the model and the first run are not what is measured.
    await new Promise((r) => setTimeout(r, 300));
    // A stall the kit causes (the 172 ms hand-over) shows in every run; a task the machine's load
    // stretches past 50 ms (a shared CI runner) does not repeat, so a second run must be clean too.
    const runs: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = await longTasksOfQat(el);
      if (found === '') return;
      runs.push(found);
      el.resetQat();
      await nextEvent<InferenceResult>(el, 'quant-result', 60000);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect.fail(`tasks of 50 ms or more in both runs: ${runs.join(' | ')}`);
  });
});

/** Trains (20 steps) and reports the main-thread tasks of 50 ms or more from the click to 300 ms after the result, '' if none. */
async function longTasksOfQat(el: QuantInference): Promise<string> {
  const long: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) =>
    list.getEntries().forEach((e) => long.push({ start: e.startTime, duration: e.duration })),
  );
  observer.observe({ type: 'longtask', buffered: false });
  const t = performance.now();
  let trained = NaN; // when the last step was reported: the hand-over follows
  const onProgress = (e: Event) => {
    const d = (e as CustomEvent<{ phase: string; done: number; total: number }>).detail;
    if (d.phase === 'training' && d.done === d.total) trained = performance.now() - t;
  };
  el.addEventListener('quant-progress', onProgress);
  try {
    const r = await el.trainQat();
    expect(r.qat!.steps).to.equal(20);
    // The frame after the result, and the pad / chart work it starts.
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    observer.disconnect();
    el.removeEventListener('quant-progress', onProgress);
  }
  if (long.length === 0) return '';
  const tasks = long.map((e) => `${e.duration.toFixed(0)} ms at +${(e.start - t).toFixed(0)} ms`);
  return `${tasks.join(', ')} (last step at +${trained.toFixed(0)} ms)`;
}
