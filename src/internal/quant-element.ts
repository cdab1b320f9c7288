import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import {
  DEFAULT_CONFIG,
  MAX_DIM,
  QuantError,
  generateWeights,
  type Calibration,
  type DeviceChoice,
  type Distribution,
  type Granularity,
  type QuantConfig,
  type QuantSession,
  type Rounding,
  type Scheme,
} from '../core/index.js';
import { LazySessionController } from '../controllers/lazy-session.js';
import { SHARED_ATTRIBUTES, type AttributeSpec } from './attributes.js';
import { CONFIG_KEYS, type QuantChangeDetail, type QuantErrorDetail, type QuantEventMap } from './events.js';
import { joinGroups, leaveGroups, syncGroup, type GroupMember } from './group-sync.js';
import { loadSource } from './load-source.js';
import { controlStyles } from './controls.js';
import { baseStyles } from './styles.js';

/** Weights an element works on. */
export interface WeightData {
  values: Float32Array;
  shape: number[];
}

const SHARED_DEFAULTS: Record<string, unknown> = {
  ...DEFAULT_CONFIG,
  distribution: 'normal',
  shape: [4, 4],
  std: 0.5,
  loading: 'lazy',
  device: 'auto',
};

/** Attributes whose change means new weights rather than a new config. */
const DATA_PROPERTIES = new Set(['distribution', 'shape', 'std', 'seed', 'src']);

/**
 * Base of every quantizing element: the SPEC §2.1 attributes with validation
 * (SPEC §4), typed events, `group` sync, the lazy jax-js session, and the
 * data → quantize → render → `quant-result` loop.
 *
 * @attr bits - Bit width, an integer 2–16. Default 8.
 * @attr scheme - `affine` | `symmetric`. Default affine.
 * @attr granularity - `tensor` | `channel` | `group`. Default tensor.
 * @attr group-size - Integer ≥ 2 dividing the number of columns. Default 32.
 * @attr rounding - `half-even` | `half-up` | `stochastic`. Default half-even.
 * @attr calibration - `minmax` | `percentile` | `mse`. Default minmax.
 * @attr percentile - Number in (50, 100]. Default 99.9.
 * @attr distribution - `normal` | `uniform` | `laplace` | `outliers`. Default normal.
 * @attr shape - `ROWSxCOLS`, each 1–4096, at most 4,194,304 elements.
 * @attr std - Standard deviation of the generated weights. Default 0.5.
 * @attr seed - Integer seed of the weights and stochastic rounding. Default 95.
 * @attr src - URL of a .npy (float32/float64, 1-D/2-D) or JSON array to use instead of generated weights.
 * @attr loading - `lazy` (start near the viewport) | `eager`. Default lazy.
 * @attr device - `auto` | `wasm` | `webgpu` | `webgl` | `cpu`. Default auto.
 * @attr group - Elements with the same group follow each other's config changes.
 *
 * @fires quant-change - The user committed a config change through the widget's controls. Detail: the config.
 * @fires quant-input - Live while the user drags a control. Detail: the config.
 * @fires quant-ready - Numerics started and the first result is on screen. Detail: `{device}`.
 * @fires quant-result - Every finished computation, after the DOM shows it. Detail: the result.
 * @fires quant-error - Invalid attribute, unreadable src or failed runtime. Detail: `{code, message, attribute?}`.
 *
 * @csspart base - The element's frame.
 * @csspart controls - The config controls.
 * @csspart status - Loading / device line.
 * @csspart error - The error message (role="alert").
 *
 * @cssprop --quant-font - Font family.
 * @cssprop --quant-font-mono - Font for numbers.
 * @cssprop --quant-font-size - Base font size.
 * @cssprop --quant-fg - Text colour.
 * @cssprop --quant-muted - Secondary text colour.
 * @cssprop --quant-bg - Background.
 * @cssprop --quant-surface - Background of inner panels.
 * @cssprop --quant-border - Border colour.
 * @cssprop --quant-accent - Accent colour (controls, highlights).
 * @cssprop --quant-accent-fg - Text on the accent colour.
 * @cssprop --quant-error - Error text colour.
 * @cssprop --quant-error-bg - Error background.
 * @cssprop --quant-radius - Corner radius.
 * @cssprop --quant-space - Spacing unit.
 * @cssprop --quant-focus - Focus ring colour.
 */
