/**
 * Heatmap benchmark: config change → redrawn heatmap (quant-result is emitted after
 * the canvas is drawn) at 32×32, 256×256 and 1024×1024, plus threshold changes
 * (no new quantization) and the canvas draw alone. Run in the browser with
 *   npx web-test-runner bench/heatmap.bench.ts --files bench/heatmap.bench.ts
 * Timings go to the console (median of a few runs).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-heatmap/quant-heatmap.js';
import type { QuantHeatmap } from '../src/components/quant-heatmap/quant-heatmap.js';
import { nextEvent } from '../test/helpers/wait.js';
import { timeMedian } from './stats.js';

describe('heatmap bench', function () {
  this.timeout(600000);

  for (const side of [32, 256, 1024]) {
    it(`${side}x${side}: config change → redrawn heatmap`, async () => {
      const el = await fixture<QuantHeatmap>(
        html`<quant-heatmap loading="eager" shape=${`${side}x${side}`}></quant-heatmap>`,
      );
      if (!el.result) await nextEvent(el, 'quant-ready', 120000);
      const runs = side >= 1024 ? 5 : 9;
      const bits = await timeMedian(runs, async () => {
        const done = nextEvent(el, 'quant-result', 120000);
        el.bits = el.bits === 8 ? 4 : 8;
        await done;
      });
      const thresholds = await timeMedian(runs, async () => {
        const done = nextEvent(el, 'quant-result', 120000);
        el.thresholds = el.thresholds[0] === 0.001 ? [0.002, 0.02] : [0.001, 0.01];
        await done;
      });
      const draw = await timeMedian(runs, () => el.redraw());
      expect(el.result!.errors.length).to.equal(side * side);
      console.log(
        `heatmap ${side}x${side}: new bits → redrawn ${bits.toFixed(1)} ms; ` +
          `new thresholds → redrawn ${thresholds.toFixed(1)} ms; canvas draw ${draw.toFixed(1)} ms`,
      );
    });
  }
});
