/**
 * Trains a ReLU MLP with jax-js: softmax cross-entropy, `valueAndGrad`, Adam written with jax-js
 * ops, the whole step jitted once (the per-step learning rate is an argument, so no recompiles).
 * Deterministic: He-normal initialisation from `random.key(seed)`, mini-batch order from a seeded
 * mulberry32 permutation per epoch, fixed shapes (the last partial batch is dropped).
 *
 * Ownership (jax-js): every op and every jit call consumes its array arguments; `.ref` / `tree.ref`
 * keeps one; everything still owned at the end is disposed.
 */
import { jit, nn, numpy as np, random, tree, valueAndGrad } from '@jax-js/jax';
import type { FloatLayer } from '../../src/models/manifest.js';
import { mulberry32, permutation } from './data.js';

type Params = { w: np.Array; b: np.Array }[];

export interface Examples {
  /** `n × dim` float32 inputs, row-major. */
  inputs: Float32Array;
  labels: Uint8Array;
  n: number;
  dim: number;
}

export interface TrainOptions {
  /** Layer widths, input first: `[784, 128, 64, 10]`. */
  sizes: number[];
  seed: number;
  epochs: number;
  batchSize: number;
  /** Peak Adam learning rate; cosine decay to `lr · minLrFraction` over all steps. */
  lr: number;
  minLrFraction: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay (AdamW) on the weight matrices, not the biases: `W -= lr · weightDecay · W`. */
  weightDecay: number;
  /**
   * Augmentation for square images: each training example is shifted by a whole number of pixels
   * in [-shift, shift] per axis (seeded), the uncovered border filled with 0. 0 = off.
   */
  shift: number;
  /** Evaluated after every epoch (with jax-js) for the log; never used to choose anything. */
  heldOut?: Examples;
  log?: (line: string) => void;
}

export interface EpochLog {
  epoch: number;
  loss: number;
  heldOutAccuracy: number;
  ms: number;
}

export interface TrainResult {
  layers: FloatLayer[];
  history: EpochLog[];
  /** Held-out predictions of the jax-js forward pass after training (empty without `heldOut`). */
  heldOutPredictions: Uint8Array;
  ms: number;
}

function logits(params: Params, x: np.Array): np.Array {
  let h = x;
  params.forEach(({ w, b }, i) => {
    const z = np.matmul(h, w).add(b);
    h = i < params.length - 1 ? nn.relu(z) : z;
  });
  return h;
}

/** Mean softmax cross-entropy of a batch; `y` is one-hot `[B, C]`. */
function loss(params: Params, x: np.Array, y: np.Array): np.Array {
  const batch = x.shape[0];
  return nn
    .logSoftmax(logits(params, x), -1)
    .mul(y)
    .sum()
    .mul(-1 / batch);
}

/**
 * The AdamW step (`lrHat` = lr · √(1 − β2^t) / (1 − β1^t), so no per-step bias-correction arrays;
 * `decay` = lr · weightDecay).
 */
function makeStep(beta1: number, beta2: number, eps: number) {
  return jit(
    (params: Params, m: Params, v: Params, x: np.Array, y: np.Array, lrHat: np.Array, decay: np.Array) => {
      const [value, grads] = valueAndGrad(loss)(tree.ref(params), x, y);
      const leaves = (p: Params) => p.flatMap(({ w, b }) => [w, b]);
      const [ps, ms, vs, gs] = [leaves(params), leaves(m), leaves(v), leaves(grads)];
      const nextP: np.Array[] = [];
      const nextM: np.Array[] = [];
      const nextV: np.Array[] = [];
      ps.forEach((p, i) => {
        const g = gs[i];
        const m1 = ms[i].mul(beta1).add(g.ref.mul(1 - beta1));
        const v1 = vs[i].mul(beta2).add(g.ref.mul(g).mul(1 - beta2));
        const update = m1.ref.div(np.sqrt(v1.ref).add(eps)).mul(lrHat.ref);
        // Even leaves are weight matrices: decoupled decay `p · (1 − lr·wd)`.
        nextP.push(i % 2 === 0 ? p.mul(np.subtract(1, decay.ref)).sub(update) : p.sub(update));
        nextM.push(m1);
        nextV.push(v1);
      });
      lrHat.dispose();
      decay.dispose();
      const rebuild = (a: np.Array[]): Params => params.map((_, l) => ({ w: a[2 * l], b: a[2 * l + 1] }));
      return [rebuild(nextP), rebuild(nextM), rebuild(nextV), value] as [Params, Params, Params, np.Array];
    },
  );
}

function predict(params: Params, x: np.Array): np.Array {
  return np.argmax(logits(params, x), -1);
}

/** He-normal weights `[in, out]` (jax-js layout for `x @ W`), zero biases. */
function initParams(sizes: number[], seed: number): Params {
  const params: Params = [];
  let key = random.key(seed);
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [next, sub] = np.unstack(random.split(key, 2));
    key = next;
    const w = random.normal(sub, [sizes[l], sizes[l + 1]]).mul(Math.sqrt(2 / sizes[l]));
    params.push({ w, b: np.zeros([sizes[l + 1]]) });
  }
  key.dispose();
  return params;
}

async function toFloatLayers(params: Params): Promise<FloatLayer[]> {
  const layers: FloatLayer[] = [];
  for (let l = 0; l < params.length; l++) {
    const { w, b } = params[l];
    const [inp, out] = w.shape;
    // Stored as [out, in]: one row per output neuron.
    const weight = (await np.transpose(w).data()) as Float32Array;
    const bias = (await b.data()) as Float32Array;
    layers.push({
      name: `fc${l + 1}`,
      shape: [out, inp],
      weight: Float32Array.from(weight),
      bias: Float32Array.from(bias),
      activation: l < params.length - 1 ? 'relu' : 'none',
    });
  }
  return layers;
}

