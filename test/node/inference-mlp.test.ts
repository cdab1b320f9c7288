import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { init, numpy as np } from '@jax-js/jax';
import { fakeQuantize, MlpSession, type MlpLayer } from '../../src/core/inference/mlp.js';
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

/**
 * Plain float64 forward pass; `act` quantizes each layer's input with the oracle (per tensor,
 * affine), of the layers `actOn` names (default: all). `model` and `x` default to the ones above.
 */
function reference(
  weights: Float32Array[],
  act: number | null = null,
  actOn: (layer: number) => boolean = () => true,
  model: MlpLayer[] = layers,
  x: Float32Array = inputs,
): Float64Array {
  let h = Float64Array.from(x);
  let width = model[0].shape[1];
  model.forEach((l, li) => {
    if (act && actOn(li))
      h = Float64Array.from(referenceQuantize(Float32Array.from(h), [n, width], { bits: act }).dequantized);
    const [out, inp] = l.shape;
    const next = new Float64Array(n * out);
    for (let i = 0; i < n; i++)
      for (let o = 0; o < out; o++) {
        let sum = l.bias[o];
        for (let k = 0; k < inp; k++) sum += h[i * inp + k] * weights[li][o * inp + k];
        next[i * out + o] = li < model.length - 1 ? Math.max(sum, 0) : sum;
      }
    h = next;
    width = out;
  });
  return h;
}

const close = (got: Float32Array, want: Float64Array, tol: number) =>
  got.length === want.length &&
  got.every((v, i) => Math.abs(v - want[i]) <= tol * Math.max(1, Math.abs(want[i])));

const bits3 = { bits: 3, granularity: 'channel' } as const;

/** The dequantized weights of each layer at `config`, read back through the core's full result. */
const dequantized = (s: MlpSession, config: object) =>
  Promise.all(layers.map(async (_, i) => (await s.quantizeLayer(i, config)).dequantized));

before(async () => {
  await init('wasm');
});

describe('fakeQuantize (activations, per tensor)', () => {
  const run = async (x: number[], bits: number, nonNegative = false) =>
    Float32Array.from(
      (await fakeQuantize(np.array(Float32Array.from(x)), bits, nonNegative).data()) as Float32Array,
    );
  const oracle = (x: number[], bits: number) =>
    Float32Array.from(referenceQuantize(Float32Array.from(x), [x.length], { bits }).dequantized);
  const cases: [string, number[], number][] = [
    ['ties at .5 (range 0..6 at 2 bits: steps of 2)', [0, 1, 3, 5, 6, 2], 2],
    ['ties at .5, 8 bits', Array.from({ length: 40 }, (_, i) => (i * 255) / 510 / 40), 8],
    ['constant', [0.7, 0.7, 0.7], 4],
    ['all zero', [0, 0, 0, 0], 4],
    ['one element', [3.25], 3],
    ['ReLU-like spread', Array.from(values(64, 11), (v) => Math.max(v, 0) * 5), 8],
  ];
  for (const [name, x, bits] of cases)
    it(`non-negative input: the oracle's values, with and without the min pass (${name})`, async () => {
      const want = oracle(x, bits);
      assert.deepEqual(await run(x, bits), want);
      assert.deepEqual(await run(x, bits, true), want);
    });

  it("signed input: the oracle's values (a zero-point inside the range)", async () => {
    for (const bits of [2, 4, 8]) {
      const x = Array.from(values(50, bits));
      assert.deepEqual(await run(x, bits), oracle(x, bits), `${bits} bits`);
    }
    assert.deepEqual(await run([-3, -1, -2], 4), oracle([-3, -1, -2], 4), 'all negative');
  });
});

