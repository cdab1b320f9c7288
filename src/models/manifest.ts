/**
 * The trained models' manifests (`digits.json`, `spirals.json` beside this file) and pure helpers
 * that turn the fetched assets into typed arrays. No fetch, no DOM, no jax-js: the element fetches
 * the files relative to its module URL and hands the ArrayBuffers here.
 *
 * Written by `npm run train` (scripts/train/); the format is described by these types.
 */

export type ModelName = 'digits' | 'spirals';

/** One binary asset beside the manifest. */
export interface AssetFile {
  /** File name, relative to the manifest. */
  file: string;
  /** The size in bytes of its content (decoded, when `encoding` is set). */
  bytes: number;
  /** Hex SHA-256 of its content (decoded). */
  sha256: string;
  /** `gzip`: the file is gzipped; the loader inflates it (and accepts it already inflated). */
  encoding?: 'gzip';
  /** The file's own size when encoded. */
  encodedBytes?: number;
}

/** One dense layer `y = W x + b` in the weights file (float32, little-endian). */
export interface LayerEntry {
  name: string;
  /** `[out, in]`: row o holds the weights of output neuron o (a "channel"). */
  shape: [number, number];
  /** Byte offset of W (row-major `[out, in]`) in the weights file. */
  offset: number;
  bias: { shape: [number]; offset: number };
  /** Applied after this layer (the last layer gives logits). */
  activation: 'relu' | 'none';
}

/** How a stored example becomes the network's input. */
export type InputSpec =
  | {
      /** uint8 pixels, row-major, 0 = background; input = fround(byte / 255). */
      kind: 'image-uint8';
      width: number;
      height: number;
    }
  | {
      /** float32 coordinates (x, y) per example, used as they are. */
      kind: 'points-float32';
      dim: number;
    };

/** A labelled set: `inputs` (see `InputSpec`) and one uint8 label per example. */
export interface DataSet {
  count: number;
  /** Examples per class, by label. */
  classCounts: number[];
  inputs: AssetFile;
  labels: AssetFile;
}

export interface ModelManifest {
  /** Manifest format version. */
  version: 1;
  model: ModelName;
  /** Class names by label. */
  classes: string[];
  input: InputSpec;
  /** All layers' W and b, float32 little-endian, concatenated in layer order. */
  weights: AssetFile;
  layers: LayerEntry[];
  /**
   * Held-out accuracy of the float model as defined by `forwardFloat32` (src/models/reference.ts):
   * `correctFloat / heldOutSize`.
   */
  accuracyFloat: number;
  correctFloat: number;
  trainSize: number;
  heldOutSize: number;
  /** Held-out examples (never used for training or model selection) and a training subset for QAT. */
  data: { heldOut: DataSet; train: DataSet };
  /** How the split was made and where the data came from. */
  source: { dataset: string; total: number; splitSeed: number; split: string };
  seed: number;
  epochs: number;
  batchSize: number;
  optimizer: {
    /** Adam with decoupled weight decay on the weight matrices (not the biases). */
    name: 'adamw';
    lr: number;
    beta1: number;
    beta2: number;
    eps: number;
    weightDecay: number;
    schedule: string;
  };
  /** Training-time augmentation, e.g. random shifts of the digits; `none` when there is none. */
  augmentation: string;
  /** e.g. `jax-js 0.1.25 (wasm)`. */
  trainedWith: string;
  /** Seconds the training took on the machine that produced the committed files. */
  trainSeconds: number;
  /**
   * Per-epoch log: mean training loss and held-out accuracy of the jax-js forward pass (monitoring
   * only: the epoch count is fixed, nothing is chosen by it).
   */
  history: { epoch: number; loss: number; heldOutAccuracy: number }[];
}

/** A layer's weights as typed arrays: `weight` is row-major `[out, in]`. */
export interface FloatLayer {
  name: string;
  shape: [number, number];
  weight: Float32Array;
  bias: Float32Array;
  activation: 'relu' | 'none';
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** `count` float32 little-endian values at `offset` of `buffer` (a copy, so it survives the buffer). */
function readFloat32(buffer: ArrayBuffer, offset: number, count: number, what: string): Float32Array {
  if (!Number.isInteger(offset) || offset < 0 || offset % 4 !== 0) {
    throw new RangeError(`${what}: offset ${offset} is not a non-negative multiple of 4`);
  }
  if (offset + count * 4 > buffer.byteLength) {
    throw new RangeError(
      `${what}: bytes ${offset}..${offset + count * 4} exceed the file (${buffer.byteLength})`,
    );
  }
  if (littleEndian) return new Float32Array(buffer.slice(offset, offset + count * 4));
  const view = new DataView(buffer, offset, count * 4);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * Slices the weights file into one `FloatLayer` per manifest layer. Throws a `RangeError` when the
 * buffer does not match the manifest (size, offsets, consecutive layer shapes).
 */
export function sliceWeights(
  buffer: ArrayBuffer,
  manifest: Pick<ModelManifest, 'layers' | 'weights'>,
): FloatLayer[] {
  if (buffer.byteLength !== manifest.weights.bytes) {
    throw new RangeError(`weights: ${buffer.byteLength} bytes, the manifest says ${manifest.weights.bytes}`);
  }
  let prevOut: number | null = null;
  return manifest.layers.map((layer) => {
    const [out, inp] = layer.shape;
    if (prevOut !== null && inp !== prevOut) {
      throw new RangeError(`${layer.name}: input size ${inp} does not match the previous layer's ${prevOut}`);
    }
    if (layer.bias.shape[0] !== out)
      throw new RangeError(`${layer.name}: bias size ${layer.bias.shape[0]} ≠ ${out}`);
    prevOut = out;
    return {
      name: layer.name,
      shape: [out, inp],
      weight: readFloat32(buffer, layer.offset, out * inp, `${layer.name}.weight`),
      bias: readFloat32(buffer, layer.bias.offset, out, `${layer.name}.bias`),
      activation: layer.activation,
    };
  });
}

/** The held-out or training inputs as float32 network inputs, row-major `[count, inputSize]`. */
export function inputsToFloat32(buffer: ArrayBuffer, input: InputSpec, count: number): Float32Array {
  if (input.kind === 'image-uint8') {
    const size = input.width * input.height;
    if (buffer.byteLength !== count * size) {
      throw new RangeError(`inputs: ${buffer.byteLength} bytes, expected ${count} × ${size}`);
    }
    const bytes = new Uint8Array(buffer);
    const out = new Float32Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
    return out;
  }
  return readFloat32(buffer, 0, count * input.dim, 'inputs');
}

/** The labels file as a Uint8Array (one class index per example). */
export function labelsOf(buffer: ArrayBuffer, count: number, classes: number): Uint8Array {
  if (buffer.byteLength !== count)
    throw new RangeError(`labels: ${buffer.byteLength} bytes, expected ${count}`);
  const labels = new Uint8Array(buffer.slice(0));
  for (const l of labels) if (l >= classes) throw new RangeError(`labels: class ${l} out of range`);
  return labels;
}
