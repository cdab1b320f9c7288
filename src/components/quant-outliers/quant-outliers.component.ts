import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { CONFIG_FIELDS, MAX_ELEMENTS } from '../../core/fields.js';
import type { DeviceChoice } from '../../core/config.js';
import { QuantError } from '../../core/errors.js';
import {
  OUTLIER_DATA_FIELDS,
  OUTLIER_METHOD_FIELDS,
  createOutliersSession,
  generateOutlierData,
  type OutliersResult,
  type OutliersSession,
} from '../../core/outliers/index.js';
import { ChartController } from '../../controllers/chart-controller.js';
import { toDetail } from '../../controllers/errors.js';
import { GroupController } from '../../controllers/group.js';
import { TaskController } from '../../controllers/task.js';
import { VisibilityController } from '../../controllers/visibility.js';
import { readTokens } from '../../internal/colors.js';
import { bitsSlider, controlStyles, selectControl } from '../../internal/controls.js';
import type { QuantChangeDetail, QuantErrorDetail } from '../../internal/events.js';
import { RUNTIME_PROPERTIES, SRC_FIELD, fieldProperty } from '../../internal/fields.js';
import { loadSource } from '../../internal/load-source.js';
import { QuantBase } from '../../internal/quant-base.js';
import { chartGridStyles, uplotStyles } from '../../internal/uplot-styles.js';
import { channelChart, comparisonChart } from './quant-outliers.chart.js';
import {
  METHOD_COLUMNS,
  METHOD_LABELS,
  OPTIONAL_BITS_FIELD,
  OUTLIER_METHODS,
  bitsLabel,
  channelSeries,
  methodRows,
  takeaway,
  type OutlierMethod,
  type Operand,
} from './quant-outliers.model.js';
import { outliersStyles } from './quant-outliers.styles.js';

/** The core's result, and where the layer came from. */
export interface OutliersElementResult extends OutliersResult {
  /** `generated` (the seeded layer: its outlier channels listed) or `src` (the reader's pair). */
  data: { source: 'generated'; outlierChannels: number[] } | { source: 'src' };
  /** The sentence the element shows, true for these numbers. */
  takeaway: string;
}

/** A session with its layer set; `failure`: why the layer asked for is not the one shown (SPEC §4). */
interface Loaded {
  session: OutliersSession;
  data: OutliersElementResult['data'];
  failure?: QuantErrorDetail;
}

/** Where a failed layer's error is kept: a bad file under `src`, anything else under `data`. */
const slotOf = (e: QuantErrorDetail) => (e.code === 'bad-source' ? 'src' : 'data');

/** The two files of a `src` / `weights-src` pair, checked to make X [T, C] and W [C, O]. */
async function loadPair(src: string, weightsSrc: string, signal: AbortSignal) {
  const url = (u: string) => new URL(u, document.baseURI).href;
  const [x, w] = await Promise.all([loadSource(url(src), signal), loadSource(url(weightsSrc), signal)]);
  if (x.shape.length !== 2 || w.shape.length !== 2 || x.shape[1] !== w.shape[0])
    throw new QuantError(
      'bad-source',
      `src must be tokens × channels and weights-src channels × outputs, got ${x.shape.join('×')} and ${w.shape.join('×')}`,
      'weights-src',
    );
  return { x, w };
}

