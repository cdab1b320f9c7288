import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEVICES_FIELD,
  ITERATIONS_FIELD,
  PATHS_FIELD,
  SIZE_FIELD,
  barsOf,
  gflopsAt,
  memoryRows,
  workedExample,
  type ArenaRun,
} from '../../src/components/quant-arena/quant-arena.model.js';
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
});
