/**
 * Fetches a trained model's manifest, weights and held-out set from where its files are (a folder,
 * or each file's URL by name). No jax-js, no DOM beyond `fetch`. Every failure is a
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

/**
 * Where the model files are: the folder that holds `<model>.json` and its `.bin.gz` files, or each
 * file's URL by name (MODEL_FILES, src/model-files.generated.ts: bundlers rename the files).
 */
export type ModelFiles = URL | Readonly<Record<string, string>>;

/** The URL of the model file `name`. */
function fileUrl(files: ModelFiles, name: string): URL {
  if (files instanceof URL) return new URL(name, files);
  const href = Object.hasOwn(files, name) ? files[name] : undefined;
  if (!href) throw new QuantError('bad-source', `no URL for the model file ${name}`);
  return new URL(href);
}

export interface LoadedModel {
  manifest: ModelManifest;
  layers: FloatLayer[];
  /** The held-out examples as network inputs, row-major `[count, inputSize]`. */
  inputs: Float32Array;
  /** Their raw bytes (uint8 pixels for digits), for thumbnails. */
  raw: ArrayBuffer;
  labels: Uint8Array;
}

const isGzip = (b: ArrayBuffer) => {
  const head = new Uint8Array(b, 0, Math.min(2, b.byteLength));
  return head[0] === 0x1f && head[1] === 0x8b;
};

/** gzip → bytes, natively (DecompressionStream: every current browser, Node ≥ 18). */
export async function gunzip(buffer: ArrayBuffer): Promise<ArrayBuffer> {
  const stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

/**
 * An asset's content from what the server sent: a gzipped asset is inflated unless the host
 * already did (it served the `.gz` with `Content-Encoding: gzip`): then no gzip header is left,
 * or, by chance, the content starts like one but is already the expected size.
 */
export async function assetContent(buffer: ArrayBuffer, file: AssetFile): Promise<ArrayBuffer> {
  if (file.encoding !== 'gzip' || !isGzip(buffer)) return buffer;
  try {
    return await gunzip(buffer);
  } catch (e) {
    if (buffer.byteLength === file.bytes) return buffer;
    throw new QuantError('bad-source', `${file.file} is not valid gzip: ${(e as Error).message}`);
  }
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

/** Fetches an asset of the manifest and checks its size (after inflating it). */
async function fetchAsset(files: ModelFiles, file: AssetFile, signal?: AbortSignal): Promise<ArrayBuffer> {
  const url = fileUrl(files, file.file);
  const content = await assetContent(await fetchBytes(url, null, signal), file);
  if (content.byteLength !== file.bytes)
    throw new QuantError(
      'bad-source',
      `${url.href}: ${content.byteLength} bytes, the manifest says ${file.bytes}`,
    );
  return content;
}

/** Loads `model` from `files` (MODEL_FILES, or a folder such as `new URL('/models/', location.href)`). */
export async function loadModel(
  model: ModelName,
  files: ModelFiles,
  signal?: AbortSignal,
): Promise<LoadedModel> {
  const json = await fetchBytes(fileUrl(files, `${model}.json`), null, signal);
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(json)) as ModelManifest;
  } catch (e) {
    throw new QuantError('bad-source', `${model}.json is not JSON: ${(e as Error).message}`);
  }
  const held = manifest.data.heldOut;
  const [weights, raw, labelBytes] = await Promise.all([
    fetchAsset(files, manifest.weights, signal),
    fetchAsset(files, held.inputs, signal),
    fetchAsset(files, held.labels, signal),
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
 * manifest: never the held-out examples). Fetched only when QAT starts: 3 MB for digits (0.65 MB gzipped).
 */
export async function loadTrainSet(
  manifest: ModelManifest,
  files: ModelFiles,
  signal?: AbortSignal,
): Promise<TrainSet> {
  const train = manifest.data.train;
  const [raw, labelBytes] = await Promise.all([
    fetchAsset(files, train.inputs, signal),
    fetchAsset(files, train.labels, signal),
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