export abstract class QuantElement extends LitElement implements GroupMember {
  static override styles = [baseStyles, controlStyles];

  /** Every attribute the element parses itself (shared + element-specific). */
  static attributeSpecs: AttributeSpec[] = SHARED_ATTRIBUTES;
  /** Defaults by property name; elements override `shape` and their own. */
  static defaults: Record<string, unknown> = SHARED_DEFAULTS;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, ...this.attributeSpecs.map((s) => s.attribute)];
  }

  readonly #values = new Map<string, unknown>();
  readonly #attributeErrors = new Map<string, QuantErrorDetail>();
  @state() private _otherError: QuantErrorDetail | null = null;
  @state() private _result: unknown = null;
  @state() private _device: string | null = null;
  @state() protected _busy = false;

  #dataDirty = true;
  /** The weights `result` was computed from (what views show). */
  #data: WeightData | null = null;
  /** The weights in the session (what the next compute uses). */
  #sessionData: WeightData | null = null;
  #runScheduled = false;
  #sequence = 0;
  #ready = false;
  #lastGoodConfig: QuantConfig | null = null;
  #sourceAbort: AbortController | null = null;
  /** Errors raised before the element was connected, emitted once it is (so listeners see them). */
  #pendingErrors: QuantErrorDetail[] = [];

  protected readonly lazy = new LazySessionController(this, {
    eager: () => this.loading === 'eager',
    device: () => this.device,
    onSession: (session, error) => {
      if (session) {
        this.#ready = false;
        this.#dataDirty = true;
        if (this._otherError?.attribute === 'device') this._otherError = null;
        if (error) {
          const reason = toDetail(error, 'runtime');
          this.#setOtherError({
            ...reason,
            message: `${reason.message}; using ${session.device} instead.`,
            attribute: 'device',
          });
        }
        this.#schedule();
      } else if (error) {
        this.#setOtherError(toDetail(error, 'runtime'));
      }
    },
  });

  // ---- config properties (SPEC §2.3: setting one sets its attribute) ----
  get bits(): number {
    return this.#get('bits');
  }
  set bits(v: number) {
    this.#setAttr('bits', v);
  }
  get scheme(): Scheme {
    return this.#get('scheme');
  }
  set scheme(v: Scheme) {
    this.#setAttr('scheme', v);
  }
  get granularity(): Granularity {
    return this.#get('granularity');
  }
  set granularity(v: Granularity) {
    this.#setAttr('granularity', v);
  }
  get groupSize(): number {
    return this.#get('groupSize');
  }
  set groupSize(v: number) {
    this.#setAttr('groupSize', v);
  }
  get rounding(): Rounding {
    return this.#get('rounding');
  }
  set rounding(v: Rounding) {
    this.#setAttr('rounding', v);
  }
  get calibration(): Calibration {
    return this.#get('calibration');
  }
  set calibration(v: Calibration) {
    this.#setAttr('calibration', v);
  }
  get percentile(): number {
    return this.#get('percentile');
  }
  set percentile(v: number) {
    this.#setAttr('percentile', v);
  }
  get distribution(): Distribution {
    return this.#get('distribution');
  }
  set distribution(v: Distribution) {
    this.#setAttr('distribution', v);
  }
  get shape(): number[] {
    return [...this.#get<number[]>('shape')];
  }
  set shape(v: number[] | string) {
    this.#setAttr('shape', Array.isArray(v) ? v.join('x') : v);
  }
  get std(): number {
    return this.#get('std');
  }
  set std(v: number) {
    this.#setAttr('std', v);
  }
  get seed(): number {
    return this.#get('seed');
  }
  set seed(v: number) {
    this.#setAttr('seed', v);
  }
  get src(): string | undefined {
    return this.#get('src');
  }
  set src(v: string | undefined) {
    this.#setAttr('src', v);
  }
  get loading(): 'lazy' | 'eager' {
    return this.#get('loading');
  }
  set loading(v: 'lazy' | 'eager') {
    this.#setAttr('loading', v);
  }
  get device(): DeviceChoice {
    return this.#get('device');
  }
  set device(v: DeviceChoice) {
    this.#setAttr('device', v);
  }
  get group(): string | undefined {
    return this.#get('group');
  }
  set group(v: string | undefined) {
    this.#setAttr('group', v);
  }

  /** The last result, or null (read-only). */
  get result(): unknown {
    return this._result;
  }

  /** The last error `{code, message, attribute?}`, or null (read-only). */
  get error(): QuantErrorDetail | null {
    const attributeErrors = [...this.#attributeErrors.values()];
    return attributeErrors.at(-1) ?? this._otherError;
  }

  /** The device numerics run on, once started. */
  get activeDevice(): string | null {
    return this._device;
  }

  /** The full quantization config in force. */
  get config(): QuantConfig {
    return {
      bits: this.bits,
      scheme: this.scheme,
      granularity: this.granularity,
      groupSize: this.groupSize,
      rounding: this.rounding,
      calibration: this.calibration,
      percentile: this.percentile,
      seed: this.seed,
    };
  }

  /** The weights `result` was computed from, once there is a result. */
  get data(): WeightData | null {
    return this.#data;
  }

  /** The weights the running compute() works on (for subclasses' compute). */
  protected get computeData(): WeightData | null {
    return this.#sessionData;
  }

  // ---- attributes ----
  protected spec(property: string): AttributeSpec | undefined {
    return (this.constructor as typeof QuantElement).attributeSpecs.find((s) => s.property === property);
  }

  #get<T>(property: string): T {
    if (this.#values.has(property)) return this.#values.get(property) as T;
    return (this.constructor as typeof QuantElement).defaults[property] as T;
  }

  /** Property write → attribute write, so both paths validate the same way. */
  #setAttr(property: string, value: unknown): void {
    const spec = this.spec(property);
    if (!spec) return;
    if (value === undefined || value === null) this.removeAttribute(spec.attribute);
    else this.setAttribute(spec.attribute, Array.isArray(value) ? value.join(' ') : String(value));
  }

  /** Element-specific property access for subclasses. */
  protected getValue<T>(property: string): T {
    return this.#get<T>(property);
  }

  protected setValue(property: string, value: unknown): void {
    this.#setAttr(property, value);
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    const spec = (this.constructor as typeof QuantElement).attributeSpecs.find((s) => s.attribute === name);
    if (spec && old !== value) this.#applyAttribute(spec, value);
  }

  #applyAttribute(spec: AttributeSpec, text: string | null): void {
    const before = this.#get(spec.property);
    if (text === null) {
      this.#values.delete(spec.property);
      this.#attributeErrors.delete(spec.attribute);
    } else {
      const value = spec.parse(text);
      if (value === undefined) {
        const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
        this.#reportAttributeError(
          spec.attribute,
          `${spec.attribute}="${shown}" is not valid: use ${spec.allowed}.`,
        );
        return;
      }
      this.#values.set(spec.property, value);
      this.#attributeErrors.delete(spec.attribute);
    }
    this.requestUpdate();
    if (JSON.stringify(before) !== JSON.stringify(this.#get(spec.property)))
      this.propertyChanged(spec.property);
  }

  #reportAttributeError(attribute: string, message: string): void {
    const detail: QuantErrorDetail = { code: 'invalid-attribute', message, attribute };
    this.#attributeErrors.delete(attribute);
    this.#attributeErrors.set(attribute, detail);
    this.requestUpdate();
    this.#emitError(detail);
  }

  #emitError(detail: QuantErrorDetail): void {
    if (this.isConnected) this.emit('quant-error', detail);
    else this.#pendingErrors.push(detail);
  }

  #setOtherError(detail: QuantErrorDetail | null): void {
    this._otherError = detail;
    if (detail) this.#emitError(detail);
  }

  /** Hook: a parsed property took a new value. */
  protected propertyChanged(property: string): void {
    if (DATA_PROPERTIES.has(property)) this.#dataDirty = true;
    if (property === 'device') void this.lazy.restart();
    else if (property === 'loading' && this.loading === 'eager' && this.isConnected) void this.lazy.start();
    this.#schedule();
  }

  // ---- events ----
  /** Dispatches a kit event (bubbles, composed). */
  protected emit<K extends keyof QuantEventMap>(name: K, detail: QuantEventMap[K]): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: false }),
    );
  }

  protected changeDetail(config: QuantConfig = this.config): QuantChangeDetail {
    return Object.fromEntries(CONFIG_KEYS.map((k) => [k, config[k]])) as unknown as QuantChangeDetail;
  }

  /**
   * The user changed the config through this element's controls: apply it,
   * emit quant-input (live) or quant-change (committed) and sync the group.
   */
  protected userConfig(partial: Partial<QuantChangeDetail>, committed: boolean): void {
    for (const [key, value] of Object.entries(partial)) this.#setAttr(key, value);
    const detail = this.changeDetail();
    this.emit(committed ? 'quant-change' : 'quant-input', detail);
    if (committed) syncGroup(this, detail);
  }

  followConfig(config: QuantChangeDetail): void {
    for (const key of CONFIG_KEYS) this.#setAttr(key, config[key]);
  }

  // ---- lifecycle ----
  override connectedCallback(): void {
    super.connectedCallback();
    joinGroups(this);
    const pending = this.#pendingErrors;
    this.#pendingErrors = [];
    for (const detail of pending) this.emit('quant-error', detail);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    leaveGroups(this);
    this.#sourceAbort?.abort();
    this.#sequence++;
    this._busy = false;
  }

  /** Starts numerics now, whatever `loading` says. */
  start(): Promise<void> {
    return this.lazy.start();
  }

  // ---- the compute loop ----
  #schedule(): void {
    if (this.#runScheduled) return;
    this.#runScheduled = true;
    queueMicrotask(() => {
      this.#runScheduled = false;
      void this.#run();
    });
  }

  async #run(): Promise<void> {
    const session = this.lazy.session;
    if (!session || !this.isConnected) return;
    const sequence = ++this.#sequence;
    const stale = () => sequence !== this.#sequence || this.lazy.session !== session;
    this._busy = true;
    try {
      if (this.#dataDirty) {
        const loaded = await this.#loadData();
        if (stale()) return;
        this.#dataDirty = false;
        // null: src failed and there is data already; keep computing on it (SPEC §4).
        if (loaded) {
          session.setData(loaded.values, loaded.shape);
          this.#sessionData = loaded;
        }
        this._device = session.device;
      }
      if (!this.#sessionData) return;
      const result = await this.#computeWithFallback(session);
      if (stale() || result === undefined) return;
      // A computation that went through clears an earlier runtime failure (not the device notice).
      if (this._otherError?.code === 'runtime' && this._otherError.attribute !== 'device')
        this._otherError = null;
      // Data and result change together, so views never pair new weights with an old result.
      this.#data = this.#sessionData;
      this._result = result;
      this._busy = false;
      await this.updateComplete;
      // Draw what the DOM now shows even if a newer run has started (it will draw its own).
      if (this._result === result) this.resultRendered(result);
      if (stale()) return;
      this.emit('quant-result', result);
      if (!this.#ready) {
        this.#ready = true;
        this.emit('quant-ready', { device: session.device, requested: this.device });
      }
    } catch (e) {
      if (!stale()) this.#setOtherError(toDetail(e, 'runtime'));
    } finally {
      if (!stale()) this._busy = false;
    }
  }

  /** The weights: from `src`, else generated. Null when src failed (error shown). */
  async #loadData(): Promise<WeightData | null> {
    this.#sourceAbort?.abort();
    const src = this.src;
    if (src) {
      const abort = new AbortController();
      this.#sourceAbort = abort;
      try {
        const w = await loadSource(new URL(src, document.baseURI).href, abort.signal);
        const asked = this.shape;
        const attrShape = this.hasAttribute('shape') && asked.reduce((a, b) => a * b, 1) === w.values.length;
        const shape = attrShape ? asked : w.shape;
        if (shape.some((d) => d > MAX_DIM)) {
          throw new QuantError(
            'bad-source',
            `${src} holds ${w.values.length} values in one row: set shape="ROWSxCOLS" (each at most ${MAX_DIM}) to lay them out`,
            'src',
          );
        }
        if (this._otherError?.code === 'bad-source') this._otherError = null;
        return { values: w.values, shape };
      } catch (e) {
        if (abort.signal.aborted) return null;
        this.#setOtherError({ ...toDetail(e, 'bad-source'), attribute: 'src' });
        // Keep working on what we had (or generated weights when there is nothing yet).
        if (this.#sessionData) return null;
      }
    } else if (this._otherError?.code === 'bad-source') {
      this._otherError = null;
    }
    const shape = this.shape;
    const n = shape.reduce((a, b) => a * b, 1);
    const values = await generateWeights(this.distribution, n, { std: this.std, seed: this.seed });
    return { values, shape };
  }

  /**
   * Runs compute(); a config the data cannot take (a group size that does not
   * divide the columns) is reported on its attribute and the last good config is used.
   */
  async #computeWithFallback(session: QuantSession): Promise<unknown> {
    const config = this.config;
    try {
      const result = await this.compute(session, config);
      this.#lastGoodConfig = config;
      if (
        this.#attributeErrors.has('group-size') &&
        this.hasAttribute('group-size') &&
        this.#groupSizeFits(this.groupSize)
      ) {
        this.#attributeErrors.delete('group-size');
        this.requestUpdate();
      }
      return result;
    } catch (e) {
      if (!(e instanceof QuantError) || e.code !== 'invalid-config' || config.granularity !== 'group')
        throw e;
      const message = `group-size="${config.groupSize}" is not valid here: ${e.message}.`;
      if (this.#attributeErrors.get('group-size')?.message !== message)
        this.#reportAttributeError('group-size', message);
      // Only the group size falls back: to the last one that worked, else to per-channel.
      const last = this.#lastGoodConfig;
      const fallback =
        last?.granularity === 'group' && this.#groupSizeFits(last.groupSize)
          ? { ...config, groupSize: last.groupSize }
          : { ...config, granularity: 'channel' as const };
      return this.compute(session, fallback);
    }
  }

  /** Whether a group size divides the columns of the weights in the session. */
  #groupSizeFits(groupSize: number): boolean {
    const cols = this.#sessionData?.shape.at(-1) ?? 0;
    return cols % groupSize === 0;
  }

  /** The element's computation; the default quantizes the session's weights. */
  protected compute(session: QuantSession, config: QuantConfig): Promise<unknown> {
    return session.quantize(config);
  }

  /** Hook: the DOM shows `result` (before quant-result is emitted). */
  protected resultRendered(_result: unknown): void {}

  // ---- rendering helpers ----
  protected renderError(): TemplateResult | typeof nothing {
    const errors = [...this.#attributeErrors.values(), ...(this._otherError ? [this._otherError] : [])];
    if (errors.length === 0) return nothing;
    return html`<div part="error" role="alert">${errors.map((e) => html`<p>${e.message}</p>`)}</div>`;
  }

  protected renderStatus(): TemplateResult {
    let text: string;
    if (!this.lazy.started) text = 'Numerics start when this widget scrolls into view.';
    else if (!this._device || (this._busy && !this._result)) text = 'Starting jax-js…';
    else text = `Computed with jax-js on ${this._device}${this.device === 'auto' ? ' (auto)' : ''}.`;
    return html`<p part="status" aria-live="polite">${text}</p>`;
  }
}

function toDetail(e: unknown, fallback: QuantErrorDetail['code']): QuantErrorDetail {
  if (e instanceof QuantError) {
    return e.attribute
      ? { code: e.code, message: e.message, attribute: e.attribute }
      : { code: e.code, message: e.message };
  }
  return { code: fallback, message: e instanceof Error ? e.message : String(e) };
}
