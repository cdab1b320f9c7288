import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { DeviceChoice, QuantConfig } from '../../core/config.js';
import { toDetail } from '../../controllers/errors.js';
import { TaskController } from '../../controllers/task.js';
import { VisibilityController } from '../../controllers/visibility.js';
import { readTokens } from '../../internal/colors.js';
import { uplotStyles } from '../../internal/uplot-styles.js';
import { bitsSlider, buttonStyles, controlStyles, selectControl } from '../../internal/controls.js';
import { ConfigReader, changeDetail, followGroup } from '../../internal/config-host.js';
import type { QuantChangeDetail } from '../../internal/events.js';
import { CONFIG_PROPERTIES, RUNTIME_PROPERTIES, fieldProperty } from '../../internal/fields.js';
import { QuantBase } from '../../internal/quant-base.js';
import { MODEL_FILES } from '../../model-files.generated.js';
import {
  FORMATS,
  GRANULARITIES,
  METHOD_FIELDS,
  METHODS,
  QAT_FIELDS,
  type WeightMethod,
} from '../../core/fields.js';
import type { QatRequest } from '../../core/qat/protocol.js';
import {
  ACTIVATIONS_FIELD,
  LAYERS_FIELD,
  MODEL_FIELD,
  configLabel,
  formatNote,
  layerBits,
  sameQuantization,
  type Activations,
  type FlippedExample,
  type ModelName,
} from './quant-inference.model.js';
import { DrawingPad } from './quant-inference.pad.js';
import { PadReadingController } from './quant-inference.pad-reading.js';
import { renderQat } from './quant-inference.qat.js';
import { QatController, type TrainedWeights } from './quant-inference.qat-controller.js';
import {
  MethodController,
  methodBlocked,
  methodNote,
  methodStatus,
  type MethodWeights,
} from './quant-inference.method.js';
import {
  loadInference,
  release,
  runInference,
  type InferenceResult,
  type Loaded,
  type Run,
} from './quant-inference.run.js';
import { inferenceStyles } from './quant-inference.styles.js';
import {
  differingCells,
  paintDisagreement,
  paintRegions,
  renderGallery,
  renderMetrics,
  renderPadBars,
  renderSensitivity,
  type Regions,
} from './quant-inference.views.js';

export type { Activations, FlippedExample, InferenceResult, ModelName, Regions };

