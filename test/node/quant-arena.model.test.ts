import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEVICES_FIELD,
  ITERATIONS_FIELD,
  PATHS_FIELD,
  SIZE_FIELD,
  barsOf,
  headline,
  gflopsAt,
  memoryRows,
  workedExample,
  type ArenaRun,
} from '../../src/components/quant-arena/quant-arena.model.js';
import { barChart } from '../../src/components/quant-arena/quant-arena.chart.js';
import { referenceQuantize } from '../../src/core/reference.js';

const run = (
  path: ArenaRun['path'],
  device: string,
  shape: [number, number, number],
  ms: number,
): ArenaRun => ({
  path,
  device,
  shape,
  medianMs: ms,
  p25Ms: ms * 0.9,
  p75Ms: ms * 1.2,
  gflops: gflopsAt(shape, ms),
  bytes: 1,
  maxAbsError: 0,
  reference: 'float32',
});

describe('arena model', () => {
  it('attribute fields: ranges, lists, auto', () => {
    assert.deepEqual(
      [SIZE_FIELD.parse('16'), SIZE_FIELD.parse('2048'), SIZE_FIELD.parse('15')],
      [16, 2048, undefined],
    );
    assert.equal(ITERATIONS_FIELD.parse('0'), undefined);
    assert.deepEqual(DEVICES_FIELD.parse('wasm webgpu'), ['wasm', 'webgpu']);
    assert.equal(DEVICES_FIELD.parse('auto'), 'auto');
    for (const bad of ['tpu', '', 'wasm wasm', 'auto wasm'])
      assert.equal(DEVICES_FIELD.parse(bad), undefined, bad);
    assert.deepEqual(PATHS_FIELD.parse('i8-simd float32'), ['i8-simd', 'float32']);
    assert.equal(PATHS_FIELD.parse('int4'), undefined);
    assert.equal(PATHS_FIELD.default.length, 6);
  });

  it('bars: one per run of the shape kind, fastest first, whiskers from p75 (low) to p25 (high)', () => {
    const runs = [
      run('float32', 'wasm', [64, 64, 64], 2),
      run('i8-simd', 'wasm-simd', [64, 64, 64], 1),
      run('float32', 'wasm', [64, 64, 1], 0.01),
    ];
    const bars = barsOf({ runs }, 'matmul');
    assert.deepEqual(bars.labels, ['i8-simd · wasm-simd', 'float32 · wasm']);
    assert.equal(bars.gflops[0], (2 * 64 ** 3) / 1e6);
    assert.ok(bars.low[0] < bars.gflops[0] && bars.gflops[0] < bars.high[0]);
    assert.equal(barsOf({ runs }, 'matvec').labels.length, 1);
  });

  it('memory rows from the result, as ratios to float32', () => {
    const rows = memoryRows({ float32Bytes: 262144, int8Bytes: 65540, int4Bytes: 32772 });
    assert.deepEqual(
      rows.map((r) => r.bytes),
      [262144, 65540, 32772],
    );
    assert.equal(rows[0].ratio, 1);
    assert.ok(Math.abs(rows[2].ratio - 7.999) < 0.01);
  });

  it('the worked example: integer arithmetic on the codes equals the dequantized product', () => {
    const a = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i) + 0.4);
    const b = Float32Array.from({ length: 16 }, (_, i) => Math.cos(i * 0.7) - 0.2);
    const qa = referenceQuantize(a, [4, 4], { bits: 8 });
    const qb = referenceQuantize(b, [4, 4], { bits: 8 });
    const w = workedExample(qa, qb, 4, 4, 4);
    assert.notEqual(qa.zeroPoint[0], 0); // affine: the correction terms matter
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let want = 0; // Σ (qa − za)(qb − zb), the corrected sum by definition
        for (let t = 0; t < 4; t++)
          want += (qa.codes[i * 4 + t] - qa.zeroPoint[0]) * (qb.codes[t * 4 + j] - qb.zeroPoint[0]);
        const c = i * 4 + j;
        assert.equal(w.corrected[c], want);
        assert.equal(w.corrected[c], w.raw[c] - w.rowTerm[c] - w.colTerm[c] + w.constant);
        let deq = 0;
        for (let t = 0; t < 4; t++) deq += qa.dequantized[i * 4 + t] * qb.dequantized[t * 4 + j];
        assert.ok(
          Math.abs(w.output[c] - deq) < 1e-5 * Math.max(1, Math.abs(deq)),
          `${w.output[c]} vs ${deq}`,
        );
      }
    }
  });

  describe('headline', () => {
    const mm: [number, number, number] = [256, 256, 256];
    const timed = (path: ArenaRun['path'], device: string, p25: number, median: number, p75: number) => ({
      ...run(path, device, mm, median),
      p25Ms: p25,
      p75Ms: p75,
    });
    // The two runs of the issue: medians that flip, ranges that overlap.
    const first = [
      timed('f32-simd', 'wasm-simd', 1.0, 1.2, 2.4),
      timed('i8-relaxed', 'wasm-simd', 1.1, 2.0, 2.6),
      timed('float32', 'wasm', 9, 10, 11),
    ];
    const second = [
      timed('f32-simd', 'wasm-simd', 1.2, 2.2, 2.5),
      timed('i8-relaxed', 'wasm-simd', 1.0, 2.0, 2.3),
      timed('float32', 'wasm', 9, 10, 11),
    ];

    it('overlapping p25–p75 ranges: no measurable difference, the same sentence whichever median wins', () => {
      const a = headline({ runs: first, iterations: 20 }, 'matmul');
      const b = headline({ runs: second, iterations: 20 }, 'matmul');
      assert.match(a, /no measurable difference between/);
      assert.match(a, /p25–p75 of 20 timed runs overlap/);
      assert.doesNotMatch(a, /fastest/);
      for (const s of [a, b]) for (const name of ['f32-simd', 'i8-relaxed']) assert.ok(s.includes(name), s);
      // float32 is clear of both: named with the ratio the ranges guarantee (9 / 2.4)
      assert.match(a, /the others are measurably slower than f32-simd, float32 on wasm by at least 3\.8×/);
    });

    it('a wide range that reaches a slow run does not make the clear ones tie with it', () => {
      const s = headline(
        {
          runs: [
            timed('i8-relaxed', 'wasm-simd', 0.5, 0.9, 5),
            timed('f32-simd', 'wasm-simd', 0.95, 1, 1.05),
            timed('int-jax', 'wasm', 3, 3.2, 3.4),
          ],
          iterations: 10,
        },
        'matmul',
      );
      assert.match(s, /no measurable difference between i8-relaxed and f32-simd \(/);
      assert.match(s, /int-jax on wasm by at least 2\.9×/);
    });

    it("a clear winner is named with its ratio and the ratio's range", () => {
      const s = headline(
        {
          runs: [timed('i8-simd', 'wasm-simd', 3.6, 4, 4.4), timed('f32-simd', 'wasm-simd', 0.9, 1, 1.1)],
          iterations: 5,
        },
        'matmul',
      );
      assert.equal(
        s,
        '256×256 · 256×256 matmul: f32-simd is fastest, 4× (3.3–4.9×) the speed of i8-simd, the next ' +
          '(p25–p75 of 5 timed runs; the ranges do not overlap).',
      );
    });

    it('one shape at a time; nothing for a shape that did not run', () => {
      assert.equal(headline({ runs: first, iterations: 20 }, 'matvec'), '');
    });
  });

  it('the chart has one series per kernel, each with a value at its own x only', () => {
    const runs = [
      run('float32', 'wasm', [64, 64, 64], 2),
      run('int-jax', 'wasm', [64, 64, 64], 3),
      run('f32-simd', 'wasm-simd', [64, 64, 64], 1),
      run('i8-simd', 'wasm-simd', [64, 64, 64], 1.5),
    ];
    const bars = barsOf({ runs }, 'matmul');
    const c = { bar: 'blue', int: 'orange', fg: 'black', muted: 'grey', border: 'grey', font: 'sans-serif' };
    const spec = barChart(bars, c);
    const series = spec.options.series.slice(1);
    assert.deepEqual(
      series.map((s) => s.label),
      bars.labels,
    );
    assert.equal(spec.data.length, 1 + runs.length);
    spec.data.slice(1).forEach((ys, i) =>
      assert.deepEqual(
        [...ys].map((v, j) => (j === i ? v : v === null)),
        bars.gflops.map((g, j) => (j === i ? g : true)),
      ),
    );
    // integer kernels in their own colour
    assert.deepEqual(
      series.map((s) => s.stroke),
      bars.paths.map((p) => (p === 'int-jax' || p === 'i8-simd' ? 'orange' : 'blue')),
    );
  });
});
