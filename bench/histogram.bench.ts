/**
 * Histogram benchmark: jax-js binning of up to 1M weights, and the whole
 * element path (weights → chart updated). Run in the browser with
 *   npx web-test-runner bench/histogram.bench.ts --files bench/histogram.bench.ts
 * Two tables on the console (median / p95 of one run).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { generateWeights, histogramCounts, referenceHistogram } from '../src/core/index.js';
import '../src/components/quant-histogram/quant-histogram.js';
import type { QuantHistogram } from '../src/components/quant-histogram/quant-histogram.js';
import { countQuantize, idle } from '../test/helpers/element.js';
import { nextEvent } from '../test/helpers/wait.js';
import { table, timeRuns } from './stats.js';

/** Runs fn while a MessageChannel loop measures the longest stretch the main thread was busy. */
async function longestBlock(fn: () => Promise<unknown>): Promise<number> {
  const channel = new MessageChannel();
  let last = performance.now();
  let worst = 0;
  let running = true;
  channel.port1.onmessage = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    if (running) channel.port2.postMessage(0);
  };
  channel.port2.postMessage(0);
  await fn();
  // One more message, so a synchronous fn's block is measured too.
  await new Promise<void>((resolve) => {
    const port = new MessageChannel();
    port.port1.onmessage = () => resolve();
    port.port2.postMessage(0);
  });
  running = false;
  channel.port1.close();
  return worst;
}

describe('histogram bench', function () {
  this.timeout(300000);
  const binning: Record<string, string | number>[] = [];
  const element: Record<string, string | number>[] = [];
  const cell = (t: { median: number; p95: number }) => `${t.median.toFixed(1)} / ${t.p95.toFixed(1)}`;
  after(() => {
    console.log(table('histogramCounts (jax-js, wasm) vs a JS loop, ms (median / p95)', binning));
    console.log(table('<quant-histogram> 1024x1024 → chart updated, ms (median / p95)', element));
  });

  for (const n of [16384, 262144, 1048576]) {
    for (const bins of [64, 512]) {
      it(`bins ${n.toLocaleString()} weights into ${bins} bins`, async () => {
        const values = await generateWeights('normal', n, { std: 0.5, seed: 1 });
        const expected = referenceHistogram(values, -2.5, 2.5, bins);
        const got = await histogramCounts(values, -2.5, 2.5, bins, 'wasm');
        expect([...got]).to.deep.equal([...expected]);
        const jax = await timeRuns(5, () => histogramCounts(values, -2.5, 2.5, bins, 'wasm'));
        const js = await timeRuns(9, () => Promise.resolve(referenceHistogram(values, -2.5, 2.5, bins)));
        const blockJax = await longestBlock(() => histogramCounts(values, -2.5, 2.5, bins, 'wasm'));
        const blockJs = await longestBlock(async () => referenceHistogram(values, -2.5, 2.5, bins));
        binning.push({
          weights: n,
          bins,
          'jax-js wasm': cell(jax),
          'blocks ≤': blockJax,
          'JS loop': cell(js),
          'loop blocks ≤': blockJs,
        });
      });
    }
  }

  it('element: 1024x1024 weights → chart updated', async () => {
    const el = await fixture<QuantHistogram>(
      html`<quant-histogram loading="eager" shape="1024x1024"></quant-histogram>`,
    );
    await nextEvent(el, 'quant-ready', 120000);
    // quant-result fires once the charts show the new result (binning included).
    const t = await timeRuns(5, async () => {
      const done = nextEvent(el, 'quant-result', 120000);
      el.seed = el.seed + 1;
      await done;
    });
    const b = await timeRuns(9, async () => {
      const done = nextEvent(el, 'quant-result', 120000);
      el.bits = el.bits === 8 ? 4 : 8;
      await done;
    });
    // bins is view-only: re-binning the same result, no quantization, no quant-result.
    const quantized = countQuantize(el);
    const result = el.result;
    const n = await timeRuns(5, async () => {
      el.bins = el.bins === 64 ? 256 : 64;
      await idle(el);
    });
    expect(el.result).to.equal(result);
    expect(quantized.count).to.equal(0);
    element.push({
      panels: 1,
      'new weights': cell(t),
      'new bits': cell(b),
      'new calibration': '-',
      'new bins (view)': cell(n),
    });
  });

  it('element: 1024x1024 weights, compare="2 4 8 16" → charts updated', async () => {
    const el = await fixture<QuantHistogram>(
      html`<quant-histogram loading="eager" shape="1024x1024" compare="2 4 8 16"></quant-histogram>`,
    );
    await nextEvent(el, 'quant-ready', 120000);
    const c = await timeRuns(5, async () => {
      const done = nextEvent(el, 'quant-result', 120000);
      el.calibration = el.calibration === 'minmax' ? 'percentile' : 'minmax';
      await done;
    });
    const quantized = countQuantize(el);
    const n = await timeRuns(5, async () => {
      el.bins = el.bins === 64 ? 256 : 64;
      await idle(el);
    });
    expect(quantized.count).to.equal(0);
    element.push({
      panels: 4,
      'new weights': '-',
      'new bits': '-',
      'new calibration': cell(c),
      'new bins (view)': cell(n),
    });
  });
});
