/**
 * Weight-only post-training quantization with calibration for <quant-inference> `method` (issue
 * 22): GPTQ (gptq.ts) and AWQ (awq.ts) on jax-js, their plain typed-array reference
 * (reference.ts), the float64 setup they share (setup.ts) and AWQ's folding (fold.ts). Needs
 * jax-js: run it in the worker (src/workers/qat.worker.ts).
 */
export {
  calibrate,
  type CalibrateOptions,
  type CalibratedLayer,
  type CalibrationProgress,
} from './calibrate.js';
export { gptqLayer } from './gptq.js';
export { awqLayer } from './awq.js';
export { foldAwq } from './fold.js';
export type { Method, LayerResult, AwqLayerResult } from './reference.js';
export type { LayerQuant } from './setup.js';