describe('MlpSession (the forward pass of <quant-inference>)', () => {
  it('float logits equal a plain forward pass', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const got = await s.logits(null);
      assert.ok(close(got, reference(layers.map((l) => l.weight)), 1e-5));
    } finally {
      s.dispose();
    }
  });

  it('quantize(configs) keeps the quantized weights on the device; logits use them, float where null', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const set = await s.quantize(layers.map(() => bits3));
      assert.deepEqual(set.scales, [6, 5, 3]); // channel = per output neuron
      const all = await dequantized(s, bits3);
      assert.ok(close(await s.logits(set), reference(all), 1e-5));
      // only layer 1 quantized (sensitivity)
      const mixed = await s.quantize([null, bits3, null]);
      assert.deepEqual(mixed.scales, [0, 5, 0]);
      assert.ok(close(await s.logits(mixed), reference([layers[0].weight, all[1], layers[2].weight]), 1e-5));
      // 3-bit weights do change the logits
      assert.ok(!close(await s.logits(set), reference(layers.map((l) => l.weight)), 1e-3));
    } finally {
      s.dispose();
    }
  });

  it('sensitivity starts later layers from kept float activations, which follow new inputs', async () => {
    const s = new MlpSession('wasm', layers);
    const fixed4 = (a: Float32Array) => [...a].map((v) => v.toFixed(4));
    try {
      s.setInputs(inputs, n);
      const set = await s.quantize(layers.map(() => bits3));
      await s.quantizedWithSensitivity(set); // keeps the float activations of these inputs
      s.setInputs(values(n * 8, 99), n);
      const { sensitivity } = await s.quantizedWithSensitivity(set);
      for (const i of [1, 2]) {
        const only = await s.quantize(layers.map((_, j) => (j === i ? bits3 : null)));
        assert.deepEqual(fixed4(sensitivity[i]), fixed4(await s.logits(only)), `layer ${i}`);
      }
    } finally {
      s.dispose();
    }
  });

  it('quantizedWithSensitivity: the quantized logits and each layer alone, sharing the first layer', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const set = await s.quantize(layers.map(() => ({ bits: 3 })));
      const weights = await dequantized(s, { bits: 3 });
      const { quant, sensitivity } = await s.quantizedWithSensitivity(set);
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

  it('quantizedWithSensitivity with activations: the quantized pass quantizes every layer input; layer i alone quantizes its weights and its input', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const set = await s.quantize(layers.map(() => ({ bits: 3 })));
      const weights = await dequantized(s, { bits: 3 });
      const { quant, sensitivity } = await s.quantizedWithSensitivity(set, 4);
      assert.deepEqual(quant, await s.logits(set, 4));
      for (let i = 0; i < layers.length; i++) {
        const only = layers.map((l, j) => (j === i ? weights[i] : l.weight));
        assert.ok(
          close(
            sensitivity[i],
            reference(only, 4, (j) => j === i),
            1e-4,
          ),
          `layer ${i}`,
        );
        // its input quantized: not the weight-only figure
        assert.ok(!close(sensitivity[i], reference(only), 1e-3), `layer ${i} input`);
      }
    } finally {
      s.dispose();
    }
  });

  it('activations: each layer input quantized per tensor as the oracle does', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const got = await s.logits(null, 4);
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
      // the held-out inputs are quantized once per width and kept; another width replaces them
      const six = await s.logits(null, 6);
      assert.ok(
        close(
          six,
          reference(
            layers.map((l) => l.weight),
            6,
          ),
          1e-4,
        ),
      );
      assert.deepEqual(await s.logits(null, 4), got);
      s.setInputs(values(n * 8, 98), n);
      assert.notDeepEqual(await s.logits(null, 4), got);
    } finally {
      s.dispose();
    }
  });

  it('any output width (1, 3, 16, 17 outputs, padded on the device or not) and a one-layer model: the reference logits, sensitivity included', async () => {
    const hidden = layers[0];
    const last = (out: number, seed: number): MlpLayer => ({
      weight: values(out * 6, seed),
      shape: [out, 6],
      bias: values(out, seed + 1),
    });
    const models: [string, MlpLayer[]][] = [
      ...[1, 3, 16, 17].map((out): [string, MlpLayer[]] => [`${out} outputs`, [hidden, last(out, 20 + out)]]),
      ['one layer', [{ weight: values(5 * 8, 41), shape: [5, 8], bias: values(5, 42) }]],
    ];
    for (const [name, model] of models) {
      const s = new MlpSession('wasm', model);
      try {
        s.setInputs(inputs, n);
        const float = model.map((l) => l.weight);
        assert.ok(close(await s.logits(null), reference(float, null, undefined, model), 1e-5), name);
        const set = await s.quantize(model.map(() => ({ bits: 3 })));
        const weights = await Promise.all(
          model.map(async (_, i) => (await s.quantizeLayer(i, { bits: 3 })).dequantized),
        );
        for (const act of [null, 4]) {
          const { quant, sensitivity } = await s.quantizedWithSensitivity(set, act);
          assert.ok(
            close(quant, reference(weights, act, undefined, model), 1e-4),
            `${name}, activations ${act}`,
          );
          model.forEach((_, i) => {
            const only = model.map((l, j) => (j === i ? weights[i] : l.weight));
            const want = reference(only, act, (j) => j === i, model);
            assert.ok(close(sensitivity[i], want, 1e-4), `${name}, activations ${act}, layer ${i} alone`);
          });
          // every array is the caller's own
          assert.equal(new Set([quant, ...sensitivity]).size, model.length + 1, name);
        }
      } finally {
        s.dispose();
      }
    }
  });

  it("activations on inputs with no negative value (pixels): the oracle's values; two widths kept, others quantized again", async () => {
    const pixels = Float32Array.from(inputs, Math.abs);
    pixels[3] = 0;
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(pixels, n);
      const float = layers.map((l) => l.weight);
      const want = (bits: number) => reference(float, bits, undefined, layers, pixels);
      for (const bits of [4, 6, 4, 3, 4, 6, 2, 6])
        assert.ok(close(await s.logits(null, bits), want(bits), 1e-4), `${bits} bits`);
    } finally {
      s.dispose();
    }
  });

  it('logitsOf runs other inputs through the same pass (the pad, the decision-region grid)', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const set = await s.quantize(layers.map(() => ({ bits: 3 })));
      assert.deepEqual(await s.logitsOf(inputs, n, set, 4), await s.logits(set, 4));
      const two = inputs.slice(0, 2 * 8);
      assert.deepEqual(await s.logitsOf(two, 2, null), (await s.logits(null)).slice(0, 6));
      await assert.rejects(s.logitsOf(two, 3, null), { code: 'invalid-shape' });
    } finally {
      s.dispose();
    }
  });

  it('a weight set evicted from the device is quantized again when used', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const first = await s.quantize(layers.map(() => bits3));
      const want = await s.logits(first);
      for (let b = 4; b < 12; b++) await s.quantize(layers.map(() => ({ bits: b }))); // evicts `first`
      assert.deepEqual(await s.logits(first), want);
      assert.deepEqual((await s.quantizedWithSensitivity(first)).quant, want);
    } finally {
      s.dispose();
    }
  });

  it('rejects layers that do not chain, one config per layer, and another session’s weight set', async () => {
    assert.throws(() => new MlpSession('wasm', [layers[0], layers[2]]), { code: 'invalid-shape' });
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      await assert.rejects(s.quantize([bits3]), { code: 'invalid-shape' });
      // a set is only valid on the session that made it (the same configs elsewhere mean other weights)
      const other = new MlpSession('wasm', layers);
      try {
        other.setInputs(inputs, n);
        const foreign = await other.quantize(layers.map(() => bits3));
        await assert.rejects(s.logits(foreign), { code: 'invalid-data' });
      } finally {
        other.dispose();
      }
      await assert.rejects(s.quantize([{ bits: 1 }, null, null]), { code: 'invalid-config' });
    } finally {
      s.dispose();
    }
  });

  it('withWeights: other weights on the same held-out inputs (not set again), as a session of their own', async () => {
    const other = layers.map((l, i) => ({ ...l, weight: values(l.weight.length, 20 + i) }));
    const s = new MlpSession('wasm', layers);
    const fresh = new MlpSession('wasm', other);
    try {
      s.setInputs(inputs, n);
      fresh.setInputs(inputs, n);
      const w = s.withWeights(other);
      try {
        // No setInputs on w: it runs s's inputs, and gives what a session of its own gives.
        for (const act of [null, 4]) {
          const set = await w.quantize(other.map(() => bits3));
          const want = await fresh.quantizedWithSensitivity(
            await fresh.quantize(other.map(() => bits3)),
            act,
          );
          assert.deepEqual(await w.quantizedWithSensitivity(set, act), want);
          assert.deepEqual(await w.logits(null, act), await fresh.logits(null, act));
        }
        // s keeps its own weights
        assert.ok(close(await s.logits(null), reference(layers.map((l) => l.weight)), 1e-5));
        // disposing s leaves w running on the shared inputs; w's setInputs is its own
        s.dispose();
        assert.ok(close(await w.logits(null), reference(other.map((l) => l.weight)), 1e-5));
        // … and its quantizers (compiled with s's) still quantize, at configs old and new
        for (const config of [bits3, { bits: 5 }]) {
          const set = await w.quantize(other.map(() => ({ ...config, seed: 2 })));
          const want = await fresh.logits(await fresh.quantize(other.map(() => ({ ...config, seed: 2 }))));
          assert.deepEqual(await w.logits(set), want);
        }
        w.setInputs(inputs.slice(0, 8 * 4), 4);
        assert.equal((await w.logits(null)).length, 4 * 3);
      } finally {
        w.dispose();
      }
      assert.throws(() => fresh.withWeights([layers[0], layers[1]]), { code: 'invalid-shape' });
    } finally {
      s.dispose();
      fresh.dispose();
    }
  });

  it('quantize: kept sets and layers are used again with the numbers of a fresh quantization, after eviction too', async () => {
    const s = new MlpSession('wasm', layers);
    try {
      s.setInputs(inputs, n);
      const a = await s.quantize(layers.map(() => bits3));
      const again = await s.quantize(layers.map(() => bits3));
      assert.equal(again.key, a.key);
      // layers 0 and 2 as in `a`, layer 1 at 2 bits: the same numbers as a session that never saw `a`
      const mixed = [bits3, { bits: 2 }, bits3];
      const fresh = new MlpSession('wasm', layers);
      try {
        fresh.setInputs(inputs, n);
        const want = await fresh.quantizedWithSensitivity(await fresh.quantize(mixed));
        assert.deepEqual(await s.quantizedWithSensitivity(await s.quantize(mixed)), want);
        // evicting `a` keeps the arrays the mixed set shares with it
        for (let b = 4; b < 8; b++) await s.quantize(layers.map(() => ({ bits: b })));
        assert.deepEqual(await s.quantizedWithSensitivity(await s.quantize(mixed)), want);
      } finally {
        fresh.dispose();
      }
    } finally {
      s.dispose();
    }
  });
});
