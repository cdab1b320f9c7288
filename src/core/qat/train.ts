/**
 * Quantization-aware training of the <quant-inference> MLP on jax-js: starting from the trained
 * float weights, each step fake-quantizes every layer's weights with the element's config (scales
 * recomputed from the current weights, no gradient through them; fake-quant.ts) and, when
 * `activations` is set, each layer's input; softmax cross-entropy; straight-through gradients;
 * Adam (adam.ts). The whole step is jit-compiled once: the learning rate is an argument.
 *
 * Deterministic for a seed on a device: batches come from a seeded permutation of the training
 * subset (batches.ts), and nothing else is random (stochastic rounding uses the config's fixed
 * draws, as the element does).
 *
 * Ownership (jax-js): every op and jit call consumes its array arguments; `.ref` / `tree.ref`
 * keeps one; everything this module creates is disposed before it returns or throws.
 */
import {
  jit,
  nn,
  numpy as np,
  tree,
  valueAndGrad,
  type Array,
  type Device,
  type OwnedFunction,
} from '@jax-js/jax';
import { blocksFor } from '../blocks.js';
import { resolveConfig, type QuantConfig } from '../config.js';
import { QuantError } from '../errors.js';
import { QAT_FIELDS } from '../fields.js';
import { fakeQuantize, type MlpLayer } from '../inference/mlp.js';
import { calibrationOperand, hasFloat64 } from '../quantize.js';
import { upload } from '../upload.js';
import { roundingNoise } from '../weights.js';
import { adamUpdate, correctedLr } from './adam.js';
import { batchOrder, gatherBatch } from './batches.js';
import {
  straightThrough,
  straightThroughActivations,
  weightTargets,
  type Targets,
  type WeightQuantizer,
} from './fake-quant.js';

/** A labelled set: `n` network inputs, row-major `[n, in]`, and a label per example. */
export interface QatData {
  inputs: Float32Array;
  labels: Uint8Array;
  n: number;
}

/** Held-out accuracy at a step, for a live chart: float and PTQ are the starting model's. */
export interface QatPoint {
  step: number;
  float: number;
  ptq: number;
  qat: number;
}

export interface QatProgress {
  done: number;
  total: number;
  /** Mean training loss of the step just done. */
  loss: number;
  /** Set on the steps that were evaluated (every `evalEvery` steps, and the first and last). */
  point?: QatPoint;
}

export interface QatOptions {
  /** The trained float layers, `weight` row-major `[out, in]`; ReLU between layers. */
  layers: MlpLayer[];
  /** The QAT training subset (never the held-out set). */
  train: QatData;
  /** The held-out set the curve is measured on. */
  heldOut: QatData;
  device: Device;
  /** The element's config; `layerBits[i]` (one per layer) wins over `config.bits`. */
  config?: Partial<QuantConfig>;
  layerBits?: number[];
  /** Bits of each layer's input (per-tensor dynamic), or null for float activations. */
  activations?: number | null;
  steps?: number;
  /** Peak Adam learning rate; cosine decay to `lr · MIN_LR_FRACTION` over the run. */
  lr?: number;
  /** Seeds the batch order. */
  seed?: number;
  batchSize?: number;
  /** Steps between held-out evaluations (default: about 20 points per run). */
  evalEvery?: number;
  signal?: AbortSignal;
  onProgress?(progress: QatProgress): void;
}

export interface QatResult {
  /** The QAT float weights, the same layout as the input layers: PTQ-quantize them as usual. */
  layers: MlpLayer[];
  steps: number;
  /** Held-out accuracy of the fake-quantized QAT model (what PTQ of `layers` gives). */
  accuracy: number;
  accuracyFloat: number;
  accuracyPtq: number;
  ms: number;
  curve: QatPoint[];
  device: Device;
}

export const QAT_BATCH_SIZE = 100;
export const QAT_SEED = 95;
/** The cosine schedule's floor: the last steps settle rather than keep jumping between grid points. */
export const MIN_LR_FRACTION = 0.05;