function oneHot(
  labels: Uint8Array,
  order: Uint32Array,
  start: number,
  count: number,
  classes: number,
): Float32Array {
  const y = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) y[i * classes + labels[order[start + i]]] = 1;
  return y;
}

/** A batch of inputs in `order[start..start+count)`, each image shifted when `shift` > 0. */
function gather(
  set: Examples,
  order: Uint32Array,
  start: number,
  count: number,
  shift: number,
  rand: () => number,
): Float32Array {
  const x = new Float32Array(count * set.dim);
  const side = Math.round(Math.sqrt(set.dim));
  for (let i = 0; i < count; i++) {
    const r = order[start + i];
    const src = set.inputs.subarray(r * set.dim, (r + 1) * set.dim);
    if (shift === 0) {
      x.set(src, i * set.dim);
      continue;
    }
    const dx = Math.floor(rand() * (2 * shift + 1)) - shift;
    const dy = Math.floor(rand() * (2 * shift + 1)) - shift;
    for (let row = 0; row < side; row++) {
      const from = row - dy;
      if (from < 0 || from >= side) continue;
      for (let col = 0; col < side; col++) {
        const c = col - dx;
        if (c >= 0 && c < side) x[i * set.dim + row * side + col] = src[from * side + c];
      }
    }
  }
  return x;
}

/** Trains on `train`; resolves the float layers (`[out, in]`) and the per-epoch log. */
export async function trainMlp(train: Examples, o: TrainOptions): Promise<TrainResult> {
  const classes = o.sizes[o.sizes.length - 1];
  if (train.dim !== o.sizes[0])
    throw new Error(`inputs have ${train.dim} values, the model takes ${o.sizes[0]}`);
  const stepsPerEpoch = Math.floor(train.n / o.batchSize);
  if (o.shift > 0 && Math.round(Math.sqrt(train.dim)) ** 2 !== train.dim) {
    throw new Error(`shift needs square images; inputs have ${train.dim} values`);
  }
  if (stepsPerEpoch < 1) throw new Error(`${train.n} examples is less than one batch of ${o.batchSize}`);
  const totalSteps = stepsPerEpoch * o.epochs;
  const t0 = performance.now();

  let params = initParams(o.sizes, o.seed);
  let m: Params = params.map(({ w, b }) => ({ w: np.zerosLike(w.ref), b: np.zerosLike(b.ref) }));
  let v: Params = params.map(({ w, b }) => ({ w: np.zerosLike(w.ref), b: np.zerosLike(b.ref) }));
  const step = makeStep(o.beta1, o.beta2, o.eps);
  const evaluate = jit(predict);
  const heldOutX = o.heldOut ? np.array(o.heldOut.inputs).reshape([o.heldOut.n, o.heldOut.dim]) : null;
  const shuffle = mulberry32(o.seed ^ 0x5eed);
  const augment = mulberry32(o.seed ^ 0xa06);
  const history: EpochLog[] = [];
  let heldOutPredictions = new Uint8Array(0);
  let t = 0;
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const e0 = performance.now();
      const order = permutation(train.n, shuffle);
      const losses: np.Array[] = [];
      for (let s = 0; s < stepsPerEpoch; s++) {
        t++;
        const progress = (t - 1) / Math.max(1, totalSteps - 1);
        const lr =
          o.lr * (o.minLrFraction + (1 - o.minLrFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
        const lrHat = (lr * Math.sqrt(1 - o.beta2 ** t)) / (1 - o.beta1 ** t);
        const start = s * o.batchSize;
        const x = np
          .array(gather(train, order, start, o.batchSize, o.shift, augment))
          .reshape([o.batchSize, train.dim]);
        const y = np
          .array(oneHot(train.labels, order, start, o.batchSize, classes))
          .reshape([o.batchSize, classes]);
        const [p1, m1, v1, value] = step(params, m, v, x, y, np.array(lrHat), np.array(lr * o.weightDecay));
        params = p1;
        m = m1;
        v = v1;
        losses.push(value);
      }
      let lossSum = 0;
      for (const l of losses) lossSum += (await l.data())[0];
      let accuracy = NaN;
      if (o.heldOut && heldOutX) {
        heldOutPredictions = Uint8Array.from(
          (await evaluate(tree.ref(params), heldOutX.ref).data()) as Int32Array,
        );
        let correct = 0;
        for (let i = 0; i < o.heldOut.n; i++) if (heldOutPredictions[i] === o.heldOut.labels[i]) correct++;
        accuracy = correct / o.heldOut.n;
      }
      const ms = performance.now() - e0;
      history.push({ epoch, loss: lossSum / stepsPerEpoch, heldOutAccuracy: accuracy, ms });
      o.log?.(
        `epoch ${String(epoch).padStart(3)}  loss ${(lossSum / stepsPerEpoch).toFixed(4)}  held-out ${(
          accuracy * 100
        ).toFixed(2)}%  ${ms.toFixed(0)} ms`,
      );
    }
    const layers = await toFloatLayers(tree.ref(params));
    return { layers, history, heldOutPredictions, ms: performance.now() - t0 };
  } finally {
    tree.dispose(params);
    tree.dispose(m);
    tree.dispose(v);
    heldOutX?.dispose();
    step.dispose();
    evaluate.dispose();
  }
}
