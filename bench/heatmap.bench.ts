/**
 * Heatmap benchmark at 32×32, 256×256 and 1024×1024: a config change → redrawn heatmap
 * (quant-result is emitted after the canvas is drawn); a threshold change and an error-mode
 * change → redrawn heatmap (view-only: no quantization, no quant-result; the update that
 * repaints is awaited); the canvas draw alone (as before); and redraw() (an update, then the
 * draw with the tokens read anew). Run with
 *   npx web-test-runner --files bench/heatmap.bench.ts
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
      // View-only changes: the update that repaints the canvas, and no new result.
      const result = el.result;
      let results = 0;
      const count = () => results++;
      el.addEventListener('quant-result', count);
      const thresholds = await timeMedian(runs, async () => {
        el.thresholds = el.thresholds[0] === 0.001 ? [0.002, 0.02] : [0.001, 0.01];
        await el.updateComplete;
      });
      const mode = await timeMedian(runs, async () => {
        el.errorMode = el.errorMode === 'abs' ? 'relative' : 'abs';
        await el.updateComplete;
      });
      const draw = await timeMedian(runs, () => (el as unknown as { draw(): void }).draw());
      const redraw = await timeMedian(runs, async () => {
        el.redraw();
        await el.updateComplete;
      });
      el.removeEventListener('quant-result', count);
      expect(results, 'a view-only change emitted quant-result').to.equal(0);
      expect(el.result).to.equal(result);
      expect(el.result!.codes.length).to.equal(side * side);
      console.log(
        `heatmap ${side}x${side}: new bits → redrawn ${bits.toFixed(1)} ms; ` +
          `new thresholds → redrawn ${thresholds.toFixed(1)} ms; new error mode → redrawn ${mode.toFixed(1)} ms; ` +
          `canvas draw ${draw.toFixed(1)} ms; redraw() ${redraw.toFixed(1)} ms`,
      );
    });
  }
});