type Params = { w: Array; b: Array }[];
type Step = OwnedFunction<
  (
    params: Params,
    m: Params,
    v: Params,
    extras: Array[],
    x: Array,
    y: Array,
    lrHat: Array,
  ) => [Params, Params, Params, Array]
>;
type Predict = OwnedFunction<(params: Params, extras: Array[], x: Array) => Array>;

function abortError(signal: AbortSignal): unknown {
  return signal.reason instanceof DOMException && signal.reason.name === 'AbortError'
    ? signal.reason
    : new DOMException('QAT was cancelled', 'AbortError');
}

/** Host transpose of a row-major [rows, cols] matrix. */
function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
  return out;
}

/**
 * Per-layer quantizers and where their constant inputs sit in `extras` (the mse candidates once,
 * each stochastic layer's draws): jit arguments, not captured constants.
 */
interface Plan {
  quantizers: WeightQuantizer[];
  /** Per layer: its calibration operand (calibrationOperand), or null. */
  operands: (number | null)[];
  noise: (number | null)[];
}

function targetsOf(params: Params, extras: Array[], plan: Plan): Targets[] {
  return params.map(({ w }, i) => {
    const c = plan.operands[i];
    const a = c === null ? null : extras[c].ref;
    const k = plan.noise[i];
    // Quantized as the element does, per row of [out, in]; the targets go back to [in, out].
    const t = weightTargets(np.transpose(w.ref), plan.quantizers[i], a, k === null ? null : extras[k].ref);
    return {
      dequantized: np.transpose(t.dequantized),
      lo: np.transpose(t.lo),
      hi: np.transpose(t.hi),
    };
  });
}

/** Logits of x with the layers' weights `ws` ([in, out]); `act` fake-quantizes each input. */
function forward(ws: Array[], bs: Array[], x: Array, act: number | null, ste: boolean): Array {
  let h = x;
  ws.forEach((w, i) => {
    if (act) h = ste ? straightThroughActivations(h, act) : fakeQuantize(h, act);
    h = np.matmul(h, w).add(bs[i]);
    if (i < ws.length - 1) h = np.maximum(h, 0);
  });
  return h;
}

function makeStep(plan: Plan, act: number | null): Step {
  const loss = (params: Params, targets: Targets[], x: Array, y: Array): Array => {
    const batch = x.shape[0];
    const ws = params.map(({ w }, i) => straightThrough(w, targets[i]));
    const logits = forward(
      ws,
      params.map(({ b }) => b),
      x,
      act,
      true,
    );
    return nn
      .logSoftmax(logits, -1)
      .mul(y)
      .sum()
      .mul(-1 / batch);
  };
  return jit((params: Params, m: Params, v: Params, extras: Array[], x: Array, y: Array, lrHat: Array) => {
    // The targets (scales from the current weights) are computed outside the differentiated
    // function: constants for the gradient.
    const targets = targetsOf(params, extras, plan);
    tree.dispose(extras);
    const [value, grads] = valueAndGrad(loss)(tree.ref(params), targets, x, y);
    const leaves = (p: Params) => p.flatMap(({ w, b }) => [w, b]);
    const [ps, ms, vs] = adamUpdate(leaves(params), leaves(m), leaves(v), leaves(grads), lrHat);
    lrHat.dispose();
    const rebuild = (a: Array[]): Params => params.map((_, l) => ({ w: a[2 * l], b: a[2 * l + 1] }));
    return [rebuild(ps), rebuild(ms), rebuild(vs), value];
  }) as Step;
}

