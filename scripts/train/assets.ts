/**
 * Turns a trained model into the committed assets: the packed weights file, the data files and
 * the manifest (src/models/manifest.ts describes the format).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as prettier from 'prettier';
import type { AssetFile, DataSet, FloatLayer, LayerEntry, ModelManifest } from '../../src/models/manifest.js';
import type { ByteSet, FloatSet } from './data.js';
import type { TrainedModel } from './train.js';

/** The bytes of a typed array (little-endian on every platform Node runs on; checked). */
export function bytesOf(a: Float32Array | Uint8Array): Uint8Array {
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('big-endian platform');
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** All layers' W (`[out, in]`, row-major) then b, float32, concatenated in layer order. */
export function packWeights(layers: readonly FloatLayer[]): { bytes: Uint8Array; entries: LayerEntry[] } {
  const floats = layers.reduce((n, l) => n + l.weight.length + l.bias.length, 0);
  const all = new Float32Array(floats);
  let at = 0;
  const entries = layers.map((l): LayerEntry => {
    const offset = at * 4;
    all.set(l.weight, at);
    at += l.weight.length;
    const biasOffset = at * 4;
    all.set(l.bias, at);
    at += l.bias.length;
    return {
      name: l.name,
      shape: [l.shape[0], l.shape[1]],
      offset,
      bias: { shape: [l.bias.length], offset: biasOffset },
      activation: l.activation,
    };
  });
  return { bytes: bytesOf(all), entries };
}

function jaxVersion(): string {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('@jax-js/jax')), '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Writes `bytes` gzipped as `<file>.gz` (static servers rarely compress `.bin`; the loader inflates
 * with DecompressionStream) and describes it: size and hash are of the bytes themselves.
 */
export function gzipAsset(outDir: string, file: string, bytes: Uint8Array): AssetFile {
  const gz = gzipSync(bytes, { level: 9 });
  writeFileSync(join(outDir, `${file}.gz`), gz);
  return {
    file: `${file}.gz`,
    bytes: bytes.length,
    sha256: sha256(bytes),
    encoding: 'gzip',
    encodedBytes: gz.length,
  };
}

/** Writes the model's assets and manifest (`<model>.json`) to `outDir`; returns the manifest. */
export async function writeModel(t: TrainedModel, outDir: string): Promise<ModelManifest> {
  const { config: c, data } = t;
  const name = c.model;

  const asset = (file: string, bytes: Uint8Array): AssetFile => gzipAsset(outDir, file, bytes);
  const dataSet = (prefix: string, set: ByteSet | FloatSet, count: number): DataSet => {
    const classCounts = new Array<number>(c.classes.length).fill(0);
    for (const label of set.labels.subarray(0, count)) classCounts[label]++;
    const [kind, inputs] =
      'images' in set
        ? ['images', set.images.subarray(0, count * set.dim)]
        : ['points', set.points.subarray(0, count * set.dim)];
    return {
      count,
      classCounts,
      inputs: asset(`${prefix}-${kind}.bin`, bytesOf(inputs)),
      labels: asset(`${prefix}-labels.bin`, bytesOf(set.labels.subarray(0, count))),
    };
  };

  const packed = packWeights(t.layers);
  const manifest: ModelManifest = {
    version: 1,
    model: name,
    classes: c.classes,
    input:
      name === 'digits'
        ? { kind: 'image-uint8', width: 28, height: 28 }
        : { kind: 'points-float32', dim: c.sizes[0] },
    weights: asset(`${name}-weights.bin`, packed.bytes),
    layers: packed.entries,
    accuracyFloat: t.correctFloat / c.heldOutSize,
    correctFloat: t.correctFloat,
    trainSize: c.trainSize,
    heldOutSize: c.heldOutSize,
    data: {
      heldOut: dataSet(`${name}-heldout`, data.heldOut, c.heldOutSize),
      train: dataSet(`${name}-train`, data.train, c.qatTrainSize),
    },
    source: data.source,
    seed: c.seed,
    epochs: c.epochs,
    batchSize: c.batchSize,
    optimizer: {
      name: 'adamw',
      lr: c.lr,
      beta1: c.beta1,
      beta2: c.beta2,
      eps: c.eps,
      weightDecay: c.weightDecay,
      schedule: `cosine decay from lr to ${c.minLrFraction} × lr over all steps`,
    },
    augmentation:
      c.shift > 0
        ? `each training image shifted by a random whole number of pixels in [-${c.shift}, ${c.shift}] per axis`
        : 'none',
    trainedWith: `jax-js ${jaxVersion()} (${t.device})`,
    trainSeconds: Math.round(t.ms / 100) / 10,
    history: t.history.map((h) => ({
      epoch: h.epoch,
      loss: Number(h.loss.toPrecision(6)),
      heldOutAccuracy: h.heldOutAccuracy,
    })),
  };
  const file = join(outDir, `${name}.json`);
  const text = await prettier.format(JSON.stringify(manifest), {
    ...(await prettier.resolveConfig(file)),
    filepath: file,
  });
  writeFileSync(file, text);
  return manifest;
}
