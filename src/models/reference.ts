/**
 * The plain-JS float32 reference forward pass of the trained MLPs. It defines the manifests'
 * `accuracyFloat`: `npm run train` computes it with this function, and the tests recompute it.
 * Every product and every partial sum is rounded to float32 (`Math.fround`), in a fixed order
 * (bias first, then inputs 0, 1, …), so the result is the same on every engine.
 */
import type { FloatLayer } from './manifest.js';

/** Logits of one example: `input` has `layers[0].shape[1]` values. */
export function forwardFloat32(layers: readonly FloatLayer[], input: Float32Array): Float32Array {
  let x = input;
  for (const layer of layers) {
    const [out, inp] = layer.shape;
    if (x.length !== inp)
      throw new RangeError(`${layer.name}: input has ${x.length} values, expected ${inp}`);
    const y = new Float32Array(out);
    const w = layer.weight;
    for (let o = 0; o < out; o++) {
      let acc = layer.bias[o];
      const row = o * inp;
      for (let k = 0; k < inp; k++) acc = Math.fround(acc + Math.fround(w[row + k] * x[k]));
      y[o] = layer.activation === 'relu' && acc < 0 ? 0 : acc;
    }
    x = y;
  }
  return x;
}

/** Index of the largest value (the first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Predicted class of every example of `inputs` (row-major `[count, inputSize]`). */
export function predictFloat32(layers: readonly FloatLayer[], inputs: Float32Array): Uint8Array {
  const size = layers[0].shape[1];
  const count = inputs.length / size;
  if (!Number.isInteger(count))
    throw new RangeError(`inputs: ${inputs.length} values is not a multiple of ${size}`);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++)
    out[i] = argmax(forwardFloat32(layers, inputs.subarray(i * size, (i + 1) * size)));
  return out;
}

/** How many predictions equal the labels. */
export function countCorrect(predicted: Uint8Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct;
}
