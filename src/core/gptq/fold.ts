/**
 * AWQ's folding, plain typed arrays: the float model with layer i's weights scaled per input by
 * s_i (W_i·diag s_i) computes the same function once its input is divided by s_i. For i > 0 the
 * input is relu(h) of the layer before, and relu(a·h) = a·relu(h) for a > 0 (ReLU is positively
 * homogeneous), so the division folds into that layer's output rows and bias: W_{i−1}, b_{i−1}
 * divided by s_i per row. Layer 0's division stays on the input (preprocessing: pixels / s_0).
 *
 * The element does not run the folded model: it runs W̃_i = Q(W_i·diag s_i)·diag(1/s_i) on the
 * original inputs. For `channel` and `group` the two are the same model, since dividing a row by
 * a positive number divides its scale and leaves its codes (row-wise blocks); for `tensor` it is not
 * (the rows' different divisors change layer i−1's one scale), as README "method" says.
 */
import type { MlpLayer } from '../inference/mlp.js';

export interface FoldedModel {
  layers: MlpLayer[];
  /** Divide the model's inputs by this, per input (s_0). */
  inputScale: Float32Array;
}

/** The folded float model for per-layer AWQ scales `s` (s[i] has layer i's input width). */
export function foldAwq(layers: readonly MlpLayer[], s: readonly Float32Array[]): FoldedModel {
  const folded = layers.map((l, i) => {
    const [out, cols] = l.shape;
    const next = i < layers.length - 1 ? s[i + 1] : null;
    const weight = new Float32Array(out * cols);
    const bias = new Float32Array(out);
    for (let r = 0; r < out; r++) {
      const d = next ? next[r] : 1;
      bias[r] = l.bias[r] / d;
      for (let j = 0; j < cols; j++) weight[r * cols + j] = (l.weight[r * cols + j] * s[i][j]) / d;
    }
    return { weight, shape: l.shape, bias };
  });
  return { layers: folded, inputScale: s[0] };
}
