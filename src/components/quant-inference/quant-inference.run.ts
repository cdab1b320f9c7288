/**
 * The numerics of <quant-inference>, without the DOM: loading a model into an MLP session (float
 * logits of the held-out set computed once), and one config's run — quantized weights kept on the
 * device, the quantized pass, per-layer sensitivity and everything the result reports.
 */
import type { DeviceChoice, QuantConfig } from '../../core/config.js';
import {
  accuracyOf,
  compareLogits,
  createMlpSession,
  type MlpLayer,
  type MlpSession,
  type WeightSet,
  wasmBlockedBy,
} from '../../core/inference/index.js';
import { QuantError } from '../../core/errors.js';
import type { QuantErrorDetail } from '../../internal/events.js';
import { toDetail } from '../../controllers/errors.js';
import { elementBits } from '../../core/formats/tables.js';
import { loadModel, type LoadedModel, type ModelFiles } from '../../models/load.js';
import {
  argmaxRows,
  flippedExamples,
  floatBytes,
  gridPoints,
  layerBits,
  planeOf,
  quantBytes,
  type Activations,
  type FlippedExample,
  type ModelName,
  type TrainedFor,
} from './quant-inference.model.js';
import type { Regions } from './quant-inference.views.js';
import type { WeightMethod } from '../../core/fields.js';
import type { MethodWeights } from './quant-inference.method.js';

/** SPEC §2.4, plus what the views draw (`examples`, `regions`, `heldOut`). */
export interface InferenceResult {
  model: ModelName;
  /** The config, and how the weights were quantized (`method`; `calibrationSamples` for gptq and awq). */
  config: QuantConfig & { method: WeightMethod; calibrationSamples?: number };
  activations: Activations;
  /** The bit width each layer was quantized to. */
  layers: number[];
  accuracyFloat: number;
  accuracyQuant: number;
  agreement: number;
  meanKl: number;
  maxLogitDiff: number;
  /** How many held-out predictions changed. */
  flipped: number;
  bytesFloat: number;
  bytesQuant: number;
  /** Held-out accuracy with only layer i quantized: its weights at its own width, and its input when `activations` is set. */
  sensitivity: number[];
  device: string;
  heldOut: number;
  /** Every flipped held-out example, with both predictions. */
  examples: FlippedExample[];
  /** `spirals`: both models' class over a grid of the input plane. */
  regions?: Regions;
  /** Present while the QAT weights are shown: the run that made them. */
  qat?: QatSummary;
}

/** SPEC §2.4 `qat`: the training run whose weights are quantized here. */
export interface QatSummary {
  steps: number;
  /** Held-out accuracy of the QAT weights quantized at the training config. */
  accuracy: number;
  /** Training time in the worker (compile included), ms. */
  ms: number;
}

/** Weights from quantization-aware training, on their own session, and what made them. */
export interface QatWeights {
  session: MlpSession;
  summary: QatSummary;
  /** The config, per-layer widths and activations the weights were trained for. */
  trainedFor: TrainedFor;
}

/** Cells per side of the decision-region grid (spirals). */
const GRID = 64;

/** A model on its session, ready for runs; `release` it when done. */
export interface Loaded {
  name: ModelName;
  model: LoadedModel;
  session: MlpSession;
  floatLogits: Float32Array;
  /** spirals: the grid over the input plane and the float model's class per cell. */
  grid?: { plane: Regions['plane']; points: Float32Array; float: Uint8Array };
  disposed: boolean;
}

/** One run: the result, and the quantized weights it ran and their session (for the pad). */
export interface Run {
  result: InferenceResult;
  session: MlpSession;
  weights: WeightSet;
  activations: number | null;
}

/**
 * Multiply-adds of one pass over the held-out set above which jax-js `cpu` (single-threaded
 * JavaScript, the fallback where wasm cannot run) would hold the page for many seconds: spirals
 * (1.2 M) runs there; digits (217 M) reports the page rule to change instead (SPEC §4: never hang).
 */
export const CPU_WORK_LIMIT = 20e6;

const passWork = (model: LoadedModel) =>
  model.labels.length * model.layers.reduce((t, l) => t + l.shape[0] * l.shape[1], 0);

/**
 * Loads `name` from `files` onto `device`. If that device cannot start, `auto` is used and
 * `onDevice` gets the reason (null when the asked device started).
 */
