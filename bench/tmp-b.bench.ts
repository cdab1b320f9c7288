import { fixture, html } from '@open-wc/testing';
import '../src/components/quant-inference/quant-inference.js';
import type { QuantInference } from '../src/components/quant-inference/quant-inference.js';
import { nextEvent } from '../test/helpers/wait.js';
describe('x', function () {
  this.timeout(600000);
  it('y', async () => {
    const el = await fixture<QuantInference>(
      html`<quant-inference loading="eager" device="wasm" granularity="channel"></quant-inference>`,
    );
    if (!el.result) await nextEvent(el, 'quant-result', 60000);
    const rows: string[] = [];
    for (let i = 0; i < 30; i++) {
      const done = nextEvent(el, 'quant-result', 60000);
      const t = performance.now();
      el.bits = i % 2 ? 8 : 4;
      await done;
      const T = (globalThis as any).__T;
      if (i > 5)
        rows.push(
          `${(performance.now() - t).toFixed(1)} fwd=${T.fwd.toFixed(1)} cmp=${T.cmp.toFixed(1)} run=${T.all.toFixed(1)} drawTask=${(T.draw ?? -1).toFixed(1)}`,
        );
    }
    console.log(rows.join('\n'));
  });
});
