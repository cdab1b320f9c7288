/**
 * <quant-arena> on wasm in Chromium (crossOriginIsolated): sizes 256 and 1024 (matmul and matvec),
 * and 2048 matvec only (memory-bound: the operands no longer fit in cache, so int8's 4× fewer bytes
 * should show). Each path's median time, GFLOP/s, and its ratio to f32-simd on the same shape (the
 * SIMD pair has the same tiling, so the ratio compares data types), and the longest main-thread task
 * from Run to the chart (the page must stay responsive: every timing loop runs in the worker). Run
 * with `npm run bench`.
 */
import { fixture, html } from '@open-wc/testing';
import '../src/components/quant-arena/quant-arena.js';
import type { QuantArena } from '../src/components/quant-arena/quant-arena.js';
import { table } from './stats.js';

const CASES = [
  { size: 256, mode: 'both', paths: 'float32 int-jax float16 f32-simd i8-simd i8-relaxed' },
  { size: 1024, mode: 'both', paths: 'float32 int-jax float16 f32-simd i8-simd i8-relaxed' },
  { size: 2048, mode: 'matvec', paths: 'float32 f32-simd i8-simd i8-relaxed' },
];

describe('arena bench', function () {
  this.timeout(900000);

  for (const { size, mode, paths } of CASES) {
    it(`size ${size}, ${mode}, wasm`, async () => {
      const el = await fixture<QuantArena>(
        html`<quant-arena
          loading="eager"
          size=${size}
          mode=${mode}
          paths=${paths}
          iterations="10"
          devices="wasm"
        ></quant-arena>`,
      );
      const long: number[] = [];
      const observer = new PerformanceObserver((l) => l.getEntries().forEach((e) => long.push(e.duration)));
      observer.observe({ type: 'longtask' });
      const t = performance.now();
      const r = await el.run();
      await new Promise((done) => requestAnimationFrame(() => done(null)));
      const total = performance.now() - t;
      observer.disconnect();
      const f32 = (shape: string) =>
        r.runs.find((x) => x.path === 'f32-simd' && x.shape.join('x') === shape)?.gflops ?? NaN;
      const rows = r.runs.map((x) => ({
        path: x.path,
        device: x.device,
        shape: x.shape.join('x'),
        'median ms': x.medianMs,
        'p25 ms': x.p25Ms,
        'p75 ms': x.p75Ms,
        'GFLOP/s': x.gflops,
        '× f32-simd': x.gflops / f32(x.shape.join('x')),
        'GB/s': x.bytes / (x.medianMs * 1e6),
        'max |err|': x.maxAbsError.toPrecision(3),
      }));
      console.log(
        table(
          `<quant-arena> size ${size} ${mode}, wasm, ${r.iterations} iterations (crossOriginIsolated=${crossOriginIsolated}): ` +
            `Run → chart ${(total / 1000).toFixed(1)} s, longest main-thread task ${Math.max(0, ...long).toFixed(0)} ms ` +
            `(${long.length} over 50 ms)`,
          rows,
        ) + `\nskipped: ${r.skipped.map((s) => `${s.path}/${s.device} (${s.reason})`).join('; ') || 'none'}`,
      );
      el.remove();
    });
  }
});
