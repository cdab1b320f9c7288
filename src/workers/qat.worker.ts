/**
 * The QAT Web Worker: jax-js trains here, so the page stays responsive. Started by
 * <quant-inference> through src/controllers/worker.ts (src/worker-sources.ts: from its URL when
 * same-origin, else a blob: bootstrap, so a CDN-served kit starts it too; in the CDN build an
 * entry that shares the page's jax-js chunk). One request (src/core/qat/protocol.ts): fetch the
 * model and, only now, its training subset (from the URLs the page sends: a bundler renames the
 * files); train; answer the QAT weights as transferred Float32Arrays. It also answers GPTQ/AWQ
 * calibration (`kind: 'calibrate'`, src/core/gptq/protocol.ts): the same assets, the same way
 * back, without a second worker entry. Cancelling is the host's `terminate()`.
 */
import type {
  CalibrationRequest,
  CalibrationResponse,
  CalibrationWorkerProgress,
} from '../core/gptq/protocol.js';
import type { QatRequest, QatResponse, QatWorkerProgress } from '../core/qat/protocol.js';
import { calibrate } from '../core/gptq/calibrate.js';
import { trainQat } from '../core/qat/train.js';
import { resolveDevice } from '../core/runtime.js';
import { loadModel, loadTrainSet } from '../models/load.js';
import { serveRuns } from './serve.js';

type Request = QatRequest | CalibrationRequest;
type Response = QatResponse | CalibrationResponse;

async function calibration(
  request: CalibrationRequest,
  progress: (p: CalibrationWorkerProgress) => void,
): Promise<CalibrationResponse> {
  const t0 = performance.now();
  progress({ phase: 'loading', done: 0, total: 1, layer: 0 });
  const files = request.modelFiles;
  const [device, model] = await Promise.all([resolveDevice(request.device), loadModel(request.model, files)]);
  const train = await loadTrainSet(model.manifest, files);
  const n = Math.min(request.samples, train.n);
  const inputs = train.inputs.subarray(0, n * model.layers[0].shape[1]);
  const t1 = performance.now();
  const layers = await calibrate({
    layers: model.layers.map(({ weight, shape, bias }) => ({ weight, shape, bias })),
    inputs,
    n,
    method: request.method,
    quant: request.quant,
    layerBits: request.layerBits,
    device,
    onProgress: (p) => progress({ ...p, phase: 'calibrating' }),
  });
  return {
    layers: layers.map(({ weight, scales, alpha, ms }) => ({ weight, scales, alpha, ms })),
    ms: performance.now() - t1,
    loadMs: t1 - t0,
    device,
  };
}

serveRuns<Request, QatWorkerProgress | CalibrationWorkerProgress, Response>(
  async (request, progress) => {
    if ('kind' in request && request.kind === 'calibrate') return calibration(request, progress);
    const qat = request as QatRequest;
    const t0 = performance.now();
    progress({ phase: 'loading', done: 0, total: qat.steps, loss: NaN });
    const files = qat.modelFiles;
    const [device, model] = await Promise.all([resolveDevice(qat.device), loadModel(qat.model, files)]);
    const train = await loadTrainSet(model.manifest, files);
    const loadMs = performance.now() - t0;
    const result = await trainQat({
      layers: model.layers.map(({ weight, shape, bias }) => ({ weight, shape, bias })),
      train,
      heldOut: { inputs: model.inputs, labels: model.labels, n: model.labels.length },
      device,
      config: qat.config,
      layerBits: qat.layerBits,
      activations: qat.activations,
      steps: qat.steps,
      lr: qat.lr,
      seed: qat.seed,
      evalEvery: qat.evalEvery,
      onProgress: (p) => progress({ ...p, phase: 'training' }),
    });
    return { ...result, loadMs };
  },
  (r) => r.layers.flatMap((l) => ('bias' in l ? [l.weight.buffer, l.bias.buffer] : [l.weight.buffer])),
);
