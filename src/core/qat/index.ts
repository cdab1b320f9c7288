/**
 * Quantization-aware training for <quant-inference> (issue 11): fake quantization with the clipped
 * straight-through estimator (fake-quant.ts), Adam (adam.ts), seeded batches (batches.ts) and the
 * jit-compiled training loop (train.ts). Needs jax-js: load it in a worker (src/workers/qat.worker.ts).
 */
export {
  trainQat,
  QAT_BATCH_SIZE,
  QAT_SEED,
  MIN_LR_FRACTION,
  type QatData,
  type QatOptions,
  type QatPoint,
  type QatProgress,
  type QatResult,
} from './train.js';
export {
  straightThrough,
  straightThroughActivations,
  weightTargets,
  type Targets,
  type WeightQuantizer,
} from './fake-quant.js';
export type { QatRequest, QatResponse, QatWorkerProgress } from './protocol.js';
