/**
 * <quant-inference> on digits, wasm: config change → quant-result (metrics, gallery and
 * sensitivity on screen), median and p95 over many changes, per kind of change (bits, granularity,
 * layers, activations, format). Target (issue 20): p95 ≤ 20 ms. Each change starts
 * from an idle page (the last one painted), as a reader's next change does; kernels are compiled
 * by a warm-up pass over the same configs, so what is timed is the numerics and the DOM update.
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
    await new Promise((resolve) => setTimeout(resolve, 100));
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
      // Four weight sets are kept: a fifth width in turn is always quantized anew.
      ['bits 2, 3, …, 6 in turn, per channel (always new)', 'channel', (el, i) => (el.bits = 2 + (i % 5))],
      ['granularity tensor ↔ channel', 'channel', (el, i) => (el.granularity = i % 2 ? 'channel' : 'tensor')],
      // Layers 1 and 3 keep their config: only layer 2 is quantized again.
      [
        'layers 8 8 8 ↔ 8 4 8, per channel',
        'channel',
        (el, i) => (el.layers = i % 2 ? [8, 8, 8] : [8, 4, 8]),
      ],
      ['bits 3 ↔ 2, per channel (big gallery)', 'channel', (el, i) => (el.bits = i % 2 ? 3 : 2)],
      ['bits 2, 3, …, 8 in turn, per group of 32', 'group', (el, i) => (el.bits = 2 + (i % 7))],
      [
        'format nf4 ↔ fp4-e2m1 ↔ mxfp4',
        'group',
        (el, i) => (el.format = (['nf4', 'fp4-e2m1', 'mxfp4'] as const)[i % 3]),
      ],
      [
        'bits, activations 8',
        'channel',
        (el, i) => Object.assign(el, { activations: 8, bits: i % 2 ? 8 : 4 }),
      ],
      // Two widths' quantized inputs are kept: toggling hits them, a third width quantizes again.
      ['activations 8 ↔ 4', 'channel', (el, i) => (el.activations = i % 2 ? 8 : 4)],
      [
        'activations 8 → 4 → 2 in turn (always new)',
        'channel',
        (el, i) => (el.activations = ([8, 4, 2] as const)[i % 3]),
      ],
    ];
    for (const [name, granularity, change] of cases) {
      const el = await fixture<QuantInference>(
        html`<quant-inference loading="eager" device="wasm" granularity=${granularity}></quant-inference>`,
      );
      if (!el.result) await nextEvent(el, 'quant-result', 60000);
      await timeChanges(el, 10, (i) => change(el, i)); // warm-up: kernels compiled (the timed run goes on from i = 10, so its first change is one)
      const { median, p95, n } = summarize(await timeChanges(el, 60, (i) => change(el, i + 10)));
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

describe('inference bench: where a digits config change spends its time', function () {
  this.timeout(600000);

  it('digits, wasm: breakdown (core, no element)', async () => {
    const { loadModel } = await import('../src/models/load.js');
    const { createMlpSession } = await import('../src/core/inference/index.js');
    const { timeMedian } = await import('./stats.js');
    const model = await loadModel('digits', new URL('/src/models/', location.href));
    const session = await createMlpSession('wasm', model.layers);
    session.setInputs(model.inputs, model.labels.length);
    const configs = [4, 8].map((bits) => ({ bits, granularity: 'channel' as const }));
    let i = 0;
    const quantizeAll = () => session.quantize(model.layers.map(() => configs[i++ % 2]));
    const set = await quantizeAll();
    for (let k = 0; k < 5; k++) {
      await quantizeAll();
      await session.logits(null);
      await session.quantizedWithSensitivity(set);
      await session.quantizedWithSensitivity(set, 8);
      await session.logits(set, 8);
    }
    const rows = [
      // jax-js dispatches lazily: quantizing is timed with the pass that reads its output.
      {
        step: 'quantize 3 layers + quantized forward',
        'median ms': await timeMedian(30, async () => session.logits(await quantizeAll())),
      },
      { step: 'float forward, 2000 digits', 'median ms': await timeMedian(30, () => session.logits(null)) },
      {
        step: 'quantized forward + sensitivity (shared layer 1)',
        'median ms': await timeMedian(30, () => session.quantizedWithSensitivity(set)),
      },
      {
        step: 'quantized forward + sensitivity, activations 8',
        'median ms': await timeMedian(30, () => session.quantizedWithSensitivity(set, 8)),
      },
      {
        step: 'quantized forward, activations 8',
        'median ms': await timeMedian(30, () => session.logits(set, 8)),
      },
    ];
    session.dispose();
    console.log(table(`digits breakdown, wasm (crossOriginIsolated=${crossOriginIsolated})`, rows));
  });
});