export async function loadInference(
  name: ModelName,
  device: DeviceChoice,
  files: ModelFiles,
  signal: AbortSignal,
  onDevice: (fallback: QuantErrorDetail | null) => void,
): Promise<Loaded> {
  const model = await loadModel(name, files, signal);
  let session: MlpSession;
  try {
    session = await createMlpSession(device, model.layers);
    onDevice(null);
  } catch (e) {
    if (device === 'auto') throw e;
    session = await createMlpSession('auto', model.layers);
    const reason = toDetail(e, 'runtime', 'device');
    onDevice({ ...reason, message: `${reason.message}; using ${session.device} instead.` });
  }
  // cpu only as a fallback (asked for, it is the reader's choice): too slow for a big model.
  if (device !== 'cpu' && session.device === 'cpu' && passWork(model) > CPU_WORK_LIMIT) {
    session.dispose();
    const why = (await wasmBlockedBy()) ?? 'WebAssembly is not available';
    throw new QuantError('runtime', `the ${name} model is too heavy for jax-js cpu, and ${why}`);
  }
  try {
    session.setInputs(model.inputs, model.labels.length);
    const floatLogits = await session.logits(null);
    const loaded: Loaded = { name, model, session, floatLogits, disposed: false };
    if (name === 'spirals') {
      const plane = planeOf(model.inputs);
      const points = gridPoints(plane, GRID);
      const float = argmaxRows(await session.logitsOf(points, GRID * GRID, null), session.classes);
      loaded.grid = { plane, points, float };
    }
    signal.throwIfAborted();
    return loaded;
  } catch (e) {
    session.dispose();
    throw e;
  }
}

export function release(loaded: Loaded | undefined | null): void {
  if (!loaded || loaded.disposed) return;
  loaded.disposed = true;
  loaded.session.dispose();
}

/**
 * A session on the QAT weights `layers` that runs `loaded`'s held-out inputs, already on the
 * device, with its compiled passes (uploading the inputs again and compiling anew was one 172 ms
 * main-thread task, issue 20).
 */
export async function qatSession(loaded: Loaded, layers: MlpLayer[]): Promise<MlpSession> {
  return loaded.session.withWeights(layers);
}

/**
 * Runs `loaded` at `config` (per-layer `layers` widths win over `config.bits`). With `qat`, the
 * QAT weights are quantized instead of the trained ones; "float" stays the trained float model.
 */
export async function runInference(
  loaded: Loaded,
  config: QuantConfig,
  layers: number[] | undefined,
  activations: Activations,
  qat: QatWeights | null = null,
  /** GPTQ / AWQ weights calibrated for this config (quant-inference.method.ts); ignored with `qat`. */
  method: MethodWeights | null = null,
): Promise<Run> {
  const { model, floatLogits } = loaded;
  const session = qat?.session ?? loaded.session;
  const shapes = model.layers.map((l) => l.shape);
  // The bit width each layer is stored at: a number format has its own (SPEC §3.1).
  const bits =
    config.format === 'int'
      ? layerBits(config.bits, layers, shapes.length)
      : shapes.map(() => elementBits(config.format as Exclude<QuantConfig['format'], 'int'>));
  const calibrated = qat ? null : method;
  const weights = calibrated
    ? session.provide(calibrated.key, calibrated.layers, calibrated.scales)
    : await session.quantize(bits.map((b) => ({ ...config, bits: b })));
  const act = activations === 'float' ? null : activations;
  const { classes } = session;
  // One compiled pass: the quantized model and each layer alone (sensitivity), one read-back.
  const pass = await session.quantizedWithSensitivity(weights, act);
  const quantLogits = pass.quant;
  const c = compareLogits(floatLogits, quantLogits, classes, model.labels);
  const sensitivity = pass.sensitivity.map((only) => accuracyOf(only, classes, model.labels));
  let regions: Regions | undefined;
  if (loaded.grid) {
    const { plane, points, float } = loaded.grid;
    const q = argmaxRows(await session.logitsOf(points, GRID * GRID, weights, act), classes);
    regions = { cells: GRID, plane, float, quant: q };
  }
  const result: InferenceResult = {
    model: loaded.name,
    config: calibrated
      ? { ...config, method: calibrated.method, calibrationSamples: calibrated.samples }
      : { ...config, method: 'rtn' },
    activations,
    layers: bits,
    accuracyFloat: c.accuracyFloat,
    accuracyQuant: c.accuracyQuant,
    agreement: c.agreement,
    meanKl: c.meanKl,
    maxLogitDiff: c.maxLogitDiff,
    flipped: c.flipped.length,
    bytesFloat: floatBytes(shapes),
    bytesQuant: quantBytes(shapes, bits, weights.scales, config),
    sensitivity,
    device: session.device,
    heldOut: model.labels.length,
    examples: flippedExamples(c.flipped, floatLogits, quantLogits, classes, model.labels),
    regions,
    ...(qat ? { qat: qat.summary } : {}),
  };
  return { result, session, weights, activations: act };
}