function makePredict(plan: Plan | null, act: number | null): Predict {
  return jit((params: Params, extras: Array[], x: Array) => {
    let ws: Array[];
    if (plan) {
      ws = targetsOf(params, extras, plan).map((t) => {
        t.lo.dispose();
        t.hi.dispose();
        return t.dequantized;
      });
      for (const { w } of params) w.dispose();
    } else {
      ws = params.map(({ w }) => w);
    }
    tree.dispose(extras);
    return np.argmax(
      forward(
        ws,
        params.map(({ b }) => b),
        x,
        plan ? act : null,
        false,
      ),
      -1,
    );
  }) as Predict;
}

async function accuracy(predictions: Array, labels: Uint8Array): Promise<number> {
  const p = (await predictions.data()) as Int32Array;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (p[i] === labels[i]) correct++;
  return correct / labels.length;
}

function check(o: QatOptions): void {
  const bad = (what: string) => {
    throw new QuantError('invalid-config', what);
  };
  if (o.layers.length === 0) bad('QAT needs at least one layer');
  const inputs = o.layers[0].shape[1];
  for (const [name, set] of [
    ['train', o.train],
    ['heldOut', o.heldOut],
  ] as const) {
    if (set.n < 1 || set.inputs.length !== set.n * inputs || set.labels.length !== set.n)
      bad(`${name}: ${set.n} examples of ${inputs} inputs and one label each`);
  }
  if (o.layerBits && o.layerBits.length !== o.layers.length)
    bad(`layerBits: one per layer (${o.layers.length})`);
  if (o.steps !== undefined && !QAT_FIELDS.qatSteps.valid(o.steps))
    bad(`steps = ${o.steps}: use ${QAT_FIELDS.qatSteps.allowed}`);
  if (o.lr !== undefined && !QAT_FIELDS.qatLr.valid(o.lr))
    bad(`lr = ${o.lr}: use ${QAT_FIELDS.qatLr.allowed}`);
  const batch = o.batchSize ?? QAT_BATCH_SIZE;
  if (!Number.isInteger(batch) || batch < 1 || batch > o.train.n)
    bad(`batchSize ${batch}: an integer from 1 to the ${o.train.n} training examples`);
}

/**
 * Runs QAT. Resolves with the QAT float weights and the held-out curve; rejects with a
 * DOMException `AbortError` as soon as `signal` aborts (checked between steps), having freed
 * everything it allocated.
 */
