/** The digits model and its sets read from src/models (Node only), for the QAT tests. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { MlpLayer } from '../../src/core/inference/mlp.js';
import type { QatData } from '../../src/core/qat/index.js';
import {
  inputsToFloat32,
  labelsOf,
  sliceWeights,
  type DataSet,
  type ModelManifest,
} from '../../src/models/manifest.js';

const dir = new URL('../../src/models/', import.meta.url);

function bytes(file: string): ArrayBuffer {
  const read = readFileSync(new URL(file, dir));
  const b = file.endsWith('.gz') ? gunzipSync(read) : read;
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export function loadDigits(): { layers: MlpLayer[]; train: QatData; heldOut: QatData } {
  const manifest = JSON.parse(readFileSync(new URL('digits.json', dir), 'utf8')) as ModelManifest;
  const set = (d: DataSet): QatData => ({
    inputs: inputsToFloat32(bytes(d.inputs.file), manifest.input, d.count),
    labels: labelsOf(bytes(d.labels.file), d.count, manifest.classes.length),
    n: d.count,
  });
  const layers = sliceWeights(bytes(manifest.weights.file), manifest).map(({ weight, shape, bias }) => ({
    weight,
    shape,
    bias,
  }));
  return { layers, train: set(manifest.data.train), heldOut: set(manifest.data.heldOut) };
}