/**
 * A small trained model run in float and quantized side by side on held-out data it never saw:
 * accuracy, agreement, divergence, bytes, every changed prediction (digits: a gallery and a
 * drawing pad; spirals: decision regions), and per-layer sensitivity.
 *
 * @tag quant-inference
 * @summary What quantization changes in a model that has learned something.
 *
 * @attr {'digits' | 'spirals'} model - The built-in model. Default digits.
 * @attr {string} layers - Per-layer bit widths, one per layer (e.g. `8 4 8`); wins over `bits`.
 * @attr {string} activations - `float` or an integer 2–16: per-tensor dynamic quantization of each layer's input. Default float.
 * @attr {number} bits - Bit width, an integer 2–16. Default 8.
 * @attr {'affine' | 'symmetric'} scheme - Default affine.
 * @attr {'tensor' | 'channel' | 'group'} granularity - `channel` = per output neuron. Default tensor.
 * @attr {number} group-size - Integer ≥ 2. Default 32.
 * @attr {'half-even' | 'half-up' | 'stochastic'} rounding - Default half-even.
 * @attr {'minmax' | 'percentile' | 'mse'} calibration - Default minmax.
 * @attr {number} percentile - Number in (50, 100]. Default 99.9.
 * @attr {'int' | 'fp16' | 'bf16' | 'fp8-e4m3' | 'fp8-e5m2' | 'fp4-e2m1' | 'nf4' | 'mxfp4' | 'mxfp8' | 'mxint8'} format - `int` (bits and scheme apply) or a number format (SPEC §3.1; MX formats use blocks of 32 along a row). Default int.
 * @attr {number} seed - Seed of stochastic rounding, 0–4294967295. Default 95.
 * @attr {'lazy' | 'eager'} loading - Default lazy.
 * @attr {'auto' | 'wasm' | 'webgpu' | 'webgl' | 'cpu'} device - Default auto.
 * @attr {string} group - Elements with the same group follow each other's config changes.
 * @attr {string} group-fields - `all` (default), or the space-separated config attributes this element takes from its group, e.g. `bits group-size`.
 * @attr {number} qat-steps - Steps of quantization-aware training, an integer 1–10000. Default 200.
 * @attr {number} qat-lr - Peak Adam learning rate of quantization-aware training, positive. Default 0.001.
 * @attr {'rtn' | 'gptq' | 'awq'} method - How the weights are quantized: `rtn` round-to-nearest (the config's calibration and rounding); `gptq` (error feedback through the inverse Hessian, layer by layer) or `awq` (per-input scales from the activations, α searched) calibrate on `calibration-samples` training images in a Web Worker, then the quantized pass runs as for rtn. Per layer at its `layers` width; `activations` still quantizes the inputs at inference; `sensitivity` uses the method's weights for each layer; `format="int"` only (another format reports an invalid-attribute error and runs rtn); per tensor: one scale fixed up front; QAT starts from the float weights and quantizes round-to-nearest. GPTQ and AWQ use minmax scales and half-even rounding. Default rtn.
 * @attr {number} calibration-samples - Training images that calibrate gptq and awq, an integer 1–4000 (at most the model's training subset). Default 256.
 *
 * @fires {CustomEvent<QuantChangeDetail>} quant-change - The user committed a config change.
 * @fires {CustomEvent<QuantChangeDetail>} quant-input - Live while the user drags the bits slider.
 * @fires {CustomEvent<QuantReadyDetail>} quant-ready - The model ran and the first result is on screen.
 * @fires {CustomEvent<InferenceResult>} quant-result - Every finished computation, after the DOM shows it.
 * @fires {CustomEvent<QuantProgressDetail>} quant-progress - Quantization-aware training advanced: `{done, total, phase, loss, point?}`; GPTQ/AWQ calibration advanced: `{done, total, phase: 'loading' | 'calibrating', layer, method}`.
 * @fires {CustomEvent<QuantErrorDetail>} quant-error - Invalid attribute, unreadable model files, failed runtime.
 *
 * @csspart controls - The config controls.
 * @csspart metrics - Accuracies, agreement, KL, max |Δlogit|, flipped, bytes.
 * @csspart gallery - digits: the held-out digits whose prediction changed.
 * @csspart pad - digits: the drawing pad and its probabilities.
 * @csspart regions - spirals: the decision regions of both models.
 * @csspart sensitivity - Accuracy with one layer quantized.
 * @csspart qat - Quantization-aware training: the action, progress, the accuracy curve, Reset.
 *
 * @cssprop --quant-inference-float - Colour of the float model's bars.
 * @cssprop --quant-inference-quant - Colour of the quantized model's bars.
 * @cssprop --quant-inference-qat - Colour of the QAT curve.
 * @cssprop --quant-inference-class-0 - Colour of spirals class A (also -1, -2).
 */
export class QuantInference extends QuantBase<InferenceResult> {
  static override styles = [...QuantBase.styles, controlStyles, buttonStyles, uplotStyles, inferenceStyles];
  static override properties = {
    ...CONFIG_PROPERTIES,
    ...RUNTIME_PROPERTIES,
    model: fieldProperty(MODEL_FIELD, 'model'),
    layers: fieldProperty(LAYERS_FIELD, 'layers'),
    activations: fieldProperty(ACTIVATIONS_FIELD, 'activations'),
    qatSteps: fieldProperty(QAT_FIELDS.qatSteps, 'qat-steps'),
    qatLr: fieldProperty(QAT_FIELDS.qatLr, 'qat-lr'),
    method: fieldProperty(METHOD_FIELDS.method, 'method'),
    calibrationSamples: fieldProperty(METHOD_FIELDS.calibrationSamples, 'calibration-samples'),
  };

