/**
 * The calibration request the QAT worker (src/workers/qat.worker.ts) also answers, types only: the
 * element imports them without loading jax-js. Float32Arrays, never jax-js arrays, cross the
 * worker boundary.
 */
import type { DeviceChoice } from '../config.js';
import type { ModelName } from '../../models/manifest.js';
import type { CalibrationProgress } from './calibrate.js';
import type { Method } from './reference.js';
import type { LayerQuant } from './setup.js';

export interface CalibrationRequest {
  kind: 'calibrate';
  model: ModelName;
  /** The absolute URL of each model file, by name (as QatRequest). */
  modelFiles: Readonly<Record<string, string>>;
  method: Method;
  quant: Omit<LayerQuant, 'bits'>;
  layerBits: number[];
  /** The first `samples` images of the training subset calibrate (never the held-out set). */
  samples: number;
  device: DeviceChoice;
}

/** Loading the assets (done 0), then per block of columns (GPTQ) or α (AWQ). */
export type CalibrationWorkerProgress = CalibrationProgress & { phase: 'loading' | 'calibrating' };

export interface CalibrationResponse {
  /** Per layer: the quantized weights as the float model sees them ([out, in]), scale count, AWQ's α, ms. */
  layers: { weight: Float32Array; scales: number; alpha?: number; ms: number }[];
  /** Calibration time in the worker (compile included), ms; loading not included. */
  ms: number;
  loadMs: number;
  device: string;
}
