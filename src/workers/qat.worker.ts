/**
 * The QAT Web Worker: jax-js trains here, so the page stays responsive. Started by
 * <quant-inference> through src/controllers/worker.ts (src/worker-sources.ts: from its URL when
 * same-origin, else a blob: bootstrap, so a CDN-served kit starts it too; in the CDN build an
 * entry that shares the page's jax-js chunk). One request (src/core/qat/protocol.ts): fetch the
 * model and, only now, its training subset (from the URLs the page sends: a bundler renames the
 * files); train; answer the QAT weights as transferred Float32Arrays. Cancelling is the host's
 * `terminate()`.
 */
import type { QatRequest, QatResponse, QatWorkerProgress } from '../core/qat/protocol.js';
import { trainQat } from '../core/qat/train.js';
import { resolveDevice } from '../core/runtime.js';
import { loadModel, loadTrainSet } from '../models/load.js';
import { serveRuns } from './serve.js';

serveRuns<QatRequest, QatWorkerProgress, QatResponse>(
  async (request, progress) => {
    const t0 = performance.now();
    progress({ phase: 'loading', done: 0, total: request.steps, loss: NaN });
    const files = request.modelFiles;
    const [device, model] = await Promise.all([
      resolveDevice(request.device),
      loadModel(request.model, files),
    ]);
    const train = await loadTrainSet(model.manifest, files);
    const loadMs = performance.now() - t0;
    const result = await trainQat({
      layers: model.layers.map(({ weight, shape, bias }) => ({ weight, shape, bias })),
      train,
      heldOut: { inputs: model.inputs, labels: model.labels, n: model.labels.length },
      device,
      config: request.config,
      layerBits: request.layerBits,
      activations: request.activations,
      steps: request.steps,
      lr: request.lr,
      seed: request.seed,
      evalEvery: request.evalEvery,
      onProgress: (p) => progress({ ...p, phase: 'training' }),
    });
    return { ...result, loadMs };
  },
  (r) => r.layers.flatMap((l) => [l.weight.buffer, l.bias.buffer]),
);
