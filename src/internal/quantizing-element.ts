import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type {
  Calibration,
  DeviceChoice,
  Distribution,
  Granularity,
  QuantConfig,
  Rounding,
  Scheme,
} from '../core/config.js';
import type { QuantResult, QuantSession } from '../core/index.js';
import { toDetail } from '../controllers/errors.js';
import { SessionController } from '../controllers/session.js';
import { TaskController } from '../controllers/task.js';
import { VisibilityController } from '../controllers/visibility.js';
import { WeightsController, type WeightData } from '../controllers/weights.js';
import { controlStyles } from './controls.js';
import { ConfigReader, changeDetail, followGroup } from './config-host.js';
import type { QuantChangeDetail } from './events.js';
import { CONFIG_PROPERTIES, RUNTIME_PROPERTIES, hasFieldValue, weightProperties } from './fields.js';
import { QuantBase } from './quant-base.js';

export type { WeightData };

/**
 * What a quantizing element's result is at least: a core QuantResult, which records the inputs it
 * was computed from (`config`, `shape`, `device`): views render from those, never from attributes.
 */
export type QuantizedResult = QuantResult;

type Primitive = string | number | boolean | null | undefined;

interface Computed<R> {
  result: R;
  weights: WeightData;
  /** The device asked for when it was computed (`result.device` says where it ran). */
  requested: DeviceChoice;
}

/**
 * Base of the three quantizing elements: the SPEC §2.1 attributes, the lazy gate, a jax-js
 * session, the weights, group sync, and a task that quantizes the weights whenever the session,
 * the weights or the config change. Element-specific (view-only) properties never re-run it.
 *
 * @attr {number} bits - Bit width, an integer 2–16. Default 8.
 * @attr {'affine' | 'symmetric'} scheme - `affine` | `symmetric`. Default affine.
 * @attr {'tensor' | 'channel' | 'group'} granularity - `tensor` | `channel` | `group`. Default tensor.
 * @attr {number} group-size - Integer ≥ 2; a row that is not a multiple ends with a shorter group. Default 32.
 * @attr {'half-even' | 'half-up' | 'stochastic'} rounding - `half-even` | `half-up` | `stochastic`. Default half-even.
 * @attr {'minmax' | 'percentile' | 'mse'} calibration - `minmax` | `percentile` | `mse`. Default minmax.
 * @attr {number} percentile - Number in (50, 100]. Default 99.9.
 * @attr {'int' | 'fp16' | 'bf16' | 'fp8-e4m3' | 'fp8-e5m2' | 'fp4-e2m1' | 'nf4' | 'mxfp4' | 'mxfp8' | 'mxint8'} format - `int` (bits and scheme apply) or a number format (SPEC §3.1; MX formats use blocks of 32 along a row). Default int.
 * @attr {'normal' | 'uniform' | 'laplace' | 'outliers'} distribution - `normal` | `uniform` | `laplace` | `outliers`. Default normal.
 * @attr {string} shape - `ROWSxCOLS`, each 1–4096, at most 4,194,304 elements (each element's default is in its own docs).
 * @attr {number} std - Standard deviation of the generated weights. Default 0.5.
 * @attr {number} seed - Integer seed of the weights and stochastic rounding, 0–4294967295 (a jax-js key): `normal` weights are `random.normal(random.key(seed), shape) · std`. Default 95.
 * @attr {string} src - URL of a .npy (float32/float64, 1-D/2-D) or JSON array to use instead of generated weights.
 * @attr {'lazy' | 'eager'} loading - `lazy` (start near the viewport) | `eager`. Default lazy.
 * @attr {'auto' | 'wasm' | 'webgpu' | 'webgl' | 'cpu'} device - `auto` | `wasm` | `webgpu` | `webgl` | `cpu`. Default auto.
 * @attr {string} group - Elements with the same group follow each other's config changes.
 * @attr {string} group-fields - `all` (default), or the space-separated config attributes this element takes from its group, e.g. `bits group-size`.
 *
 * @fires {CustomEvent<QuantChangeDetail>} quant-change - The user committed a config change through the widget's controls. Detail: the config.
 * @fires {CustomEvent<QuantChangeDetail>} quant-input - Live while the user drags a control. Detail: the config.
 * @fires {CustomEvent<QuantReadyDetail>} quant-ready - Numerics started and the first result is on screen. Detail: `{device, requested}`.
 * @fires {CustomEvent<QuantizedResult>} quant-result - Every finished computation, after the DOM shows it. Detail: the result.
 * @fires {CustomEvent<QuantErrorDetail>} quant-error - Invalid attribute, unreadable src or failed runtime. Detail: `{code, message, attribute?}`.
 *
 * @csspart controls - The config controls.
 */
export abstract class QuantizingElement<R extends QuantizedResult> extends QuantBase<R> {
  static override styles = [...QuantBase.styles, controlStyles];
  static override properties: PropertyDeclarations = {
    ...CONFIG_PROPERTIES,
    ...weightProperties([4, 4]),
    ...RUNTIME_PROPERTIES,
  };

