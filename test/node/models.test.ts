/**
 * The committed models of <quant-inference> (src/models/, written by `npm run train`): the assets
 * match their manifests, the float32 reference reproduces `accuracyFloat` exactly, the split is
 * the one the training script makes, and a short training run is deterministic.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { packWeights } from '../../scripts/train/assets.js';
import { CONFIGS, modelData, trainModel } from '../../scripts/train/train.js';
import {
  inputsToFloat32,
  labelsOf,
  sliceWeights,
  type AssetFile,
  type FloatLayer,
  type ModelManifest,
  type ModelName,
} from '../../src/models/manifest.js';
import { argmax, countCorrect, forwardFloat32, predictFloat32 } from '../../src/models/reference.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/models');

function read(file: string): ArrayBuffer {
  const bytes = readFileSync(join(dir, file));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

function sha256(data: ArrayBuffer | Uint8Array): string {
  return createHash('sha256')
    .update(data instanceof Uint8Array ? data : new Uint8Array(data))
    .digest('hex');
}

function loadAsset(asset: AssetFile): ArrayBuffer {
  // Shipped gzipped (static servers rarely compress .bin): the manifest describes the content.
  assert.equal(asset.encoding, 'gzip', `${asset.file}: gzipped`);
  const file = read(asset.file);
  assert.equal(file.byteLength, asset.encodedBytes, `${asset.file}: gzipped size`);
  const inflated = gunzipSync(new Uint8Array(file));
  const buffer = inflated.buffer.slice(inflated.byteOffset, inflated.byteOffset + inflated.byteLength);
  assert.equal(buffer.byteLength, asset.bytes, `${asset.file}: size`);
  assert.equal(sha256(buffer), asset.sha256, `${asset.file}: sha256`);
  return buffer;
}

function manifestOf(model: ModelName): ModelManifest {
  return JSON.parse(readFileSync(join(dir, `${model}.json`), 'utf8')) as ModelManifest;
}

/** A float64 forward pass, written independently of the reference, for a sanity bound. */
function forward64(layers: FloatLayer[], input: Float32Array): number[] {
  let x: number[] = Array.from(input);
  for (const l of layers) {
    const [out, inp] = l.shape;
    const y: number[] = [];
    for (let o = 0; o < out; o++) {
      let acc = l.bias[o];
      for (let k = 0; k < inp; k++) acc += l.weight[o * inp + k] * x[k];
      y.push(l.activation === 'relu' ? Math.max(0, acc) : acc);
    }
    x = y;
  }
  return x;
}

