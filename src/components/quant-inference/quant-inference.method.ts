/**
 * `method="gptq" | "awq"` of <quant-inference>, as a Lit controller: calibrates in the worker
 * (src/workers/qat.worker.ts answers `kind: 'calibrate'`; the page stays responsive) and keeps the
 * calibrated weights per (model, method, samples, bits per layer, scheme, granularity, group size),
 * so going back to a config is instant. `rtn` needs none of this: the session quantizes as before.
 */
import { html, nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit';
import { WorkerController } from '../../controllers/worker.js';
import type { DeviceChoice, QuantConfig } from '../../core/config.js';
import type { WeightMethod } from '../../core/fields.js';
import type {
  CalibrationRequest,
  CalibrationResponse,
  CalibrationWorkerProgress,
} from '../../core/gptq/protocol.js';
import { MODEL_FILES } from '../../model-files.generated.js';
import { qatWorker } from '../../worker-sources.js';
import type { Loaded } from './quant-inference.run.js';

/** Calibrated weights of one model and config, as the session takes them (`provide`). */
export interface MethodWeights {
  method: Exclude<WeightMethod, 'rtn'>;
  /** Training images that calibrated (at most the subset's size). */
  samples: number;
  key: string;
  layers: Float32Array[];
  scales: number[];
  /** AWQ: the α chosen per layer. */
  alphas?: number[];
  /** Calibration time in the worker, ms. */
  ms: number;
}

/**
 * Why `method` cannot apply to `config` (GPTQ and AWQ target the int grid: another format has its
 * own levels), as the SPEC §4 message; null when it can.
 */
export function methodBlocked(method: WeightMethod, config: QuantConfig): string | null {
  if (method === 'rtn' || config.format === 'int') return null;
  return `method="${method}" needs format="int" (it quantizes to the int grid), not format="${config.format}": using rtn`;
}

const METHOD_NAMES = { rtn: 'RTN', gptq: 'GPTQ', awq: 'AWQ' } as const;

/** " Weights: GPTQ, calibrated on 256 training images." for the status line (empty for rtn). */
export function methodNote(config: { method: WeightMethod; calibrationSamples?: number }): string {
  if (config.method === 'rtn') return '';
  return ` Weights: ${METHOD_NAMES[config.method]}, calibrated on ${config.calibrationSamples} training images.`;
}

/** The calibration in flight, as a status line (nothing when idle). */
export function methodStatus(
  p: (CalibrationWorkerProgress & { method: WeightMethod }) | null,
): TemplateResult | typeof nothing {
  return p ? html`<p class="note" role="status">${methodStatusText(p)}</p>` : nothing;
}

/** "GPTQ calibrating in a worker: layer 1 · 40%" (in steps of 10%). */
function methodStatusText(p: CalibrationWorkerProgress & { method: WeightMethod }): string {
  const what =
    p.phase === 'loading'
      ? 'loading the training images'
      : `layer ${p.layer + 1} · ${10 * Math.floor((10 * p.done) / Math.max(p.total, 1))}%`;
  return `${METHOD_NAMES[p.method]} calibrating in a worker: ${what}`;
}

/** Calibrated sets kept per model (a reader stepping through bits and granularities). */
const KEPT = 24;

export class MethodController implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #worker: WorkerController<CalibrationRequest, CalibrationWorkerProgress, CalibrationResponse>;
  readonly #onProgress: (p: CalibrationWorkerProgress & { method: WeightMethod }) => void;
  /** By key, for the model `#for`; oldest first. */
  readonly #kept = new Map<string, MethodWeights>();
  #for: Loaded | null = null;
  #progress: (CalibrationWorkerProgress & { method: WeightMethod }) | null = null;

  constructor(
    host: ReactiveElement,
    onProgress: (p: CalibrationWorkerProgress & { method: WeightMethod }) => void,
  ) {
    this.#host = host;
    this.#worker = new WorkerController(host, qatWorker, 'calibration');
    this.#onProgress = onProgress;
    host.addController(this);
  }

  /** The calibration in flight, or null. */
  get progress(): (CalibrationWorkerProgress & { method: WeightMethod }) | null {
    return this.#progress;
  }

  hostDisconnected(): void {
    this.#kept.clear();
    this.#for = null;
    this.#progress = null;
  }

  /** The cache key of a config (what changes the calibrated weights). */
  static keyOf(
    loaded: Loaded,
    method: WeightMethod,
    samples: number,
    config: QuantConfig,
    layerBits: readonly number[],
  ): string {
    const { scheme, granularity, groupSize } = config;
    return JSON.stringify([loaded.name, method, samples, layerBits, scheme, granularity, groupSize]);
  }

  /**
   * The calibrated weights for `loaded` at this config: kept ones at once, else from the worker
   * (rejects with an AbortError when `signal` aborts: the worker is stopped).
   */
  async weights(
    loaded: Loaded,
    method: Exclude<WeightMethod, 'rtn'>,
    samples: number,
    config: QuantConfig,
    layerBits: number[],
    signal: AbortSignal,
  ): Promise<MethodWeights> {
    if (this.#for !== loaded) {
      this.#kept.clear();
      this.#for = loaded;
    }
    // 500 and 5000 samples on a 256-image subset are the same calibration: one key, one run.
    samples = Math.min(samples, loaded.model.manifest.data.train.count);
    const key = MethodController.keyOf(loaded, method, samples, config, layerBits);
    const kept = this.#kept.get(key);
    if (kept) return kept;
    const { scheme, granularity, groupSize } = config;
    const request: CalibrationRequest = {
      kind: 'calibrate',
      model: loaded.name,
      modelFiles: MODEL_FILES,
      method,
      quant: { scheme, granularity, groupSize },
      layerBits,
      samples,
      device: loaded.session.device as DeviceChoice,
    };
    this.#progress = { phase: 'loading', done: 0, total: 1, layer: 0, method };
    this.#host.requestUpdate();
    try {
      const r = await this.#worker.run(request, {
        signal,
        onProgress: (p) => {
          const shown = this.#progress && methodStatusText(this.#progress);
          this.#progress = { ...p, method };
          this.#onProgress(this.#progress);
          // A render of the whole element per block would be main-thread work for nothing new.
          if (methodStatusText(this.#progress) !== shown) this.#host.requestUpdate();
        },
      });
      const weights: MethodWeights = {
        method,
        samples,
        key,
        layers: r.layers.map((l) => l.weight),
        scales: r.layers.map((l) => l.scales),
        ms: r.ms,
        ...(method === 'awq' ? { alphas: r.layers.map((l) => l.alpha ?? 0) } : {}),
      };
      if (this.#for === loaded) {
        while (this.#kept.size >= KEPT) this.#kept.delete(this.#kept.keys().next().value as string);
        this.#kept.set(key, weights);
      }
      return weights;
    } finally {
      this.#progress = null;
      this.#host.requestUpdate();
    }
  }
}