  /** Bit width, an integer 2–16. */
  declare bits: number;
  /** `affine` or `symmetric`. */
  declare scheme: Scheme;
  /** `tensor`, `channel` (a row) or `group`. */
  declare granularity: Granularity;
  /** Consecutive elements of a row per group (granularity `group`). */
  declare groupSize: number;
  /** `half-even`, `half-up` or `stochastic`. */
  declare rounding: Rounding;
  /** `minmax`, `percentile` or `mse`. */
  declare calibration: Calibration;
  /** Percentile of the clip range (calibration `percentile`), in (50, 100]. */
  declare percentile: number;
  /** `int` (bits and scheme apply) or a number format (SPEC §3.1). */
  declare format: QuantConfig['format'];
  /** Seed of the generated weights and of stochastic rounding. */
  declare seed: number;
  /** Distribution of the generated weights. */
  declare distribution: Distribution;
  /** Shape of the weights, `[rows, cols]` (set it as an array or as `"ROWSxCOLS"`). */
  declare shape: number[];
  /** Standard deviation of the generated weights. */
  declare std: number;
  /** URL of weights to use instead of generated ones. */
  declare src: string | undefined;
  /** `lazy` or `eager`. */
  declare loading: 'lazy' | 'eager';
  /** The device asked for. */
  declare device: DeviceChoice;
  /** Group name: elements of a group follow each other's config changes. */
  declare group: string | undefined;
  /** `all` (default), or the config attribute names (`bits`, `group-size`, …) taken from the group. */
  declare groupFields: 'all' | string[];

  protected readonly visibility = new VisibilityController(this, { eager: () => this.loading === 'eager' });

  protected readonly sessions = new SessionController(this, {
    gate: () => this.visibility.near,
    device: () => this.device,
    errors: this.errors,
  });

  protected readonly weights = new WeightsController(this, {
    gate: () => this.visibility.near,
    inputs: () => ({
      src: this.src,
      shape: hasFieldValue(this, 'shape') ? this.shape : null,
      defaultShape: this.shape,
      distribution: this.distribution,
      std: this.std,
      seed: this.seed,
    }),
    runtime: () => this.sessions.session,
    errors: this.errors,
  });

  readonly #compute = new TaskController<
    [QuantSession, WeightData, QuantConfig, ...Primitive[]],
    Computed<R>
  >(this, {
    args: () => {
      const { session } = this.sessions;
      const weights = this.weights.weights;
      // New weights on the way: wait for them rather than quantize the old ones once more.
      if (!session || !weights || this.weights.loading) return null;
      return [session, weights, this.config, ...this.computeInputs()];
    },
    run: async ([session, weights, config, ...inputs], { signal }) => {
      if (this.#sessionData.get(session) !== weights) {
        session.setData(weights.values, weights.shape);
        this.#sessionData.set(session, weights);
      }
      const requested = this.sessions.requested ?? this.device;
      const result = await this.compute(session, weights, config, signal, inputs);
      return { result, weights, requested };
    },
    onComplete: ({ result, requested }) => {
      this.errors.set('runtime', null);
      this.emit('quant-result', result);
      const session = this.sessions.session;
      if (session && this.#readyFor !== session) {
        this.#readyFor = session;
        this.emit('quant-ready', { device: result.device, requested });
      }
    },
    onError: (e) => this.errors.set('runtime', toDetail(e, 'runtime')),
  });

  readonly #sessionData = new WeakMap<QuantSession, WeightData>();
  #readyFor: QuantSession | null = null;
  readonly #config = new ConfigReader();

  constructor() {
    super();
    followGroup(this);
  }

  /** The last result, or null (read-only). It records its `config`, `shape` and `device`. */
  override get result(): R | null {
    return this.#compute.value?.result ?? null;
  }

  /** The weights `result` was computed from, or null before the first result. */
  get data(): WeightData | null {
    return this.#compute.value?.weights ?? null;
  }

  /** The quantization config in force (the same object while no config property changes). */
  get config(): QuantConfig {
    return this.#config.read(this);
  }

  /** Whether a computation (or a weights load) is in flight. */
  protected get busy(): boolean {
    return this.#compute.status === 'pending' || this.weights.loading;
  }

  /** Starts numerics now, whatever `loading` says. */
  start(): void {
    this.visibility.trigger();
  }

  /**
   * Element-specific inputs of `compute` beyond the config (e.g. the histogram's compare widths),
   * as primitives compared with ===: a change re-runs compute, like a config change.
   */
  protected computeInputs(): readonly Primitive[] {
    return [];
  }

  /** The element's computation on the session's weights (which are `weights`). */
  protected abstract compute(
    session: QuantSession,
    weights: WeightData,
    config: QuantConfig,
    signal: AbortSignal,
    inputs: readonly Primitive[],
  ): Promise<R>;

  protected changeDetail(config: QuantConfig = this.config): QuantChangeDetail {
    return changeDetail(config);
  }

  /**
   * The user changed the config through this element's controls: apply it and emit
   * quant-input (live) or quant-change (committed; the group follows through the document).
   */
  protected userConfig(partial: Partial<QuantChangeDetail>, committed: boolean): void {
    for (const [key, value] of Object.entries(partial))
      (this as unknown as Record<string, unknown>)[key] = value;
    this.emit(committed ? 'quant-change' : 'quant-input', this.changeDetail());
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#drawn !== this.result) {
      this.#drawn = this.result;
      this.draw();
    }
  }
  #drawn: R | null = null;

  /** The status line, from the result it describes. */
  protected override renderStatus(): TemplateResult {
    const computed = this.#compute.value;
    let text: string;
    if (!this.visibility.near) text = 'Numerics start when this widget scrolls into view.';
    else if (!computed) text = this.sessions.started || this.busy ? 'Starting jax-js…' : 'Not started.';
    else {
      const { result, requested } = computed;
      text = `Computed with jax-js on ${result.device}${requested === 'auto' ? ' (auto)' : ''}.`;
    }
    return super.renderStatus(text);
  }

  /** The frame every quantizing element renders its body in; `label` is the host's default name. */
  protected frame(label: string, controls: unknown, body: unknown): TemplateResult {
    return this.region(
      label,
      this.busy,
      html`${controls ?? nothing} ${this.renderError()} ${body ?? nothing} ${this.renderStatus()}`,
    );
  }
}
