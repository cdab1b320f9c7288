/**
 * Loaded into a CSP page by test/reliability/workers.test.ts: the QAT worker started by the kit's
 * WorkerController in that page (its realm, its policy), without <quant-inference>'s main-thread
 * numerics.
 */
import type { ReactiveControllerHost } from 'lit';
import { WorkerController } from '../../src/controllers/worker.js';
import type { QatRequest, QatResponse, QatWorkerProgress } from '../../src/core/qat/protocol.js';
import { MODEL_FILES } from '../../src/model-files.generated.js';
import { qatWorker } from '../../src/worker-sources.js';

const host = { addController() {} } as unknown as ReactiveControllerHost;

/** Trains `steps` steps in a new QAT worker, then ends it. */
(window as unknown as { trainQat(steps: number): Promise<QatResponse> }).trainQat = async (steps) => {
  const worker = new WorkerController<QatRequest, QatWorkerProgress, QatResponse>(host, qatWorker, 'QAT');
  try {
    return await worker.run({
      model: 'digits',
      modelFiles: MODEL_FILES,
      config: { bits: 2 },
      layerBits: [2, 2, 2],
      activations: null,
      steps,
      lr: 1e-3,
      seed: 95,
      device: 'wasm',
      evalEvery: 10,
    });
  } finally {
    worker.terminate();
  }
};
