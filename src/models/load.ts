/**
 * Fetches a trained model's manifest, weights and held-out set from `base` (the folder that holds
 * `<model>.json` and its `.bin` files). No jax-js, no DOM beyond `fetch`. Every failure is a
 * QuantError `bad-source` naming the file; a fetch aborted through `signal` rejects with the abort.
 */
import { QuantError } from '../core/errors.js';
import {
  inputsToFloat32,
  labelsOf,
  sliceWeights,
  type AssetFile,
  type FloatLayer,
  type ModelManifest,
  type ModelName,
} from './manifest.js';

export interface LoadedModel {
  manifest: ModelManifest;
  layers: FloatLayer[];
  /** The held-out examples as network inputs, row-major `[count, inputSize]`. */
  inputs: Float32Array;
  /** Their raw bytes (uint8 pixels for digits), for thumbnails. */
  raw: ArrayBuffer;
  labels: Uint8Array;
}

async function fetchBytes(url: URL, expected: number | null, signal?: AbortSignal): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new QuantError(
      'bad-source',
      `could not fetch ${url.href}: ${(e as Error).message || 'network error'}`,
    );
  }
  if (!response.ok)
    throw new QuantError('bad-source', `could not fetch ${url.href}: HTTP ${response.status}`);
  const buffer = await response.arrayBuffer();
  if (expected !== null && buffer.byteLength !== expected)
    throw new QuantError(
      'bad-source',
      `${url.href}: ${buffer.byteLength} bytes, the manifest says ${expected}`,
    );
  return buffer;
}

const asset = (base: URL, file: AssetFile) => new URL(file.file, base);

/** Loads `model` from `base` (e.g. `new URL('../../models/', import.meta.url)`). */
export async function loadModel(model: ModelName, base: URL, signal?: AbortSignal): Promise<LoadedModel> {
  const json = await fetchBytes(new URL(`${model}.json`, base), null, signal);
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(json)) as ModelManifest;
  } catch (e) {
    throw new QuantError('bad-source', `${model}.json is not JSON: ${(e as Error).message}`);
  }
  const held = manifest.data.heldOut;
  const [weights, raw, labelBytes] = await Promise.all([
    fetchBytes(asset(base, manifest.weights), manifest.weights.bytes, signal),
    fetchBytes(asset(base, held.inputs), held.inputs.bytes, signal),
    fetchBytes(asset(base, held.labels), held.labels.bytes, signal),
  ]);
  try {
    return {
      manifest,
      layers: sliceWeights(weights, manifest),
      inputs: inputsToFloat32(raw, manifest.input, held.count),
      raw,
      labels: labelsOf(labelBytes, held.count, manifest.classes.length),
    };
  } catch (e) {
    throw new QuantError('bad-source', `${model}: ${(e as Error).message}`);
  }
}

/** A model's QAT training subset as network inputs, `[count, inputSize]` row-major, and labels. */
export interface TrainSet {
  inputs: Float32Array;
  labels: Uint8Array;
  n: number;
}

/**
 * Fetches the training subset shipped for quantization-aware training (`data.train` of the
 * manifest: never the held-out examples). Fetched only when QAT starts: 3 MB for digits.
 */
export async function loadTrainSet(
  manifest: ModelManifest,
  base: URL,
  signal?: AbortSignal,
): Promise<TrainSet> {
  const train = manifest.data.train;
  const [raw, labelBytes] = await Promise.all([
    fetchBytes(asset(base, train.inputs), train.inputs.bytes, signal),
    fetchBytes(asset(base, train.labels), train.labels.bytes, signal),
  ]);
  try {
    return {
      inputs: inputsToFloat32(raw, manifest.input, train.count),
      labels: labelsOf(labelBytes, train.count, manifest.classes.length),
      n: train.count,
    };
  } catch (e) {
    throw new QuantError('bad-source', `${manifest.model} training subset: ${(e as Error).message}`);
  }
}