export async function trainQat(o: QatOptions): Promise<QatResult> {
  const t0 = performance.now();
  check(o);
  const { device, signal } = o;
  if (signal?.aborted) throw abortError(signal);
  const steps = o.steps ?? QAT_FIELDS.qatSteps.default;
  const lr = o.lr ?? QAT_FIELDS.qatLr.default;
  const seed = o.seed ?? QAT_SEED;
  const batchSize = o.batchSize ?? QAT_BATCH_SIZE;
  const evalEvery = o.evalEvery ?? Math.max(1, Math.ceil(steps / 20));
  const act = o.activations ?? null;
  const inputs = o.layers[0].shape[1];
  const classes = o.layers.at(-1)!.shape[0];

  const base = resolveConfig(o.config ?? {});
  const configs = o.layers.map((_, i) => resolveConfig({ ...base, bits: o.layerBits?.[i] ?? base.bits }));
  const quantizers = o.layers.map((l, i) => ({
    config: configs[i],
    blocks: blocksFor(l.shape, configs[i]),
    wideSums: hasFloat64(device),
  }));

  const owned: Array[] = [];
  const fns: { dispose(): void }[] = [];
  let params: Params = [];
  let m: Params = [];
  let v: Params = [];
  try {
    const extras: Array[] = [];
    const plan: Plan = { quantizers, operands: [], noise: [] };
    // calibration and rounding are int fields: the other formats have one scale rule and RNE.
    const isInt = base.format === 'int';
    for (const q of quantizers) {
      const operand = calibrationOperand(q.config, q.blocks, device);
      plan.operands.push(operand ? extras.length : null);
      if (operand) extras.push(operand);
    }
    for (const [i, l] of o.layers.entries()) {
      if (!isInt || configs[i].rounding !== 'stochastic') {
        plan.noise.push(null);
        continue;
      }
      // The element's draws (QuantSession: roundingNoise of the seed, per value of [out, in]).
      let u = roundingNoise(configs[i].seed, l.weight.length);
      if (u.device !== device) u = upload((await u.data()) as Float32Array, [u.size], device);
      plan.noise.push(extras.length);
      extras.push(u.reshape(l.shape));
    }
    owned.push(...extras);

    params = o.layers.map((l) => ({
      w: upload(transposed(l.weight, l.shape[0], l.shape[1]), [l.shape[1], l.shape[0]], device),
      b: upload(l.bias, [l.shape[0]], device),
    }));
    m = params.map(({ w, b }) => ({ w: np.zerosLike(w.ref), b: np.zerosLike(b.ref) }));
    v = params.map(({ w, b }) => ({ w: np.zerosLike(w.ref), b: np.zerosLike(b.ref) }));
    const heldX = upload(o.heldOut.inputs, [o.heldOut.n, inputs], device);
    owned.push(heldX);
    const step = makeStep(plan, act);
    const predictQuant = makePredict(plan, act);
    const predictFloat = makePredict(null, act);
    fns.push(step, predictQuant, predictFloat);

    const evaluate = (quant: boolean) =>
      accuracy(
        (quant ? predictQuant : predictFloat)(tree.ref(params), tree.ref(extras), heldX.ref),
        o.heldOut.labels,
      );
    const accuracyFloat = await evaluate(false);
    const accuracyPtq = await evaluate(true);
    const curve: QatPoint[] = [{ step: 0, float: accuracyFloat, ptq: accuracyPtq, qat: accuracyPtq }];
    o.onProgress?.({ done: 0, total: steps, loss: NaN, point: curve[0] });

    let t = 0;
    let qat = accuracyPtq;
    for (const idx of batchOrder(o.train.n, batchSize, steps, seed)) {
      if (signal?.aborted) throw abortError(signal);
      t++;
      const progress = (t - 1) / Math.max(1, steps - 1);
      const lrT = lr * (MIN_LR_FRACTION + (1 - MIN_LR_FRACTION) * 0.5 * (1 + Math.cos(Math.PI * progress)));
      const { x, y } = gatherBatch(o.train.inputs, o.train.labels, inputs, classes, idx);
      const [p1, m1, v1, value] = step(
        params,
        m,
        v,
        tree.ref(extras),
        np.array(x, { shape: [batchSize, inputs], device }),
        np.array(y, { shape: [batchSize, classes], device }),
        np.array(correctedLr(lrT, t), { device }),
      );
      params = p1;
      m = m1;
      v = v1;
      // Reading the loss bounds the queued work and lets an abort land between steps.
      const loss = (await value.data())[0];
      let point: QatPoint | undefined;
      if (t % evalEvery === 0 || t === steps) {
        qat = await evaluate(true);
        point = { step: t, float: accuracyFloat, ptq: accuracyPtq, qat };
        curve.push(point);
      }
      o.onProgress?.({ done: t, total: steps, loss, point });
    }
    if (signal?.aborted) throw abortError(signal);

    const layers: MlpLayer[] = [];
    for (const [i, l] of o.layers.entries()) {
      const [out, inp] = l.shape;
      const w = (await params[i].w.ref.data()) as Float32Array;
      const b = (await params[i].b.ref.data()) as Float32Array;
      layers.push({ weight: transposed(w, inp, out), shape: [out, inp], bias: Float32Array.from(b) });
    }
    return {
      layers,
      steps,
      accuracy: qat,
      accuracyFloat,
      accuracyPtq,
      ms: performance.now() - t0,
      curve,
      device,
    };
  } finally {
    for (const p of [params, m, v]) tree.dispose(p);
    for (const a of owned) a.dispose();
    for (const f of fns) f.dispose();
  }
}