  declare bits: number;
  declare scheme: QuantConfig['scheme'];
  declare granularity: QuantConfig['granularity'];
  declare groupSize: number;
  declare rounding: QuantConfig['rounding'];
  declare calibration: QuantConfig['calibration'];
  declare percentile: number;
  declare format: QuantConfig['format'];
  declare seed: number;
  declare loading: 'lazy' | 'eager';
  declare device: DeviceChoice;
  declare group: string | undefined;
  /** `all` (default), or the config attribute names (`bits`, `group-size`, …) taken from the group. */
  declare groupFields: 'all' | string[];
  /** `digits` or `spirals`. */
  declare model: ModelName;
  /** Per-layer bit widths, or undefined (`bits` everywhere). */
  declare layers: number[] | undefined;
  /** `float` or a bit width for the layers' inputs. */
  declare activations: Activations;
  /** Steps of quantization-aware training. */
  declare qatSteps: number;
  /** Peak learning rate of quantization-aware training. */
  declare qatLr: number;
  /** `rtn`, `gptq` or `awq`: how the weights are quantized. */
  declare method: WeightMethod;
  /** Training images that calibrate `gptq` and `awq`. */
  declare calibrationSamples: number;

  readonly #visibility = new VisibilityController(this, { eager: () => this.loading === 'eager' });
  readonly #load = new TaskController<[ModelName, DeviceChoice], Loaded>(this, {
    args: () => (this.#visibility.near ? [this.model, this.device] : null),
    run: async ([name, device], { signal }) => {
      // QAT weights and a drawing belong to the model they were made with.
      this.#qat.reset();
      this.#pad.clear();
      const loaded = await loadInference(name, device, MODEL_FILES, signal, (e) =>
        this.errors.set('device', e),
      );
      release(this.#load.value);
      return loaded;
    },
    onComplete: () => this.errors.set('model', null),
    onError: (e) => this.errors.set('model', toDetail(e, 'runtime')),
  });
  readonly #qat = new QatController(this, {
    onProgress: (p) => this.emit('quant-progress', { ...p }),
    onError: (e) => this.errors.set('qat', toDetail(e, 'runtime')),
  });
  readonly #method = new MethodController(this, (p) => this.emit('quant-progress', { ...p }));
  readonly #compute = new TaskController<
    [Loaded, QuantConfig, string, Activations, TrainedWeights | null, WeightMethod, number],
    Run
  >(this, {
    args: () => {
      const loaded = this.#load.value;
      if (!loaded || loaded.disposed || this.#load.status === 'pending') return null;
      // QAT weights belong to the model they were trained from.
      const qat = this.#qat.weights?.loaded === loaded ? this.#qat.weights : null;
      return [
        loaded,
        this.config,
        this.layers?.join(' ') ?? '',
        this.activations,
        qat,
        this.method,
        this.calibrationSamples,
      ];
    },
    run: async ([loaded, config, layersText, activations, qat, method, samples], { signal }) => {
      const layers = layersText ? layersText.split(' ').map(Number) : undefined;
      // A number format has no int grid for GPTQ/AWQ to target (SPEC §4: say so, run rtn).
      const blocked = methodBlocked(method, config);
      this.errors.set(
        'method',
        blocked ? { code: 'invalid-attribute', message: blocked, attribute: 'method' } : null,
      );
      let calibrated: MethodWeights | null = null;
      if (method !== 'rtn' && !blocked && !qat) {
        const bits = layerBits(config.bits, layers, loaded.model.layers.length);
        calibrated = await this.#method.weights(loaded, method, samples, config, bits, signal);
      }
      return runInference(loaded, config, layers, activations, qat, calibrated);
    },
    onComplete: (run) => {
      const { result } = run;
      this.#qat.release(run.session);
      this.errors.set('runtime', null);
      this.emit('quant-result', result);
      const loaded = this.#load.value;
      if (loaded && this.#readyFor !== loaded) {
        this.#readyFor = loaded;
        this.emit('quant-ready', { device: result.device, requested: this.device });
      }
      void this.#reading.refresh();
    },
    onError: (e) => this.errors.set('runtime', toDetail(e, 'runtime')),
  });
  #readyFor: Loaded | null = null;
  readonly #config = new ConfigReader();
  readonly #reading = new PadReadingController(
    this,
    () => {
      const loaded = this.#load.value;
      const run = this.#compute.value;
      if (!run || !loaded || loaded.disposed || loaded.name !== 'digits') return null;
      const classes = loaded.model.manifest.classes;
      const current = () => this.#compute.value === run && !loaded.disposed;
      return { float: loaded.session, run, classes, current };
    },
    (e) => this.errors.set('runtime', toDetail(e, 'runtime')),
  );
  readonly #pad = new DrawingPad(this, {
    onInput: (x) => this.#reading.input(x),
    onStrokeEnd: () => this.#reading.strokeEnded(),
  });
  #drawn: InferenceResult | null = null;

  constructor() {
    super();
    followGroup(this);
  }

  /** The last result, or null (read-only). */
  override get result(): InferenceResult | null {
    return this.#compute.value?.result ?? null;
  }

  /** The quantization config in force (the same object while no config property changes). */
  get config(): QuantConfig {
    return this.#config.read(this);
  }

  /** Starts numerics now, whatever `loading` says. */
  start(): void {
    this.#visibility.trigger();
  }

  /**
   * Fine-tunes the model with quantization in the loop at the current config (what "Recover with
   * QAT" does), in a Web Worker. Resolves with the result computed from the QAT weights once it is
   * on screen; rejects with an AbortError DOMException when cancelled (cancelQat, resetQat, another
   * model) and with the error when training fails.
   */
  async trainQat(): Promise<InferenceResult> {
    this.start();
    const loaded = await this.#ready();
    const config = this.config;
    const layers = layerBits(config.bits, this.layers, loaded.model.layers.length);
    const activations = this.activations;
    const request: QatRequest = {
      model: loaded.name,
      modelFiles: MODEL_FILES,
      config,
      layerBits: layers,
      activations: activations === 'float' ? null : activations,
      steps: this.qatSteps,
      lr: this.qatLr,
      seed: config.seed,
      device: loaded.session.device as DeviceChoice,
    };
    this.errors.set('qat', null);
    const weights = await this.#qat.train(request, loaded, { config, layers, activations });
    return this.#resultOf(weights);
  }

  /** Stops quantization-aware training; the pending `trainQat()` rejects with an AbortError. */
  cancelQat(): void {
    this.#qat.cancel();
  }

  /** Back to the trained weights: the numbers are computed again without the QAT weights. */
  resetQat(): void {
    this.#qat.reset();
  }

  /** The loaded model, once the first result is on screen. */
  async #ready(): Promise<Loaded> {
    const loaded = () => {
      const l = this.#load.value;
      return l && !l.disposed && this.result?.model === l.name ? l : null;
    };
    while (!loaded()) {
      const failed = this.errors.get('model') ?? this.errors.get('runtime');
      if (failed && this.#load.status !== 'pending' && this.#compute.status !== 'pending')
        throw new Error(`the model is not ready: ${failed.message}`);
      await new Promise((resolve) => {
        const done = () => {
          this.removeEventListener('quant-result', done);
          this.removeEventListener('quant-error', done);
          resolve(undefined);
        };
        this.addEventListener('quant-result', done);
        this.addEventListener('quant-error', done);
      });
    }
    return loaded()!;
  }

  /** The first result computed from `weights`; rejects with an AbortError if they are replaced first. */
  #resultOf(weights: TrainedWeights): Promise<InferenceResult> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.result?.qat === weights.summary) {
          this.removeEventListener('quant-result', check);
          resolve(this.result);
        } else if (this.#qat.weights !== weights) {
          this.removeEventListener('quant-result', check);
          reject(new DOMException('the QAT weights were replaced before they were shown', 'AbortError'));
        }
      };
      this.addEventListener('quant-result', check);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    release(this.#load.value);
    this.#readyFor = null;
    this.#drawn = null;
  }

  /** The user changed the config through the controls: apply it, emit quant-input / quant-change. */
  #user(partial: Partial<QuantChangeDetail>, committed: boolean): void {
    Object.assign(this, partial);
    this.emit(committed ? 'quant-change' : 'quant-input', changeDetail(this.config));
  }

  /** The method dropdown: a committed change like the others (SPEC §2.4), its detail naming the method. */
  #chooseMethod(method: QuantInference['method']): void {
    this.method = method;
    const detail: QuantChangeDetail & { method: string } = { ...changeDetail(this.config), method };
    this.emit('quant-change', detail);
  }

  // ---- the drawing pad ----------------------------------------------------------------------

  // ---- drawing and rendering -------------------------------------------------------------------

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#drawn !== this.result) {
      this.#drawn = this.result;
      this.draw();
    }
  }

  protected override draw(): void {
    const r = this.result;
    const loaded = this.#load.value;
    // Only the decision regions are painted (the gallery is SVG in the template).
    if (!r?.regions || !loaded || loaded.name !== r.model) return;
    const t = readTokens(this, {
      fg: ['--_fg', '#1c2128'],
      c0: ['--_class-0', '#0969da'],
      c1: ['--_class-1', '#d4640b'],
      c2: ['--_class-2', '#1a7f37'],
    });
    const flipped = new Set(r.examples.map((e) => e.index));
    for (const which of ['float', 'quant'] as const) {
      const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(`canvas[data-regions=${which}]`);
      if (canvas)
        paintRegions(canvas, r.regions, r.regions[which], loaded.model, flipped, [t.c0, t.c1, t.c2], t.fg);
    }
    const over = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[data-differ]');
    if (over) paintDisagreement(over, r.regions, t.fg);
  }

  #renderControls(): TemplateResult {
    const int = this.format === 'int';
    return html`<div part="controls">
      ${selectControl('format', this.format, FORMATS, (format) => this.#user({ format }, true), this.named('format'))}
      ${int ? bitsSlider(this.bits, (bits, committed) => this.#user({ bits }, committed), this.named('bits')) : nothing}
      ${
        this.format.startsWith('mx') || this.format === 'fp16' || this.format === 'bf16'
          ? nothing
          : selectControl(
              'granularity',
              this.granularity,
              GRANULARITIES,
              (granularity) => this.#user({ granularity }, true),
              this.named('granularity'),
            )
      }
      ${
        !int
          ? html`<p class="note">${formatNote(this.format as Exclude<QuantConfig['format'], 'int'>)}</p>`
          : this.layers
            ? html`<p class="note">layers="${this.layers.join(' ')}" sets each layer's width.</p>`
            : nothing
      }
      ${selectControl('method', this.method, METHODS, (method) => this.#chooseMethod(method), this.named('method'))}
      ${methodStatus(this.#method.progress)}
    </div>`;
  }

  #renderDigits(r: InferenceResult, names: string[], raw: ArrayBuffer): TemplateResult {
    const named = (name: string) => this.named(name);
    return html`${renderGallery(r, names, raw, named)}
      <figure part="pad">
        <figcaption>Draw a digit (mouse, touch, pen or keyboard)</figcaption>
        <div class="pad-row">
          ${this.#pad.render(named)} ${renderPadBars(this.#reading.probabilities, names)}
        </div>
        <p class="visually-hidden" aria-live="polite">${this.#reading.announcement}</p>
      </figure>`;
  }

  #renderSpirals(r: InferenceResult, names: readonly string[]): TemplateResult {
    const regions = r.regions;
    const differ = regions ? differingCells(regions) : 0;
    const total = regions ? regions.cells * regions.cells : 0;
    const label = (which: 'float' | 'quant') =>
      `Decision regions of the ${which === 'float' ? 'float' : 'quantized'} model over the input plane, held-out points on top, flipped ones ringed` +
      (which === 'quant'
        ? `; hatched: the ${differ} of ${total} cells it classifies differently from float`
        : '');
    return html`<div part="regions" class="regions">
        ${(['float', 'quant'] as const).map(
          (which) =>
            html`<figure>
              <figcaption>${which === 'float' ? 'Float' : 'Quantized'}: decision regions</figcaption>
              <div class="stack">
                <canvas
                  data-regions=${which}
                  width="256"
                  height="256"
                  role="img"
                  aria-label=${label(which)}
                ></canvas>
                ${which === 'quant' ? html`<canvas data-differ width="256" height="256" aria-hidden="true"></canvas>` : nothing}
              </div>
            </figure>`,
        )}
      </div>
      <p class="legend region-key">
        ${names.map((name, c) => html`<span class="swatch class-${c}"></span>class ${name} `)}
        <span class="swatch differ"></span>quantized ≠ float: ${differ} of ${total} cells
        <span class="ring"></span>held-out point whose prediction flipped
      </p>`;
  }

  #renderQat(r: InferenceResult): TemplateResult {
    const qat = this.#qat;
    return renderQat(
      {
        running: qat.running,
        progress: qat.progress,
        steps: this.qatSteps,
        curve: qat.curve,
        weights: qat.weights,
        // Right after Reset the shown result may still be the QAT one: no stale "post-training" figure.
        ptq: r.qat ? null : r.accuracyQuant,
        method: r.config.method,
        bits: r.config.format === 'int' ? r.config.bits : null,
        float: r.accuracyFloat,
        otherConfig: this.#otherConfig(r),
        cancelledAt: qat.cancelledAt,
      },
      {
        train: () => void this.trainQat().catch(() => {}),
        cancel: () => this.cancelQat(),
        reset: () => this.resetQat(),
      },
      (name) => this.named(name),
    );
  }

  /** The shown result's config in words, when the QAT weights in force were trained for another. */
  #otherConfig(r: InferenceResult): string | null {
    const w = this.#qat.weights;
    if (!w || !r.qat) return null;
    const { method: _method, calibrationSamples: _samples, ...config } = r.config;
    const shown = { config, layers: r.layers, activations: r.activations };
    return sameQuantization(shown, w.trainedFor) ? null : configLabel(shown);
  }

  override render(): TemplateResult {
    const r = this.result;
    const loaded = this.#load.value;
    const busy = this.#load.status === 'pending' || this.#compute.status === 'pending';
    const names = loaded?.model.manifest.classes ?? [];
    const status = !this.#visibility.near
      ? 'The model loads when this widget scrolls into view.'
      : r
        ? `${r.model}: ${r.heldOut} held-out examples, run with jax-js on ${r.device}.${methodNote(r.config)}`
        : 'Loading the model and jax-js…';
    const view =
      r && loaded?.name === r.model
        ? html`${renderMetrics(r)} ${this.#renderQat(r)}
          ${r.model === 'digits' ? this.#renderDigits(r, names, loaded.model.raw) : this.#renderSpirals(r, names)}
          ${renderSensitivity(
            r,
            loaded.model.layers.map((l) => l.shape),
          )}`
        : nothing;
    return this.region(
      'Float vs quantized model',
      busy,
      html`${this.#renderControls()} ${this.renderError()} ${view} ${this.renderStatus(status)}`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quant-inference': QuantInference;
  }
}