/**
 * A linear layer Y = X·W whose activations carry a few outlier channels, as in large
 * transformers, quantized by five methods side by side — naive per-tensor, per-token / per-channel,
 * LLM.int8() (outlier channels kept in float16), SmoothQuant (difficulty migrated from X to W) and
 * a randomised Hadamard rotation — each computed live with jax-js: the output error of each against
 * float Y, honest bits per value, and per-channel max |x| and |w| before and after.
 *
 * @tag quant-outliers
 * @summary Why large models are hard to quantize, and what the methods do about it.
 *
 * @attr {number} bits - Bit width of weights and activations, an integer 2–16, unless `weight-bits` / `activation-bits` are set. Default 8.
 * @attr {number} weight-bits - Bit width of the weights (unset: `bits`).
 * @attr {number} activation-bits - Bit width of the activations (unset: `bits`).
 * @attr {number} alpha - SmoothQuant's migration strength α, 0–1. Default 0.5.
 * @attr {number} threshold - LLM.int8()'s outlier threshold: channels whose max |x| exceeds it stay in float16. Default 6.
 * @attr {number} tokens - Tokens (rows of X) of the generated layer, 1–4096, with tokens × channels at most 4,194,304. Default 512.
 * @attr {number} channels - Channels (columns of X, rows of W; W is square) of the generated layer, 1–2048 (W has channels² values, at most 4,194,304). Default 512.
 * @attr {number} outlier-channels - How many channels of the generated X are outliers. Default 6.
 * @attr {number} outlier-scale - What the outlier channels' N(0, 1) values are multiplied by. Default 20.
 * @attr {number} seed - Seed of the generated layer and the rotation's signs. Default 95.
 * @attr {string} src - URL of the reader's activations X (.npy or JSON, tokens × channels); with `weights-src`.
 * @attr {string} weights-src - URL of the reader's weights W (channels × outputs); with `src`.
 * @attr {'lazy' | 'eager'} loading - Default lazy.
 * @attr {'auto' | 'wasm' | 'webgpu' | 'webgl' | 'cpu'} device - Default auto.
 * @attr {string} group - Elements with the same group follow each other's `bits`.
 * @attr {string} group-fields - `all` (default), or the config attributes taken from the group (this element has `bits`).
 *
 * @fires {CustomEvent<QuantChangeDetail>} quant-change - The user committed a change of bits, α or threshold. Detail: the config, with `alpha`, `threshold`, `weightBits`, `activationBits`.
 * @fires {CustomEvent<QuantChangeDetail>} quant-input - Live while the user drags a slider. Detail: as quant-change.
 * @fires {CustomEvent<QuantReadyDetail>} quant-ready - Numerics started and the first result is on screen.
 * @fires {CustomEvent<OutliersElementResult>} quant-result - Every finished computation, after the DOM shows it.
 * @fires {CustomEvent<QuantErrorDetail>} quant-error - Invalid attribute, unreadable src, failed runtime.
 *
 * @csspart controls - Bits, α, threshold, and what the channel chart shows.
 * @csspart result - The views of the result; `aria-busy="true"` and dimmed while a newer result is computed.
 * @csspart takeaway - One sentence that holds for the current numbers.
 * @csspart comparison - SQNR of Y′ per method (chart).
 * @csspart channels - max |x| or |w| per channel before and after a method (chart).
 * @csspart methods - The comparison table: SQNR, relative error, max error, bits per value, float16 share.
 * @csspart stats - Kurtosis and max / mean of X before and after the rotation, outlier channels.
 *
 * @cssprop --quant-outliers-before - Colour of the channel bars before a method.
 * @cssprop --quant-outliers-after - Colour of the channel bars after a method.
 * @cssprop --quant-outliers-bar - Colour of the SQNR bars.
 */
export class QuantOutliers extends QuantBase<OutliersElementResult> {
  static override styles = [...QuantBase.styles, controlStyles, uplotStyles, chartGridStyles, outliersStyles];
  static override properties = {
    ...RUNTIME_PROPERTIES,
    bits: fieldProperty(CONFIG_FIELDS.bits, 'bits'),
    weightBits: fieldProperty(OPTIONAL_BITS_FIELD, 'weight-bits'),
    activationBits: fieldProperty(OPTIONAL_BITS_FIELD, 'activation-bits'),
    alpha: fieldProperty(OUTLIER_METHOD_FIELDS.alpha, 'alpha'),
    threshold: fieldProperty(OUTLIER_METHOD_FIELDS.threshold, 'threshold'),
    tokens: fieldProperty(OUTLIER_DATA_FIELDS.tokens, 'tokens'),
    channels: fieldProperty(OUTLIER_DATA_FIELDS.channels, 'channels'),
    outlierChannels: fieldProperty(OUTLIER_DATA_FIELDS.outlierChannels, 'outlier-channels'),
    outlierScale: fieldProperty(OUTLIER_DATA_FIELDS.outlierScale, 'outlier-scale'),
    seed: fieldProperty(CONFIG_FIELDS.seed, 'seed'),
    src: fieldProperty(SRC_FIELD, 'src'),
    weightsSrc: fieldProperty(SRC_FIELD, 'weights-src'),
  };

