/**
 * Quantization-aware training for <quant-inference>, as a Lit controller: runs the QAT worker
 * (src/workers/qat.worker.ts; the page stays responsive), collects the held-out accuracy curve for
 * the live chart, and turns the trained weights into a session the element quantizes as usual.
 * The QAT weights stay in force until Reset, a new run or another model; a replaced session is
 * disposed only once no shown result uses it (the pad may still be classifying with it).
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import { ChartController } from '../../controllers/chart-controller.js';
import { TaskController } from '../../controllers/task.js';
import { WorkerController } from '../../controllers/worker.js';
import type { MlpSession } from '../../core/inference/index.js';
import type { QatRequest, QatResponse, QatWorkerProgress } from '../../core/qat/protocol.js';
import type { QatPoint } from '../../core/qat/train.js';
import { readTokens } from '../../internal/colors.js';
import { qatWorker } from '../../worker-sources.js';
import type { Activations } from './quant-inference.model.js';
import { qatChart } from './quant-inference.qat.js';
import { qatSession, type Loaded, type QatWeights } from './quant-inference.run.js';

/** The QAT weights and the model they belong to. */
export type TrainedWeights = QatWeights & { loaded: Loaded };

type TrainArgs = [QatRequest, Loaded, QatWeights['trainedFor']];

export interface QatOptions {
  /** `quant-progress` for the page. */
  onProgress(detail: QatWorkerProgress): void;
  onError(error: unknown): void;
}

export class QatController implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #worker: WorkerController<QatRequest, QatWorkerProgress, QatResponse>;
  readonly #task: TaskController<TrainArgs, TrainedWeights, QatWorkerProgress>;
  readonly #chart: ChartController;
  #weights: TrainedWeights | null = null;
  #curve: QatPoint[] = [];
  #total = 0;
  #cancelledAt: number | null = null;
  /** Sessions of replaced QAT weights, disposed once no shown result uses them. */
  readonly #retired = new Set<MlpSession>();

  constructor(host: ReactiveElement, options: QatOptions) {
    this.#host = host;
    this.#worker = new WorkerController(host, qatWorker, 'QAT');
    this.#chart = new ChartController(host, () =>
      host.renderRoot.querySelector<HTMLElement>('[data-chart=qat]'),
    );
    this.#task = new TaskController<TrainArgs, TrainedWeights, QatWorkerProgress>(host, {
      autoRun: false,
      args: () => null,
      run: ([request, loaded, trainedFor], { signal, progress }) =>
        this.#train(request, loaded, trainedFor, signal, progress),
      onProgress: (p) => options.onProgress(p),
      onError: (e) => options.onError(e),
    });
    host.addController(this);
  }

  get running(): boolean {
    return this.#task.status === 'pending';
  }

  get progress(): QatWorkerProgress | undefined {
    return this.#task.progress;
  }

  /** The QAT weights in force, or null (the trained weights). */
  get weights(): TrainedWeights | null {
    return this.#weights;
  }

  get curve(): readonly QatPoint[] {
    return this.#curve;
  }

  /** The step a cancelled run stopped at, until the next run or Reset. */
  get cancelledAt(): number | null {
    return this.#cancelledAt;
  }

  /**
   * Trains in the worker; resolves with the new weights (now in force), rejects with an AbortError
   * DOMException when cancelled.
   */
  train(
    request: QatRequest,
    loaded: Loaded,
    trainedFor: { config: QatWeights['trainedFor']['config']; layers: number[]; activations: Activations },
  ): Promise<TrainedWeights> {
    this.#curve = [];
    this.#total = request.steps;
    this.#cancelledAt = null;
    return this.#task.run([request, loaded, trainedFor]);
  }

  cancel(): void {
    if (!this.running) return;
    this.#cancelledAt = this.progress?.phase === 'training' ? this.progress.done : 0;
    this.#task.abort(new DOMException('quantization-aware training was cancelled', 'AbortError'));
  }

  /** Back to the trained weights (the curve goes with them). */
  reset(): void {
    this.cancel();
    this.#replace(null);
    this.#curve = [];
    this.#cancelledAt = null;
    this.#host.requestUpdate();
  }

  /** Disposes the retired sessions except `inUse` (the shown result's). */
  release(inUse: MlpSession | null): void {
    for (const s of this.#retired)
      if (s !== inUse) {
        s.dispose();
        this.#retired.delete(s);
      }
  }

  hostDisconnected(): void {
    this.cancel();
    this.#replace(null);
    this.release(null);
    this.#curve = [];
  }

  hostUpdated(): void {
    if (!this.#curve.length) return;
    const c = readTokens(this.#host, {
      float: ['--_float', '#0969da'],
      ptq: ['--_quant', '#d4640b'],
      qat: ['--_qat', '#1a7f37'],
      muted: ['--_muted', '#59636e'],
      border: ['--_border', '#d1d9e0'],
    });
    this.#chart.render(qatChart(this.#curve, this.#total, c));
  }

  async #train(
    request: QatRequest,
    loaded: Loaded,
    trainedFor: QatWeights['trainedFor'],
    signal: AbortSignal,
    progress: (p: QatWorkerProgress) => void,
  ): Promise<TrainedWeights> {
    const response = await this.#worker.run(request, {
      signal,
      onProgress: (p) => {
        if (p.point) this.#curve = [...this.#curve, p.point];
        progress(p);
      },
    });
    // The worker's jax-js is no longer needed: free it until the next run.
    this.#worker.terminate();
    this.#curve = response.curve;
    // The answer's message handler ends here: the session and the re-render that follows are tasks
    // of their own, each well under 50 ms (together they were one task of ~60–90 ms).
    await nextTask();
    if (signal.aborted || loaded.disposed) throw signal.reason ?? new DOMException('cancelled', 'AbortError');
    const session = await qatSession(loaded, response.layers);
    await nextTask();
    if (signal.aborted || loaded.disposed) {
      session.dispose();
      throw signal.reason ?? new DOMException('cancelled', 'AbortError');
    }
    const weights: TrainedWeights = {
      session,
      loaded,
      trainedFor,
      summary: { steps: response.steps, accuracy: response.accuracy, ms: response.ms },
    };
    this.#replace(weights);
    return weights;
  }

  #replace(next: TrainedWeights | null): void {
    if (this.#weights) this.#retired.add(this.#weights.session);
    this.#weights = next;
    this.#host.requestUpdate();
  }
}

/** Resolves in a task of its own (after rendering and input have had their turn). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
