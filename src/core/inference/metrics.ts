/**
 * What quantizing a model changes, from the logits of both models on the same inputs (SPEC §2.4,
 * `quant-inference`): accuracies, top-1 agreement, mean KL(float ‖ quantized) of the softmax
 * outputs, the largest logit change, and which predictions flipped. Pure, float64 sums.
 */

export interface LogitComparison {
  accuracyFloat: number;
  accuracyQuant: number;
  /** Share of inputs where both models predict the same class. */
  agreement: number;
  /** Mean over inputs of KL(softmax(float) ‖ softmax(quantized)), in nats. */
  meanKl: number;
  maxLogitDiff: number;
  /** Inputs whose top-1 prediction changed. */
  flipped: number[];
  predictionsFloat: Uint8Array;
  predictionsQuant: Uint8Array;
}

/** Index of the largest value of row `i` (the first one on a tie, like argmax). */
function argmaxRow(logits: Float32Array, i: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
  return best;
}

/** Share of the rows of [n, classes] `logits` whose argmax is the label. */
export function accuracyOf(logits: Float32Array, classes: number, labels: ArrayLike<number>): number {
  const n = labels.length;
  if (logits.length !== n * classes)
    throw new RangeError(`logits must be ${n}×${classes}, got ${logits.length} values`);
  let correct = 0;
  for (let i = 0; i < n; i++) if (argmaxRow(logits, i, classes) === labels[i]) correct++;
  return n ? correct / n : 0;
}

/** log-softmax of row `i` into `out` (float64; max subtracted first, so exp never overflows). */
function logSoftmaxRow(
  logits: Float32Array,
  i: number,
  classes: number,
  out = new Float64Array(classes),
): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, logits[i * classes + c]);
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += Math.exp(logits[i * classes + c] - max);
  const lse = max + Math.log(sum);
  for (let c = 0; c < classes; c++) out[c] = logits[i * classes + c] - lse;
  return out;
}

/** The float side of a comparison: argmax and log-softmax per row, kept per logits array (they repeat). */
const floatSides = new WeakMap<Float32Array, { predictions: Uint8Array; logSoftmax: Float64Array[] }>();

function floatSide(float: Float32Array, n: number, classes: number) {
  let side = floatSides.get(float);
  if (!side || side.predictions.length !== n) {
    side = {
      predictions: Uint8Array.from({ length: n }, (_, i) => argmaxRow(float, i, classes)),
      logSoftmax: Array.from({ length: n }, (_, i) => logSoftmaxRow(float, i, classes)),
    };
    floatSides.set(float, side);
  }
  return side;
}

/** Compares [n, classes] logits of the float and the quantized model on inputs labelled `labels`. */
export function compareLogits(
  float: Float32Array,
  quant: Float32Array,
  classes: number,
  labels: ArrayLike<number>,
): LogitComparison {
  const n = labels.length;
  if (float.length !== n * classes || quant.length !== n * classes)
    throw new RangeError(`logits must be ${n}×${classes}, got ${float.length} and ${quant.length} values`);
  const predictionsFloat = new Uint8Array(n);
  const predictionsQuant = new Uint8Array(n);
  const flipped: number[] = [];
  let [correctFloat, correctQuant, agree, kl, maxDiff] = [0, 0, 0, 0, 0];
  const side = floatSide(float, n, classes);
  const row = new Float64Array(classes); // reused: no allocation per input
  for (let i = 0; i < n; i++) {
    const pf = side.predictions[i];
    const pq = argmaxRow(quant, i, classes);
    predictionsFloat[i] = pf;
    predictionsQuant[i] = pq;
    if (pf === labels[i]) correctFloat++;
    if (pq === labels[i]) correctQuant++;
    if (pf === pq) agree++;
    else flipped.push(i);
    const lf = side.logSoftmax[i];
    const lq = logSoftmaxRow(quant, i, classes, row);
    for (let c = 0; c < classes; c++) {
      kl += Math.exp(lf[c]) * (lf[c] - lq[c]);
      maxDiff = Math.max(maxDiff, Math.abs(float[i * classes + c] - quant[i * classes + c]));
    }
  }
  return {
    accuracyFloat: n ? correctFloat / n : 0,
    accuracyQuant: n ? correctQuant / n : 0,
    agreement: n ? agree / n : 0,
    meanKl: n ? kl / n : 0,
    maxLogitDiff: maxDiff,
    flipped,
    predictionsFloat,
    predictionsQuant,
  };
}