  /** Bit width of weights and activations (unless weightBits / activationBits are set). */
  declare bits: number;
  /** Bit width of the weights, or undefined (`bits`). */
  declare weightBits: number | undefined;
  /** Bit width of the activations, or undefined (`bits`). */
  declare activationBits: number | undefined;
  /** SmoothQuant's α, 0–1. */
  declare alpha: number;
  /** LLM.int8()'s outlier threshold. */
  declare threshold: number;
  /** Tokens of the generated layer. */
  declare tokens: number;
  /** Channels of the generated layer. */
  declare channels: number;
  /** Outlier channels of the generated layer. */
  declare outlierChannels: number;
  /** Factor of the generated outlier channels. */
  declare outlierScale: number;
  /** Seed of the generated layer and the rotation. */
  declare seed: number;
  /** URL of the reader's X. */
  declare src: string | undefined;
  /** URL of the reader's W. */
  declare weightsSrc: string | undefined;
  declare loading: 'lazy' | 'eager';
  declare device: DeviceChoice;
  declare group: string | undefined;
  /** `all` (default), or the config attribute names taken from the group. */
  declare groupFields: 'all' | string[];

  /** Which method's channels the chart shows, and of which operand. */
  @state() private _method: OutlierMethod = 'smoothquant';
  @state() private _operand: Operand = 'activations';

