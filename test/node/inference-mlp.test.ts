import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MlpSession, type MlpLayer } from '../../src/core/inference/mlp.js';
import { referenceQuantize } from '../../src/core/reference.js';

/** Seeded values in [−1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) * 2 - 1;
  });
}

const layers: MlpLayer[] = [
  { weight: values(6 * 8, 1), shape: [6, 8], bias: values(6, 2) },
  { weight: values(5 * 6, 3), shape: [5, 6], bias: values(5, 4) },
  { weight: values(3 * 5, 5), shape: [3, 5], bias: values(3, 6) },
];
const n = 20;
const inputs = values(n * 8, 7);

/** Plain float64 forward pass; `act` quantizes each layer's input with the oracle (per tensor, affine). */
function reference(weights: Float32Array[], act: number | null = null): Float64Array {
  let h = Float64Array.from(inputs);
  let width = 8;
  layers.forEach((l, li) => {
    if (act)
      h = Float64Array.from(referenceQuantize(Float32Array.from(h), [n, width], { bits: act }).dequantized);
    const [out, inp] = l.shape;
    const next = new Float64Array(n * out);
    for (let i = 0; i < n; i++)
      for (let o = 0; o < out; o++) {
        let sum = l.bias[o];
        for (let k = 0; k < inp; k++) sum += h[i * inp + k] * weights[li][o * inp + k];
        next[i * out + o] = li < layers.length - 1 ? Math.max(sum, 0) : sum;
      }
    h = next;
    width = out;
  });
  return h;
}

const close = (got: Float32Array, want: Float64Array, tol: number) =>
  got.every((v, i) => Math.abs(v - want[i]) <= tol * Math.max(1, Math.abs(want[i])));

describe('MlpSession (the forward pass of <quant-inference>)', () => {
  it('float logits equal a plain forward pass', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const got = await s.logits([null, null, null]);
      assert.ok(close(got, reference(layers.map((l) => l.weight)), 1e-5));
    } finally {
      s.dispose();
    }
  });

  it('quantized and mixed weights run the same pass: logits of the weights given', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const q = await Promise.all(
        layers.map((_, i) => s.quantizeLayer(i, { bits: 3, granularity: 'channel' })),
      );
      assert.equal(q[0].scale.length, 6); // channel = per output neuron
      const all = q.map((r) => r.dequantized);
      assert.ok(close(await s.logits(all), reference(all), 1e-5));
      // only layer 1 quantized (sensitivity)
      const mixed = [layers[0].weight, all[1], layers[2].weight];
      assert.ok(close(await s.logits([null, all[1], null]), reference(mixed), 1e-5));
      // 3-bit weights do change the logits
      assert.ok(!close(await s.logits(all), reference(layers.map((l) => l.weight)), 1e-3));
    } finally {
      s.dispose();
    }
  });

  it('logitsWithOnly(i): layer i quantized alone, from the kept float activations, as a full pass', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      for (let i = 0; i < layers.length; i++) {
        const q = (await s.quantizeLayer(i, { bits: 3, granularity: 'channel' })).dequantized;
        const want = reference(layers.map((l, j) => (j === i ? q : l.weight)));
        assert.ok(close(await s.logitsWithOnly(i, q), want, 1e-5), `layer ${i}`);
      }
      // new inputs: the kept activations follow them
      const other = values(n * 8, 99);
      s.setInputs(other, n);
      const q = (await s.quantizeLayer(2, { bits: 3 })).dequantized;
      const full = await s.logits([null, null, q]);
      assert.deepEqual(
        [...(await s.logitsWithOnly(2, q))].map((v) => v.toFixed(4)),
        [...full].map((v) => v.toFixed(4)),
      );
    } finally {
      s.dispose();
    }
  });

  it('quantizedWithSensitivity: the quantized logits and each layer alone, sharing the first layer', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const q = await Promise.all(layers.map((_, i) => s.quantizeLayer(i, { bits: 3 })));
      const weights = q.map((r) => r.dequantized);
      const { quant, sensitivity } = await s.quantizedWithSensitivity(weights);
      assert.ok(close(quant, reference(weights), 1e-5));
      for (let i = 0; i < layers.length; i++)
        assert.ok(
          close(sensitivity[i], reference(layers.map((l, j) => (j === i ? weights[i] : l.weight))), 1e-5),
          `layer ${i}`,
        );
    } finally {
      s.dispose();
    }
  });

  it('activations: each layer input quantized per tensor as the oracle does', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const got = await s.logits([null, null, null], 4);
      assert.ok(
        close(
          got,
          reference(
            layers.map((l) => l.weight),
            4,
          ),
          1e-4,
        ),
      );
      assert.ok(!close(got, reference(layers.map((l) => l.weight)), 1e-3));
    } finally {
      s.dispose();
    }
  });

  it('logitsOf runs other inputs through the same pass (the pad, the decision-region grid)', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const q = await Promise.all(layers.map((_, i) => s.quantizeLayer(i, { bits: 3 })));
      const all = q.map((r) => r.dequantized);
      assert.deepEqual(await s.logitsOf(inputs, n, all, 4), await s.logits(all, 4));
      const two = inputs.slice(0, 2 * 8);
      assert.deepEqual(
        await s.logitsOf(two, 2, [null, null, null]),
        (await s.logits([null, null, null])).slice(0, 6),
      );
      await assert.rejects(s.logitsOf(two, 3, [null, null, null]), { code: 'invalid-shape' });
      await assert.rejects(s.logitsOf(two, 2, [new Float32Array(3), null, null]), { code: 'invalid-shape' });
    } finally {
      s.dispose();
    }
  });

  it('rejects layers that do not chain and weights of the wrong size', async () => {
    assert.throws(() => new MlpSession('wasm', [layers[0], layers[2]]), { code: 'invalid-shape' });
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      await assert.rejects(s.logits([new Float32Array(3), null, null]), { code: 'invalid-shape' });
    } finally {
      s.dispose();
    }
  });
});
