/**
 * <quant-arena> on wasm in Chromium (crossOriginIsolated), sizes 256 and 1024: each path's median
 * time and GFLOP/s, and the longest main-thread task from Run to the chart (the page must stay
 * responsive: every timing loop runs in the worker). Run with `npm run bench`.
 */
import { fixture, html } from '@open-wc/testing';
import '../src/components/quant-arena/quant-arena.js';
import type { QuantArena } from '../src/components/quant-arena/quant-arena.js';
import { table } from './stats.js';

describe('arena bench', function () {
  this.timeout(900000);

  for (const size of [256, 1024]) {
    it(`size ${size}, wasm`, async () => {
      const el = await fixture<QuantArena>(
        html`<quant-arena loading="eager" size=${size} iterations="10" devices="wasm"></quant-arena>`,
      );
      const long: number[] = [];
      const observer = new PerformanceObserver((l) => l.getEntries().forEach((e) => long.push(e.duration)));
      observer.observe({ type: 'longtask' });
      const t = performance.now();
      const r = await el.run();
      await new Promise((done) => requestAnimationFrame(() => done(null)));
      const total = performance.now() - t;
      observer.disconnect();
      const rows = r.runs.map((x) => ({
        path: x.path,
        device: x.device,
        shape: x.shape.join('x'),
        'median ms': x.medianMs,
        'p25 ms': x.p25Ms,
        'p75 ms': x.p75Ms,
        'GFLOP/s': x.gflops,
        'max |err|': x.maxAbsError,
      }));
      console.log(
        table(
          `<quant-arena> size ${size}, wasm, ${r.iterations} iterations (crossOriginIsolated=${crossOriginIsolated}): ` +
            `Run → chart ${(total / 1000).toFixed(1)} s, longest main-thread task ${Math.max(0, ...long).toFixed(0)} ms ` +
            `(${long.length} over 50 ms)`,
          rows,
        ) + `\nskipped: ${r.skipped.map((s) => `${s.path}/${s.device} (${s.reason})`).join('; ') || 'none'}`,
      );
      el.remove();
    });
  }
});