  readonly #visibility = new VisibilityController(this, { eager: () => this.loading === 'eager' });
  /** Sessions not yet released: the shown one, and one being loaded. */
  readonly #live = new Set<OutliersSession>();
  readonly #load = new TaskController<
    [DeviceChoice, string | undefined, string | undefined, number, number, number, number, number],
    Loaded
  >(this, {
    args: () => {
      if (!this.#visibility.near) return null;
      const own = this.src !== undefined || this.weightsSrc !== undefined;
      // The reader's pair does not depend on the generator's attributes.
      const shape = own
        ? [0, 0, 0, 0, 0]
        : [this.tokens, this.channels, this.outlierChannels, this.outlierScale, this.seed];
      return [this.device, this.src, this.weightsSrc, ...shape] as [
        DeviceChoice,
        string | undefined,
        string | undefined,
        number,
        number,
        number,
        number,
        number,
      ];
    },
    run: async (
      [device, src, weightsSrc, tokens, channels, outlierChannels, outlierScale, seed],
      { signal },
    ): Promise<Loaded> => {
      const generate = { tokens, channels, outlierChannels, outlierScale, seed };
      try {
        return await this.#loadLayer(device, src, weightsSrc, generate, signal);
      } catch (e) {
        const failure = toDetail(e, 'runtime');
        if (signal.aborted || failure.code === 'runtime') throw e;
        this.errors.set(slotOf(failure), failure);
        // SPEC §4: keep the layer shown, or show the default generated one when there is none yet.
        const last: Loaded | undefined = this.#load.value;
        if (last && this.#live.has(last.session)) return { ...last, failure };
        const defaults = { tokens: 512, channels: 512, outlierChannels: 6, outlierScale: 20, seed };
        return { ...(await this.#loadLayer(device, undefined, undefined, defaults, signal)), failure };
      }
    },
    onComplete: (loaded) => {
      const failure = loaded.failure ?? null;
      this.errors.set('src', failure && slotOf(failure) === 'src' ? failure : null);
      this.errors.set('data', failure && slotOf(failure) === 'data' ? failure : null);
    },
    onError: (e) => {
      const detail = toDetail(e, 'runtime');
      this.errors.set(detail.code === 'bad-source' ? 'src' : 'data', detail);
    },
  });
  readonly #compute = new TaskController<
    [Loaded, number, number, number, number, number],
    OutliersElementResult
  >(this, {
    args: () => {
      const loaded = this.#load.value;
      if (!loaded || this.#load.status === 'pending' || !this.#live.has(loaded.session)) return null;
      const wb = this.weightBits ?? this.bits;
      const ab = this.activationBits ?? this.bits;
      return [loaded, wb, ab, this.alpha, this.threshold, this.seed];
    },
    run: async ([loaded, weightBits, activationBits, alpha, threshold, seed]) => {
      // Older sessions are done with: their runs were superseded.
      for (const s of this.#live) if (s !== loaded.session) this.#release(s);
      const r = await loaded.session.run({ weightBits, activationBits, alpha, threshold, seed });
      return { ...r, data: loaded.data, takeaway: takeaway(r) };
    },
    onComplete: (result) => {
      this.errors.set('runtime', null);
      this.emit('quant-result', result);
      const loaded = this.#load.value;
      if (loaded && this.#readyFor !== loaded.session) {
        this.#readyFor = loaded.session;
        this.emit('quant-ready', { device: result.device, requested: this.device });
      }
    },
    onError: (e) => this.errors.set('runtime', toDetail(e, 'runtime')),
  });
  #readyFor: OutliersSession | null = null;
  readonly #charts = {
    comparison: new ChartController(this, () => this.#chartBox('comparison')),
    channels: new ChartController(this, () => this.#chartBox('channels')),
  };
  #drawn: OutliersElementResult | null = null;

  constructor() {
    super();
    new GroupController<QuantChangeDetail>(this, {
      group: () => this.group,
      follow: (detail) => {
        const fields = this.groupFields;
        if (detail.bits !== undefined && (fields === 'all' || fields.includes('bits')))
          this.bits = detail.bits;
      },
    });
    this.addController({ hostDisconnected: () => [...this.#live].forEach((s) => this.#release(s)) });
  }

  /** The last result, or null (read-only). */
  override get result(): OutliersElementResult | null {
    return this.#compute.value ?? null;
  }

  /** Starts numerics now, whatever `loading` says. */
  start(): void {
    this.#visibility.trigger();
  }

  async #loadLayer(
    device: DeviceChoice,
    src: string | undefined,
    weightsSrc: string | undefined,
    generate: {
      tokens: number;
      channels: number;
      outlierChannels: number;
      outlierScale: number;
      seed: number;
    },
    signal: AbortSignal,
  ): Promise<Loaded> {
    let layer: { x: Float32Array; w: Float32Array; t: number; c: number; o: number };
    let data: Loaded['data'];
    if (src !== undefined || weightsSrc !== undefined) {
      if (src === undefined || weightsSrc === undefined)
        throw new QuantError(
          'bad-source',
          'src and weights-src come as a pair: set both (X is tokens × channels, W channels × outputs)',
          src === undefined ? 'src' : 'weights-src',
        );
      const { x, w } = await loadPair(src, weightsSrc, signal);
      layer = { x: x.values, w: w.values, t: x.shape[0], c: x.shape[1], o: w.shape[1] };
      data = { source: 'src' };
    } else {
      if (generate.outlierChannels > generate.channels)
        throw new QuantError(
          'invalid-attribute',
          `outlier-channels="${generate.outlierChannels}" is more than channels (${generate.channels})`,
          'outlier-channels',
        );
      const values = generate.tokens * generate.channels;
      if (values > MAX_ELEMENTS)
        throw new QuantError(
          'invalid-attribute',
          `tokens="${generate.tokens}" × channels="${generate.channels}" is ${values} values: at most ${MAX_ELEMENTS}`,
          'tokens',
        );
      const g = await generateOutlierData(generate);
      layer = { x: g.x, w: g.w, t: generate.tokens, c: generate.channels, o: generate.channels };
      data = { source: 'generated', outlierChannels: g.outlierChannels };
    }
    let session: OutliersSession;
    try {
      session = await createOutliersSession(device);
      this.errors.set('device', null);
    } catch (e) {
      if (device === 'auto') throw e;
      session = await createOutliersSession('auto');
      const reason = toDetail(e, 'runtime', 'device');
      this.errors.set('device', {
        ...reason,
        message: `${reason.message}; using ${session.device} instead.`,
      });
    }
    if (signal.aborted) {
      session.dispose();
      throw signal.reason;
    }
    this.#live.add(session);
    session.setData(layer.x, [layer.t, layer.c], layer.w, [layer.c, layer.o]);
    return { session, data };
  }

  #release(session: OutliersSession): void {
    session.dispose();
    this.#live.delete(session);
  }

  /** The config of a quant-change / quant-input: the shared fields (this element is symmetric int), and its own. */
  #changeDetail(): QuantChangeDetail & Record<string, unknown> {
    return {
      bits: this.bits,
      scheme: 'symmetric',
      granularity: 'tensor',
      groupSize: CONFIG_FIELDS.groupSize.default,
      rounding: 'half-even',
      calibration: 'minmax',
      percentile: CONFIG_FIELDS.percentile.default,
      format: 'int',
      weightBits: this.weightBits ?? this.bits,
      activationBits: this.activationBits ?? this.bits,
      alpha: this.alpha,
      threshold: this.threshold,
    };
  }

  #user(change: Partial<Pick<QuantOutliers, 'bits' | 'alpha' | 'threshold'>>, committed: boolean): void {
    Object.assign(this, change);
    this.emit(committed ? 'quant-change' : 'quant-input', this.#changeDetail());
  }

  // ---- drawing ----
  #chartBox(kind: 'comparison' | 'channels'): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[data-chart=${kind}]`);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const operand = changed.has('_operand');
    if (this.#drawn !== this.result || changed.has('_method') || operand) {
      this.#drawn = this.result;
      // A new result or method is new data for the same charts; the operand changes an axis label.
      this.#paint(operand);
    }
  }

  /** Redraws from scratch (redraw(), a theme change): the colours are read anew. */
  protected override draw(): void {
    this.#paint(true);
  }

  #paint(rebuild: boolean): void {
    const r = this.result;
    if (!r) return;
    const colors = readTokens(this, {
      before: ['--_before', '#afb8c1'],
      after: ['--_after', '#0969da'],
      bar: ['--_bar', '#0969da'],
      muted: ['--_muted', '#57606a'],
      border: ['--_border', '#d0d7de'],
    });
    this.#charts.comparison.render(comparisonChart(r, colors), rebuild);
    const label = this._operand === 'activations' ? 'max |x| per channel' : 'max |w| per input channel';
    const series = channelSeries(r, this._method, this._operand);
    this.#charts.channels.render(channelChart(series, label, colors), rebuild);
  }

  // ---- rendering ----
  #renderControls(): TemplateResult {
    const range = (
      name: 'alpha' | 'threshold',
      label: string,
      [min, max, step]: [number, number, number],
    ) => {
      const read = (e: Event) => Number((e.target as HTMLInputElement).value);
      const value = this[name];
      return html`<div class="control">
        <span
          ><label for=${`${name}-slider`}>${label}</label>
          <output for=${`${name}-slider`} aria-hidden="true">${value}</output></span
        >
        <input
          id=${`${name}-slider`}
          type="range"
          min=${min}
          max=${max}
          step=${step}
          .value=${String(value)}
          aria-valuetext=${`${label} ${value}`}
          @input=${(e: Event) => this.#user({ [name]: read(e) }, false)}
          @change=${(e: Event) => this.#user({ [name]: read(e) }, true)}
        />
      </div>`;
    };
    return html`<div part="controls">
      ${bitsSlider(this.bits, (bits, committed) => this.#user({ bits }, committed))}
      ${range('alpha', 'SmoothQuant α', [0, 1, 0.05])}
      ${range('threshold', 'LLM.int8() threshold', [0.5, 20, 0.5])}
      ${selectControl(
        'channels after',
        this._method,
        OUTLIER_METHODS.map((m) => [m, METHOD_LABELS[m]] as const),
        (m) => (this._method = m),
      )}
      ${selectControl(
        'of',
        this._operand,
        [
          ['activations', 'activations X'],
          ['weights', 'weights W'],
        ],
        (o) => (this._operand = o),
      )}
    </div>`;
  }

  #renderResult(r: OutliersElementResult): TemplateResult {
    const s = r.stats;
    const num = (v: number | null) => (v === null ? '—' : v.toFixed(v >= 100 ? 0 : 2));
    const [tokens, channels, outputs] = r.shape;
    const best = [...r.methods].sort((a, b) => b.sqnrDb - a.sqnrDb)[0];
    return html`<p part="takeaway">${r.takeaway}</p>
      <div class="charts">
        <figure>
          <figcaption>SQNR of Y′ = X′·W′ against float Y, ${bitsLabel(r.config)}, per method</figcaption>
          <div
            part="comparison"
            data-chart="comparison"
            role="img"
            aria-label=${`SQNR per method; best: ${METHOD_LABELS[best.method]}. The table below has every number.`}
          ></div>
        </figure>
        <figure>
          <figcaption>
            ${this._operand === 'activations' ? 'max |x|' : 'max |w|'} per channel (log scale):
            <span class="chip before"></span> before, <span class="chip after"></span> after
            ${METHOD_LABELS[this._method]}
          </figcaption>
          <div
            part="channels"
            data-chart="channels"
            role="img"
            aria-label=${`Per-channel maxima before and after ${METHOD_LABELS[this._method]}`}
          ></div>
        </figure>
      </div>
      <div class="scroll" tabindex="0" role="region" aria-label=${this.named('Methods compared')}>
        <table part="methods">
          <caption>
            Y = X·W, X ${tokens}×${channels}, W ${channels}×${outputs}, ${bitsLabel(r.config)}, α
            ${r.config.alpha}, threshold ${r.config.threshold}
          </caption>
          <thead>
            <tr>
              ${METHOD_COLUMNS.map((c) => html`<th scope="col">${c}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${methodRows(r).map(
              (row) =>
                html`<tr data-method=${row.method}>
                  <th scope="row">${row.cells[0]}</th>
                  ${row.cells.slice(1).map((c) => html`<td>${c}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p part="stats">
        X: kurtosis ${num(s.kurtosisBefore)} → ${num(s.kurtosisAfterRotation)} after rotation, max / mean |x|
        ${num(s.maxOverMeanBefore)} → ${num(s.maxOverMeanAfterRotation)}; ${s.outlierChannels.length} channels
        over the
        threshold${s.rotatedChannels !== channels ? `; the rotation pads ${channels} channels to ${s.rotatedChannels}` : ''}.
      </p>`;
  }

  /** A run for newer inputs is in flight (a slider being dragged): what is shown is not current. */
  get #updating(): boolean {
    return this.#load.status === 'pending' || this.#compute.status === 'pending';
  }

  protected override renderStatus(): TemplateResult {
    const r = this.result;
    let text: string;
    if (!this.#visibility.near) text = 'Numerics start when this widget scrolls into view.';
    else if (!r) text = this.error ? `Not started: ${this.error.message}` : 'Starting jax-js…';
    else if (this.#updating) text = 'Updating for the new settings…';
    else {
      text = `Computed with jax-js on ${r.device}${this.device === 'auto' ? ' (auto)' : ''}.`;
      // The shown layer is not the one asked for: say why, and what is shown instead.
      const failure = this.#load.value?.failure;
      if (failure)
        text = `${failure.message}. Showing ${r.data.source === 'src' ? 'the last layer that loaded' : `the ${r.shape[0]}×${r.shape[1]} generated layer`} instead; ${text[0].toLowerCase()}${text.slice(1)}`;
    }
    return super.renderStatus(text);
  }

  override render(): TemplateResult {
    const r = this.result;
    const busy = this.#updating;
    // While a newer result is on its way the shown one is dimmed and marked busy (the base's
    // .stale), so the reader never takes it for the current settings' numbers.
    const views = r
      ? html`<div
          part="result"
          class=${busy ? 'result stale' : 'result'}
          aria-busy=${busy ? 'true' : 'false'}
        >
          ${this.#renderResult(r)}
        </div>`
      : nothing;
    return this.region(
      'Outliers and the methods that tame them',
      busy,
      html`${this.#renderControls()} ${this.renderError()} ${views} ${this.renderStatus()}`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quant-outliers': QuantOutliers;
  }
}
