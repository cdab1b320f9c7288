/**
 * <quant-inference> on digits, wasm: config change → quant-result (metrics, gallery and
 * sensitivity on screen), median and p95 over many changes. Target: p95 ≤ 50 ms.
 * Run with `npm run bench -- --files bench/inference.bench.ts`.
 */
import { fixture, html } from '@open-wc/testing';
import '../src/components/quant-inference/quant-inference.js';
import type { QuantInference } from '../src/components/quant-inference/quant-inference.js';
import { nextEvent } from '../test/helpers/wait.js';
import { summarize, table } from './stats.js';

async function timeChanges(
  el: QuantInference,
  count: number,
  change: (i: number) => void,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const done = nextEvent(el, 'quant-result', 60000);
    const t = performance.now();
    change(i);
    await done;
    samples.push(performance.now() - t);
  }
  return samples;
}

describe('inference bench', function () {
  this.timeout(600000);

  it('digits, wasm: config change → quant-result', async () => {
    const rows: Record<string, string | number>[] = [];
    const cases: [string, string, (el: QuantInference, i: number) => void][] = [
      ['bits 8 ↔ 4, per tensor', 'tensor', (el, i) => (el.bits = i % 2 ? 8 : 4)],
      ['bits 8 ↔ 4, per channel', 'channel', (el, i) => (el.bits = i % 2 ? 8 : 4)],
      ['bits 3 ↔ 2, per channel (big gallery)', 'channel', (el, i) => (el.bits = i % 2 ? 3 : 2)],
      [
        'bits, activations 8',
        'channel',
        (el, i) => Object.assign(el, { activations: 8, bits: i % 2 ? 8 : 4 }),
      ],
    ];
    for (const [name, granularity, change] of cases) {
      const el = await fixture<QuantInference>(
        html`<quant-inference loading="eager" device="wasm" granularity=${granularity}></quant-inference>`,
      );
      if (!el.result) await nextEvent(el, 'quant-result', 60000);
      await timeChanges(el, 10, (i) => change(el, i)); // warm-up: kernels compiled
      const { median, p95, n } = summarize(await timeChanges(el, 60, (i) => change(el, i)));
      rows.push({ case: name, 'median ms': median, 'p95 ms': p95, runs: n });
      el.remove();
    }
    console.log(
      table(
        `<quant-inference> digits change → quant-result (crossOriginIsolated=${crossOriginIsolated})`,
        rows,
      ),
    );
  });
});
