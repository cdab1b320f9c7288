import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/core/config.js';
import {
  ACTIVATIONS_FIELD,
  LAYERS_FIELD,
  LAYER_COUNT,
  MODEL_FIELD,
  argmaxRows,
  configLabel,
  sameQuantization,
  flipCaption,
  flippedExamples,
  floatBytes,
  gridPoints,
  layerBits,
  planeOf,
  sensitivityAxis,
  quantBytes,
  softmaxRow,
} from '../../src/components/quant-inference/quant-inference.model.js';

describe('<quant-inference> model', () => {
  it('both built-in models have LAYER_COUNT layers (the layers field counts on it)', () => {
    for (const m of ['digits', 'spirals']) {
      const manifest = JSON.parse(readFileSync(`src/models/${m}.json`, 'utf8')) as { layers: unknown[] };
      assert.equal(manifest.layers.length, LAYER_COUNT);
    }
  });

  it('fields: model, layers (count and range), activations', () => {
    assert.equal(MODEL_FIELD.parse('spirals'), 'spirals');
    assert.equal(MODEL_FIELD.parse('mnist'), undefined);
    assert.deepEqual(LAYERS_FIELD.parse('8 4 8'), [8, 4, 8]);
    assert.deepEqual(LAYERS_FIELD.parse(' 2,16 3 '), [2, 16, 3]);
    for (const bad of ['8 8', '8 8 8 8', '8 1 8', '8 17 8', '8 x 8', '8 4.5 8', ''])
      assert.equal(LAYERS_FIELD.parse(bad), undefined, bad);
    assert.equal(LAYERS_FIELD.format([8, 4, 8]), '8 4 8');
    assert.equal(ACTIVATIONS_FIELD.parse('float'), 'float');
    assert.equal(ACTIVATIONS_FIELD.parse('8'), 8);
    for (const bad of ['1', '17', 'int8', '8.5', ''])
      assert.equal(ACTIVATIONS_FIELD.parse(bad), undefined, bad);
    assert.ok(ACTIVATIONS_FIELD.valid(4) && ACTIVATIONS_FIELD.valid('float') && !ACTIVATIONS_FIELD.valid(1));
  });

  it('layers wins over bits, per layer', () => {
    assert.deepEqual(layerBits(4, undefined, 3), [4, 4, 4]);
    assert.deepEqual(layerBits(4, [8, 2, 8], 3), [8, 2, 8]);
  });

  it('bytes: float32 weights + biases vs packed codes + scales + zero-points + float biases', () => {
    const shapes = [
      [4, 3],
      [2, 4],
    ] as [number, number][];
    assert.equal(floatBytes(shapes), 4 * (12 + 4 + 8 + 2));
    // 8-bit per tensor, symmetric: 12 + 4 (scale) + 16 (bias) ; 8 + 4 + 8
    assert.equal(
      quantBytes(shapes, [8, 8], [1, 1], { format: 'int', scheme: 'symmetric' }),
      12 + 4 + 16 + 8 + 4 + 8,
    );
    // 4-bit per channel, affine: ceil(12·4/8)=6 + 4·4 scales + ceil(4·4/8)=2 zero-points + 16
    assert.equal(
      quantBytes(shapes, [4, 4], [4, 2], { format: 'int', scheme: 'affine' }),
      6 + 16 + 2 + 16 + (4 + 8 + 1 + 8),
    );
  });

  it('gallery entries: both predictions with their probabilities, and the caption', () => {
    const f = Float32Array.from([0, 3, 0, /* */ 2, 0, 0]);
    const q = Float32Array.from([1, 0, 0, /* */ 2, 0, 0]);
    const [e] = flippedExamples([0], f, q, 3, [1, 0]);
    assert.equal(e.index, 0);
    assert.equal(e.label, 1);
    assert.equal(e.floatClass, 1);
    assert.equal(e.quantClass, 0);
    assert.ok(Math.abs(e.floatProb - softmaxRow(f, 0, 3)[1]) < 1e-12);
    assert.equal(flipCaption(e, ['a', 'b', 'c']), 'float b (91%) → quantized a (58%)');
    assert.deepEqual([...argmaxRows(f, 3)], [1, 0]);
  });

  it('the plane covers the points; grid row 0 is the top', () => {
    const plane = planeOf([-1, 0, 1, 2], 0);
    assert.deepEqual(plane, { x0: -1, y0: 0, size: 2 });
    const g = gridPoints(plane, 2);
    assert.deepEqual([...g], [-0.5, 1.5, 0.5, 1.5, -0.5, 0.5, 0.5, 0.5]);
  });

  it('QAT labels: what weights were trained for, and whether a result quantizes alike', () => {
    const config = resolveConfig({ bits: 2 });
    const at = (c: object, layers = [2, 2, 2], activations: 'float' | number = 'float') => ({
      config: resolveConfig({ ...config, ...c }),
      layers,
      activations,
    });
    assert.equal(configLabel(at({})), '2-bit affine per-tensor, weights only');
    assert.equal(
      configLabel(at({ granularity: 'group', groupSize: 64 }, [8, 4, 8], 8)),
      '8/4/8-bit affine per-group (64), activations 8-bit',
    );
    assert.equal(
      configLabel(at({ format: 'nf4', granularity: 'group', groupSize: 64 })),
      'NF4 per-group (64), weights only',
    );
    assert.equal(configLabel(at({ format: 'mxfp4' })), 'MXFP4 (blocks of 32), weights only');
    assert.equal(configLabel(at({ format: 'bf16' })), 'BF16, weights only');
    assert.ok(sameQuantization(at({}), at({ seed: 3 }))); // the seed only matters to stochastic rounding
    assert.ok(!sameQuantization(at({ rounding: 'stochastic' }), at({ rounding: 'stochastic', seed: 3 })));
    assert.ok(!sameQuantization(at({}), at({ scheme: 'symmetric' })));
    assert.ok(!sameQuantization(at({}), at({}, [2, 2, 2], 8)));
    assert.ok(!sameQuantization(at({}), at({}, [2, 4, 2])));
    // bits and scheme do not apply to the other formats
    assert.ok(
      sameQuantization(at({ format: 'nf4' }), at({ format: 'nf4', bits: 8, scheme: 'symmetric' }, [8, 8, 8])),
    );
    assert.ok(!sameQuantization(at({ format: 'nf4' }), at({ format: 'fp4-e2m1' })));
  });
});

describe('sensitivity axis', () => {
  it('zooms to the values and the float reference, on a round step, within 0–1', () => {
    const [lo, hi] = sensitivityAxis([0.965, 0.968, 0.969], 0.968);
    assert.ok(lo <= 0.965 && hi >= 0.969, `${lo}–${hi}`);
    // 96.5 and 96.8 are a tenth of the axis apart at least (on 0–100 % they are 0.3 %)
    assert.ok((0.968 - 0.965) / (hi - lo) > 0.1, `${lo}–${hi}`);
    assert.deepEqual(sensitivityAxis([0.907, 0.887, 0.969], 0.988), [0.85, 1]);
    assert.deepEqual(sensitivityAxis([0.2, 0.9], 0.95), [0, 1]);
    assert.deepEqual(sensitivityAxis([], NaN), [0, 1]);
  });
});