for (const model of ['digits', 'spirals'] as const) {
  describe(`model ${model}`, () => {
    const manifest = manifestOf(model);
    const config = CONFIGS[model];

    it('has the manifest of the training configuration', () => {
      assert.equal(manifest.version, 1);
      assert.equal(manifest.model, model);
      assert.equal(manifest.trainSize, config.trainSize);
      assert.equal(manifest.heldOutSize, config.heldOutSize);
      assert.equal(manifest.seed, config.seed);
      assert.equal(manifest.epochs, config.epochs);
      assert.equal(manifest.batchSize, config.batchSize);
      assert.equal(manifest.optimizer.lr, config.lr);
      assert.equal(manifest.optimizer.weightDecay, config.weightDecay);
      assert.equal(manifest.classes.length, config.sizes[config.sizes.length - 1]);
      assert.match(manifest.trainedWith, /^jax-js 0\.1\.25 \((wasm|cpu)\)$/);
      assert.equal(manifest.history.length, manifest.epochs);
      assert.equal(manifest.data.heldOut.count, manifest.heldOutSize);
      assert.equal(manifest.data.train.count, config.qatTrainSize);
      for (const set of [manifest.data.heldOut, manifest.data.train]) {
        assert.equal(
          set.classCounts.reduce((a, b) => a + b, 0),
          set.count,
        );
      }
    });

    it('stores the layers as [out, in] with contiguous offsets', () => {
      const layers = sliceWeights(loadAsset(manifest.weights), manifest);
      assert.deepEqual(
        layers.map((l) => l.shape),
        config.sizes.slice(1).map((out, i) => [out, config.sizes[i]]),
      );
      let at = 0;
      manifest.layers.forEach((entry, i) => {
        const [out, inp] = entry.shape;
        assert.equal(entry.offset, at, `${entry.name}.weight offset`);
        at += out * inp * 4;
        assert.equal(entry.bias.offset, at, `${entry.name}.bias offset`);
        assert.deepEqual(entry.bias.shape, [out]);
        at += out * 4;
        assert.equal(entry.activation, i < manifest.layers.length - 1 ? 'relu' : 'none');
        assert.equal(layers[i].weight.length, out * inp);
        assert.ok(layers[i].weight.every(Number.isFinite) && layers[i].bias.every(Number.isFinite));
      });
      assert.equal(at, manifest.weights.bytes);
      // The script's packing of the sliced layers gives back the file and the entries.
      const packed = packWeights(layers);
      assert.equal(sha256(packed.bytes), manifest.weights.sha256);
      assert.deepEqual(packed.entries, manifest.layers);
    });

    it('reproduces accuracyFloat exactly with the float32 reference, and it is ≥ 95%', () => {
      const layers = sliceWeights(loadAsset(manifest.weights), manifest);
      const { heldOut } = manifest.data;
      const inputs = inputsToFloat32(loadAsset(heldOut.inputs), manifest.input, heldOut.count);
      const labels = labelsOf(loadAsset(heldOut.labels), heldOut.count, manifest.classes.length);
      const predicted = predictFloat32(layers, inputs);
      const correct = countCorrect(predicted, labels);
      assert.equal(correct, manifest.correctFloat);
      assert.equal(correct / manifest.heldOutSize, manifest.accuracyFloat);
      assert.ok(manifest.accuracyFloat >= 0.95, `accuracy ${manifest.accuracyFloat}`);

      // An independent float64 pass agrees on (almost) every example: the reference is a forward
      // pass, and the float32 rounding decides at most a near-tie or two.
      const size = layers[0].shape[1];
      let differ = 0;
      for (let i = 0; i < heldOut.count; i++) {
        if (argmax(forward64(layers, inputs.subarray(i * size, (i + 1) * size))) !== predicted[i]) differ++;
      }
      assert.ok(differ <= 2, `${differ} predictions differ in float64`);
    });

    it('ships the held-out set and QAT subset of the script split (deterministic)', () => {
      const data = modelData(config);
      const stored = (set: typeof data.train, count: number) =>
        'images' in set ? set.images.subarray(0, count * set.dim) : set.points.subarray(0, count * set.dim);
      const bytes = (a: Uint8Array | Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      const { heldOut, train } = manifest.data;
      assert.equal(sha256(bytes(stored(data.heldOut, heldOut.count))), heldOut.inputs.sha256);
      assert.equal(sha256(data.heldOut.labels), heldOut.labels.sha256);
      assert.equal(sha256(bytes(stored(data.train, train.count))), train.inputs.sha256);
      assert.equal(sha256(data.train.labels.subarray(0, train.count)), train.labels.sha256);
      // Train and held-out are disjoint: the split is a permutation of all rows.
      assert.equal(manifest.source.total, model === 'digits' ? 10000 : 3000);
      assert.ok(data.train.n + data.heldOut.n <= manifest.source.total);
    });
  });
}

describe('model assets', () => {
  it('digits inputs are 28×28 bytes and labels cover all ten classes', () => {
    const m = manifestOf('digits');
    assert.deepEqual(m.input, { kind: 'image-uint8', width: 28, height: 28 });
    assert.equal(m.data.heldOut.inputs.bytes, 2000 * 784);
    assert.ok(m.data.heldOut.classCounts.every((n) => n > 150));
  });

  it('sliceWeights rejects a buffer that does not match the manifest', () => {
    const m = manifestOf('spirals');
    assert.throws(() => sliceWeights(new ArrayBuffer(m.weights.bytes - 4), m), RangeError);
    const swapped = { ...m, layers: [m.layers[1], m.layers[0], m.layers[2]] };
    assert.throws(() => sliceWeights(read(m.weights.file), swapped), RangeError);
    const misaligned = { ...m, layers: [{ ...m.layers[0], offset: 2 }, ...m.layers.slice(1)] };
    assert.throws(() => sliceWeights(read(m.weights.file), misaligned), RangeError);
  });

  it('forwardFloat32 is a dense ReLU network', () => {
    const layers: FloatLayer[] = [
      {
        name: 'a',
        shape: [2, 2],
        weight: Float32Array.of(1, 2, -1, -1),
        bias: Float32Array.of(0.5, 0),
        activation: 'relu',
      },
      {
        name: 'b',
        shape: [1, 2],
        weight: Float32Array.of(1, 10),
        bias: Float32Array.of(-1),
        activation: 'none',
      },
    ];
    // [1, 1] → relu([3.5, -2]) = [3.5, 0] → 3.5 − 1
    assert.deepEqual(Array.from(forwardFloat32(layers, Float32Array.of(1, 1))), [2.5]);
  });
});

describe('training', () => {
  it('is deterministic: a short digits run gives identical weights twice', async () => {
    const run = () => trainModel('digits', { epochs: 1, trainSize: 500 });
    const a = await run();
    const b = await run();
    assert.equal(a.layers.length, 3);
    for (let i = 0; i < a.layers.length; i++) {
      assert.deepEqual(a.layers[i].shape, b.layers[i].shape);
      assert.equal(
        sha256(new Uint8Array(a.layers[i].weight.buffer)),
        sha256(new Uint8Array(b.layers[i].weight.buffer)),
      );
      assert.equal(
        sha256(new Uint8Array(a.layers[i].bias.buffer)),
        sha256(new Uint8Array(b.layers[i].bias.buffer)),
      );
    }
    assert.equal(a.correctFloat, b.correctFloat);
    assert.ok(Number.isFinite(a.history[0].loss));
    // Five steps already beat chance by far.
    assert.ok(a.correctFloat > 2000 * 0.3, `${a.correctFloat}/2000 after one short epoch`);
  });

  it('is deterministic for spirals too', async () => {
    const run = () => trainModel('spirals', { epochs: 2, trainSize: 500 });
    const a = await run();
    const b = await run();
    for (let i = 0; i < a.layers.length; i++) {
      assert.deepEqual(a.layers[i].weight, b.layers[i].weight);
      assert.deepEqual(a.layers[i].bias, b.layers[i].bias);
    }
  });
});
