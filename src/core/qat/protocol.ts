/**
 * The messages of the QAT worker (src/workers/qat.worker.ts), types only: the element imports them
 * without loading jax-js. Float32Arrays, never jax-js arrays, cross the worker boundary.
 */
import type { DeviceChoice, QuantConfig } from '../config.js';
import type { MlpLayer } from '../inference/mlp.js';
import type { ModelName } from '../../models/manifest.js';
import type { QatProgress, QatResult } from './train.js';

export interface QatRequest {
  model: ModelName;
  /** The absolute URL of each model file, by name (`<model>.json`, its `.bin.gz` files). */
  modelFiles: Readonly<Record<string, string>>;
  /** The element's config; `layerBits` (one per layer, resolved from `bits` and `layers`) wins over `bits`. */
  config: Partial<QuantConfig>;
  layerBits: number[];
  /** Bits of each layer's input, or null for float activations. */
  activations: number | null;
  steps: number;
  lr: number;
  /** Seeds the batch order (the element passes its `seed`). */
  seed: number;
  device: DeviceChoice;
  /** Steps between held-out evaluations (default ≈ steps / 20). */
  evalEvery?: number;
}

/** Progress: loading the assets (done 0 of `steps`), then one per training step. */
export type QatWorkerProgress = QatProgress & { phase: 'loading' | 'training' };

/** The result, with the QAT float weights (`[out, in]`, the model's layout) as plain arrays. */
export interface QatResponse extends Omit<QatResult, 'device'> {
  layers: MlpLayer[];
  device: string;
  /** Milliseconds spent fetching the model and the training subset before training. */
  loadMs: number;
}
