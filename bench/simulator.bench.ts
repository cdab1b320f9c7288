/**
 * <quant-simulator>: config change → quant-result (the DOM shows the new
 * numbers), median and p95 over many changes. Run with `npm run bench`.
 * A frame is 16.7 ms at 60 Hz.
 */
import { fixture, html } from '@open-wc/testing';
import '../src/components/quant-simulator/quant-simulator.js';
import type { QuantSimulator } from '../src/components/quant-simulator/quant-simulator.js';
import { nextEvent } from '../test/helpers/wait.js';
import { summarize, table } from './stats.js';

async function timeChanges(
  el: QuantSimulator,
  count: number,
  change: (i: number) => void,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const done = nextEvent(el, 'quant-result');
    const t = performance.now();
    change(i);
    await done;
    samples.push(performance.now() - t);
  }
  return samples;
}

describe('simulator bench', function () {
  this.timeout(600000);

  it('config change → quant-result', async () => {
    const rows: Record<string, string | number>[] = [];
    const cases: [string, string, (el: QuantSimulator, i: number) => void][] = [
      ['4x4 bits (default)', '4x4', (el, i) => (el.bits = i % 2 ? 3 : 5)],
      ['4x4 scheme toggle', '4x4', (el, i) => (el.scheme = i % 2 ? 'affine' : 'symmetric')],
      [
        '4x4 bits, mse calibration',
        '4x4',
        (el, i) => Object.assign(el, { calibration: 'mse', bits: i % 2 ? 3 : 5 }),
      ],
      [
        '4x4 bits, stochastic',
        '4x4',
        (el, i) => Object.assign(el, { rounding: 'stochastic', bits: i % 2 ? 3 : 5 }),
      ],
      ['16x16 bits', '16x16', (el, i) => (el.bits = i % 2 ? 3 : 5)],
      ['256x256 bits (summary)', '256x256', (el, i) => (el.bits = i % 2 ? 3 : 5)],
    ];
    for (const [name, shape, change] of cases) {
      const el = await fixture<QuantSimulator>(
        html`<quant-simulator loading="eager" shape=${shape}></quant-simulator>`,
      );
      if (!el.result) await nextEvent(el, 'quant-ready');
      // Each change must differ from the state before it, or no recompute happens.
      await timeChanges(el, 20, (i) => change(el, i)); // warm-up: kernels compiled
      const { median, p95, n } = summarize(await timeChanges(el, 200, (i) => change(el, i)));
      rows.push({ case: name, 'median ms': median, 'p95 ms': p95, runs: n });
      el.remove();
    }
    console.log(
      table(`<quant-simulator> change → quant-result (crossOriginIsolated=${crossOriginIsolated})`, rows),
    );
  });
});
