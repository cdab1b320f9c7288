/**
 * Heatmap benchmark at 32×32, 256×256 and 1024×1024: a config change → redrawn heatmap
 * (quant-result is emitted after the canvas is drawn); a threshold change and an error-mode
 * change → redrawn heatmap (view-only: no quantization, no quant-result; the update that
 * repaints is awaited); the canvas draw alone (as before); and redraw() (an update, then the
 * draw with the tokens read anew). Run with
 *   npx web-test-runner --files bench/heatmap.bench.ts
 * One table on the console (median / p95 of one run).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/components/quant-heatmap/quant-heatmap.js';
import type { QuantHeatmap } from '../src/components/quant-heatmap/quant-heatmap.js';
import { nextEvent } from '../test/helpers/wait.js';
import { table, timeRuns } from './stats.js';

describe('heatmap bench', function () {
  this.timeout(600000);
  const rows: Record<string, string | number>[] = [];
  after(() => console.log(table('<quant-heatmap> change → redrawn, ms (median / p95)', rows)));

  for (const side of [32, 256, 1024]) {
    it(`${side}x${side}: config change → redrawn heatmap`, async () => {
      const el = await fixture<QuantHeatmap>(
        html`<quant-heatmap loading="eager" shape=${`${side}x${side}`}></quant-heatmap>`,
      );
      if (!el.result) await nextEvent(el, 'quant-ready', 120000);
      const runs = side >= 1024 ? 9 : 15;
      const bits = await timeRuns(runs, async () => {
        const done = nextEvent(el, 'quant-result', 120000);
        el.bits = el.bits === 8 ? 4 : 8;
        await done;
      });
      // View-only changes: the update that repaints the canvas, and no new result.
      const result = el.result;
      let results = 0;
      const count = () => results++;
      el.addEventListener('quant-result', count);
      const thresholds = await timeRuns(runs, async () => {
        el.thresholds = el.thresholds[0] === 0.001 ? [0.002, 0.02] : [0.001, 0.01];
        await el.updateComplete;
      });
      const mode = await timeRuns(runs, async () => {
        el.errorMode = el.errorMode === 'abs' ? 'relative' : 'abs';
        await el.updateComplete;
      });
      const draw = await timeRuns(runs, () => (el as unknown as { draw(): void }).draw());
      const redraw = await timeRuns(runs, async () => {
        el.redraw();
        await el.updateComplete;
      });
      el.removeEventListener('quant-result', count);
      expect(results, 'a view-only change emitted quant-result').to.equal(0);
      expect(el.result).to.equal(result);
      expect(el.result!.codes.length).to.equal(side * side);
      const cell = (t: { median: number; p95: number }) => `${t.median.toFixed(1)} / ${t.p95.toFixed(1)}`;
      rows.push({
        shape: `${side}x${side}`,
        'new bits → redrawn': cell(bits),
        'new thresholds': cell(thresholds),
        'new error mode': cell(mode),
        'canvas draw': cell(draw),
        'redraw()': cell(redraw),
      });
    });
  }
});
