/**
 * The article's comparison (issue 22): held-out accuracy and mean KL(float ‖ quantized) of the
 * digits model for RTN, GPTQ, AWQ (256 calibration images) and QAT (default steps, from the float
 * weights) at 2, 3 and 4 bits, affine, per channel and per group of 32, weight-only — measured
 * through <quant-inference>'s `result`, as the page would. Run with
 * `npm run bench -- --files bench/methods.bench.ts`.
 */
import { fixture, html } from '@open-wc/testing';
import '../src/components/quant-inference/quant-inference.js';
import type { InferenceResult, QuantInference } from '../src/components/quant-inference/quant-inference.js';
import { table } from './stats.js';

function resultWhere(
  el: QuantInference,
  ok: (r: InferenceResult) => boolean,
  ms = 300000,
): Promise<InferenceResult> {
  if (el.result && ok(el.result)) return Promise.resolve(el.result);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching result in time')), ms);
    const on = (e: Event) => {
      const r = (e as CustomEvent<InferenceResult>).detail;
      if (!ok(r)) return;
      clearTimeout(timer);
      el.removeEventListener('quant-result', on);
      resolve(r);
    };
    el.addEventListener('quant-result', on);
  });
}

const pct = (a: number) => (100 * a).toFixed(2);

describe('methods bench', function () {
  this.timeout(1800000);

  it('digits: RTN / GPTQ / AWQ / QAT at 2, 3, 4 bits, per channel and per group 32', async () => {
    const el = await fixture<QuantInference>(html`<quant-inference loading="eager"></quant-inference>`);
    await resultWhere(el, () => true);
    const rows: Record<string, string | number>[] = [];
    for (const granularity of ['channel', 'group'] as const)
      for (const bits of [2, 3, 4]) {
        const row: Record<string, string | number> = {
          granularity: granularity === 'group' ? 'group 32' : 'channel',
          bits,
        };
        for (const method of ['rtn', 'gptq', 'awq'] as const) {
          const t0 = performance.now();
          const shown = resultWhere(
            el,
            (r) =>
              r.config.method === method &&
              r.config.bits === bits &&
              r.config.granularity === granularity &&
              !r.qat,
          );
          Object.assign(el, { method, bits, granularity, groupSize: 32 });
          const r = await shown;
          row.float ??= pct(r.accuracyFloat);
          row[`${method} acc %`] = pct(r.accuracyQuant);
          row[`${method} KL`] = r.meanKl.toExponential(2);
          if (method !== 'rtn') row[`${method} s`] = ((performance.now() - t0) / 1000).toFixed(1);
        }
        el.method = 'rtn';
        await resultWhere(el, (r) => r.config.method === 'rtn' && r.config.bits === bits);
        const q = await el.trainQat();
        row['qat acc %'] = pct(q.accuracyQuant);
        row['qat KL'] = q.meanKl.toExponential(2);
        el.resetQat();
        await resultWhere(el, (r) => !r.qat);
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    console.log(
      table(
        'digits held-out (2,000): accuracy and mean KL(float ‖ quantized), affine, weight-only; GPTQ/AWQ on 256 training images; QAT 200 steps from float',
        rows,
      ),
    );
  });
});
