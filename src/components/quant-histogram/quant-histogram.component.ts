import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import uPlot from 'uplot';
import { CALIBRATIONS, FORMATS, type QuantConfig } from '../../core/config.js';
import type { QuantSession, QuantizeOptions } from '../../core/index.js';
import { codesFitBytes } from '../../core/read.js';
import { extendResult } from '../../core/result.js';
import { ChartController, type ChartSpec } from '../../controllers/chart-controller.js';
import { toDetail } from '../../controllers/errors.js';
import { TaskController } from '../../controllers/task.js';
import { readTokens, withAlpha } from '../../internal/colors.js';
import { bitsSlider, selectControl } from '../../internal/controls.js';
import { fieldProperty, weightProperties } from '../../internal/fields.js';
import { formatDb, formatPercent, formatValue } from '../../internal/format.js';
import {
  QuantizingElement,
  type QuantizedResult,
  type WeightData,
} from '../../internal/quantizing-element.js';
import {
  binCenters,
  binsField,
  compactCount,
  compareConfig,
  compareField,
  compareSpec,
  dequantizedCounts,
  describePanel,
  bitsPerWeightText,
  gridNote,
  levelStride,
  levelsIn,
  originalCounts,
  planBins,
  sameQuantization,
  sizeOf,
  specKey,
  yMax,
  type BinnedPanel,
  type CompareToken,
  type HistogramView,
} from './quant-histogram.model.js';
import { LABEL_BAND, cappedBins, zeroLabelBox } from './quant-histogram.overlay.js';
import { uplotStyles } from '../../internal/uplot-styles.js';
import { histogramStyles } from './quant-histogram.styles.js';
import { MAX_COUNTED, multiplesStyles } from './quant-histogram.multiples.js';

export { MAX_BINS, MIN_BINS, type CompareToken, type HistogramPanel } from './quant-histogram.model.js';

export interface HistogramResult extends QuantizedResult {
  /** One quantization per `compare` token, in its order (empty without compare); each records its config. */
  compare: QuantizedResult[];
}

const TOKENS = {
  original: ['--_h-original', '#0969da'],
  dequantized: ['--_h-dequantized', '#d4640b'],
  level: ['--_h-level', '#57606a'],
  clip: ['--_h-clip', '#cf222e'],
  zero: ['--_h-zero', '#1c2128'],
  muted: ['--_muted', '#57606a'],
  border: ['--_border', '#d0d7de'],
  font: ['--_font', 'system-ui'],
  bg: ['--_bg', '#ffffff'],
  height: ['--_h-height', '220'],
} satisfies Record<string, [string, string]>;
type Colors = Record<keyof typeof TOKENS, string>;

/** What the charts show now: the view, the colours it was drawn in, and the y scale's top. */
interface Drawn {
  view: HistogramView<HistogramResult>;
  colors: string;
  yMax: number;
}

/**
 * The clipped regions, the levels, the zero-point and the capped spikes' breaks over one chart's
 * bars; `edges` are the bins', `top` the shared y scale's.
 */
function drawOverlay(
  u: uPlot,
  p: BinnedPanel,
  view: { range: [number, number]; edges: ArrayLike<number> },
  top: number,
  c: Colors,
): void {
  const { range } = view;
  const { ctx, bbox } = u;
  const px = (v: number) => u.valToPos(v, 'x', true);
  const line = (x: number, top = bbox.top) => {
    ctx.moveTo(Math.round(x) + 0.5, top);
    ctx.lineTo(Math.round(x) + 0.5, bbox.top + bbox.height);
  };
  const dpr = window.devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  // Outside the clip range: shaded, bounded by dashed lines.
  const [left, right] = p.clipRange.map(px);
  const end = bbox.left + bbox.width;
  ctx.fillStyle = withAlpha(c.clip, 0.12);
  if (left > bbox.left) ctx.fillRect(bbox.left, bbox.top, left - bbox.left, bbox.height);
  if (right < end) ctx.fillRect(right, bbox.top, end - right, bbox.height);
  ctx.strokeStyle = c.clip;
  ctx.lineWidth = dpr;
  ctx.setLineDash([4 * dpr, 3 * dpr]);
  ctx.beginPath();
  // A cast's clip range (±65504 for fp16) is usually far outside the view: no line then.
  if (left >= bbox.left - 1) line(Math.max(left, bbox.left));
  if (right <= end + 1) line(Math.min(right, end - 1));
  ctx.stroke();
  ctx.setLineDash([]);
  // Levels in view: full-height lines, or beyond 6 bits a rug along the bottom (their density,
  // which for float formats and NF4 is highest near 0).
  const levels = levelsIn(p.levels, range);
  if (levels.length > 0) {
    const step = levelStride(
      { bits: p.bits, levels },
      Math.abs(px(levels[levels.length - 1]) - px(levels[0])),
      dpr,
    );
    ctx.strokeStyle = withAlpha(c.level, step > 1 ? 0.8 : 0.6);
    ctx.beginPath();
    for (let i = 0; i < levels.length; i += step)
      line(px(levels[i]), step > 1 ? bbox.top + bbox.height * 0.88 : bbox.top);
    ctx.stroke();
  }
  // A dequantized bar past the scale's top (a spike, capped): a break of the background's colour
  // across its top, so it does not read as that tall; its count is in the caption and the table.
  for (const { bin } of cappedBins(p.counts, top)) {
    const x0 = Math.round(px(view.edges[bin]));
    const x1 = Math.max(x0 + dpr, Math.round(px(view.edges[bin + 1])));
    const y = bbox.top + 7 * dpr;
    ctx.fillStyle = c.bg;
    ctx.beginPath();
    ctx.moveTo(x0 - dpr, y);
    ctx.lineTo(x1 + dpr, y - 3 * dpr);
    ctx.lineTo(x1 + dpr, y);
    ctx.lineTo(x0 - dpr, y + 3 * dpr);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = c.dequantized;
    ctx.lineWidth = dpr;
    ctx.beginPath();
    ctx.moveTo(x0 - 2 * dpr, y - 0.5 * dpr);
    ctx.lineTo(x1 + 2 * dpr, y - 3.5 * dpr);
    ctx.moveTo(x0 - 2 * dpr, y + 3.5 * dpr);
    ctx.lineTo(x1 + 2 * dpr, y + 0.5 * dpr);
    ctx.stroke();
  }
  // Zero-point (int only: other formats have no zero-point): the level of code z is exactly 0.
  if (p.format !== 'int') return void ctx.restore();
  ctx.strokeStyle = c.zero;
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  line(px(0));
  ctx.stroke();
  ctx.restore();
  // The label in the band above the plot (LABEL_BAND), where no bar reaches; 12 px like the axes.
  ctx.save();
  ctx.font = `${12 * dpr}px ${c.font}`;
  ctx.textBaseline = 'top';
  const label = `z=${p.zeroPoint}`;
  const box = zeroLabelBox(Math.round(px(0)) + 0.5, bbox, ctx.measureText(label).width, dpr);
  ctx.fillStyle = c.zero;
  ctx.fillText(label, box.left + 2 * dpr, box.top + dpr);
  ctx.restore();
}

/**
 * The weight distribution with the quantization grid: a histogram of the
 * original weights, the histogram of the dequantized weights (their collapse
 * onto the levels), the levels themselves, the clip range and the zero-point (int only).
 * A number format's levels are drawn as they are (dense near 0 for fp formats and NF4); with a
 * scale per block, the grid drawn is the block with the median scale's, and the text says so.
 * `compare` draws one small chart per bit width or format, sharing axes, each labelled with its
 * format, SQNR and bits per weight (the results' own numbers, nothing more).
 *
 * @tag quant-histogram
 * @summary Weight histogram with the quantization grid overlaid.
 *
 * @attr {string} shape - `ROWSxCOLS`, each 1–4096, at most 4,194,304 elements. Default `128x128`.
 * @attr {number} bins - Number of histogram bins, an integer 8–512. Default 64. View-only: re-bins, never re-quantizes.
 * @attr {string} compare - Space-separated bit widths and/or format names (e.g. `2 4 8 16`, `int4 nf4 fp4-e2m1 mxfp4`; a bare `N` or `intN` is `format="int" bits="N"` at the element's scheme): one small chart per token instead of one chart. Each quantizes with the element's granularity and group size (MX formats: blocks of 32).
 *
 * @csspart chart - The box of one chart (uPlot draws inside it).
 * @csspart capped - Under a chart whose dequantized bars run past the top: their true counts.
 * @csspart summary - The text with the clip range, zero-point and clipped count.
 * @csspart legend - The legend of the series and overlays.
 *
 * @cssprop --quant-histogram-original - Colour of the original weights' histogram.
 * @cssprop --quant-histogram-dequantized - Colour of the dequantized weights' histogram.
 * @cssprop --quant-histogram-level - Colour of the quantization levels.
 * @cssprop --quant-histogram-clip - Colour of the clipped regions outside the clip range.
 * @cssprop --quant-histogram-zero - Colour of the zero-point marker.
 * @cssprop --quant-histogram-height - Height of the chart (small multiples are 70% of it).
 */
export class QuantHistogram extends QuantizingElement<HistogramResult> {
  static override styles = [...QuantizingElement.styles, uplotStyles, histogramStyles, multiplesStyles];
  static override properties = {
    shape: weightProperties([128, 128]).shape,
    bins: fieldProperty(binsField, 'bins'),
    compare: fieldProperty(compareField, 'compare'),
  };

  /** Number of histogram bins (8–512); view-only. */
  declare bins: number;
  /**
   * Bit widths (numbers, `int` at the element's scheme) and format names (`int4`, `nf4`, `mxfp4`…)
   * drawn as small multiples at the element's blocks (MX: 32); `[]` for a single chart.
   */
  declare compare: CompareToken[];

  /** Binning on jax-js: view work of the result, so it never emits quant-result. */
  readonly #binning = new TaskController<
    [HistogramResult, WeightData, number],
    HistogramView<HistogramResult>
  >(this, {
    args: () => (this.result && this.data ? [this.result, this.data, this.bins] : null),
    run: ([result, data, bins]) => {
      const plan = planBins(result, data.values, bins);
      // The values are on the host already (the result's): a loop beats a round trip to jax-js
      // (model: binCounts); the original weights' counts are kept across bits changes.
      const counts = originalCounts(data.values, plan.range, bins);
      const panels = plan.panels.map((p) => ({
        ...p,
        counts: dequantizedCounts(p.source, plan.range, bins),
      }));
      return Promise.resolve({ ...plan, result, counts, panels });
    },
    onComplete: () => this.errors.set('binning', null),
    onError: (e) => this.errors.set('binning', toDetail(e, 'runtime')),
  });

  readonly #charts = new Map<string, ChartController>();
  #drawn: Drawn | null = null;
  /**
   * What the charts' callbacks read, instead of the element: uPlot's options outlive their chart
   * (V8's shared property tables keep the first chart's getters, and so the callbacks), so they
   * must not hold the element. Emptied while disconnected, so they hold no view either.
   */
  readonly #shown: { drawn: Drawn | null } = { drawn: null };
  #afterUpdate: (() => void)[] = [];

  /**
   * The binned histogram the charts show (view data: not part of `result`).
   * @internal
   */
  get histogram(): HistogramView<HistogramResult> | null {
    return this.#binning.value ?? null;
  }

  /**
   * The live uPlot instances by chart key (`main`, or `int4`, `nf4`… per compare token).
   * @internal
   */
  get charts(): Map<string, uPlot> {
    const out = new Map<string, uPlot>();
    for (const [key, c] of this.#charts) if (c.chart) out.set(key, c.chart);
    return out;
  }

  /** Compare panels are quantizations: their keys (`4` and `int4` alike: `int4`) are an input of compute. */
  protected override computeInputs(): readonly string[] {
    return [this.compare.map((t) => specKey(compareSpec(t)!)).join(' ')];
  }

  protected override async compute(
    session: QuantSession,
    _weights: WeightData,
    config: QuantConfig,
    signal: AbortSignal,
    [keys]: readonly unknown[],
  ): Promise<HistogramResult> {
    // The charts bin the dequantized values: from code bytes where the codes fit in one (a quarter
    // of the copy), else the values; the rest is read on first access.
    const read = (c: QuantConfig): QuantizeOptions =>
      codesFitBytes(c) ? { codeBytes: true, read: ['codeBytes'] } : { read: ['dequantized'] };
    const main = await session.quantize(config, read(config));
    const compare: QuantizedResult[] = [];
    for (const token of compareField.parse(String(keys)) ?? []) {
      signal.throwIfAborted();
      const c = compareConfig(config, compareSpec(token)!);
      compare.push(sameQuantization(c, config) ? main : await session.quantize(c, read(c)));
    }
    return extendResult(main, { compare });
  }

  protected override get busy(): boolean {
    return super.busy || this.#binning.status === 'pending';
  }

  /** Also waits for the binning of the result on screen, so quant-result follows the charts. */
  protected override async getUpdateComplete(): Promise<boolean> {
    for (;;) {
      const done = await super.getUpdateComplete();
      if (this.isUpdatePending) continue;
      if (this.#binning.status !== 'pending') return done;
      await new Promise<void>((resolve) => this.#afterUpdate.push(resolve));
    }
  }

  override connectedCallback(): void {
    this.#shown.drawn = this.#drawn;
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#shown.drawn = null;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#drawn?.view !== this.histogram) this.draw();
    for (const resolve of this.#afterUpdate.splice(0)) resolve();
  }

  // ---- charts ----
  protected override draw(): void {
    const view = this.histogram;
    if (!view) return;
    const c = readTokens(this, TOKENS);
    const colors = JSON.stringify(c);
    if (this.#drawn?.view === view && this.#drawn.colors === colors) return;
    const rebuild = this.#drawn?.colors !== colors;
    this.#drawn = {
      view,
      colors,
      yMax: yMax(
        view.counts,
        view.panels.map((p) => p.counts),
      ),
    };
    this.#shown.drawn = this.#drawn;
    const keys = new Set(view.panels.map((p) => p.key));
    for (const [key, chart] of this.#charts) {
      if (keys.has(key)) continue;
      chart.dispose();
      this.#charts.delete(key);
    }
    const centers = binCenters(view.edges);
    const counts = Array.from(view.counts);
    for (const p of view.panels) {
      let chart = this.#charts.get(p.key);
      if (!chart) {
        const selector = `figure[data-chart="${p.key}"] [part~='chart']`;
        chart = new ChartController(this, () => this.renderRoot.querySelector<HTMLElement>(selector));
        this.#charts.set(p.key, chart);
      }
      chart.render(this.#chartSpec(p.key, [centers, counts, Array.from(p.counts)], c), rebuild);
    }
  }

  #chartSpec(key: string, data: uPlot.AlignedData, c: Colors): ChartSpec {
    const shown = this.#shown; // the callbacks below close over this, never over `this`
    const small = key !== 'main';
    const height = parseFloat(c.height);
    const axis = {
      stroke: c.muted,
      grid: { stroke: withAlpha(c.border, 0.6), width: 1 },
      ticks: { stroke: c.border, width: 1 },
    };
    const bars = (stroke: string, alpha: number, width: number) => ({
      stroke,
      fill: withAlpha(stroke, alpha),
      width,
      paths: uPlot.paths.bars?.({ size: [1, Infinity], gap: 0 }),
      points: { show: false },
    });
    return {
      height: Math.round((Number.isFinite(height) && height > 40 ? height : 220) * (small ? 0.7 : 1)),
      data,
      options: {
        legend: { show: false },
        cursor: { show: false },
        // Room above the plot for the "z=" label (never over a bar).
        padding: [LABEL_BAND, null, null, null],
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: {
          x: { time: false, range: () => shown.drawn?.view.range ?? [0, 1] },
          y: { range: () => [0, shown.drawn?.yMax ?? 1] },
        },
        axes: [
          { ...axis, size: small ? 30 : 36 },
          { ...axis, size: small ? 44 : 52, values: (_u: uPlot, ticks: number[]) => ticks.map(compactCount) },
        ],
        series: [
          {},
          { label: 'original', ...bars(c.original, 0.45, 1) },
          { label: 'dequantized', ...bars(c.dequantized, 0.18, 1.5) },
        ],
        hooks: {
          draw: [
            (u: uPlot) => {
              const view = shown.drawn?.view;
              const panel = view?.panels.find((p) => p.key === key);
              if (panel && view) drawOverlay(u, panel, view, shown.drawn!.yMax, c);
            },
          ],
        },
      },
    };
  }

  // ---- template (controls show the live config; the rest shows the binned result) ----
  /** Only the controls that change what is drawn: bits and calibration apply to int only. */
  #renderControls(): TemplateResult {
    const single = this.compare.length === 0;
    const int = single ? this.format === 'int' : this.compare.some((t) => compareSpec(t)?.format === 'int');
    return html`<div part="controls">
      ${single ? selectControl('format', this.format, FORMATS, (format) => this.userConfig({ format }, true), this.named('format')) : nothing}
      ${single && int ? bitsSlider(this.bits, (bits, committed) => this.userConfig({ bits }, committed), this.named('bits')) : nothing}
      ${int ? selectControl('calibration', this.calibration, CALIBRATIONS, (calibration) => this.userConfig({ calibration }, true), this.named('calibration')) : nothing}
    </div>`;
  }

  #renderSummary({ result: r, bins, panels }: HistogramView<HistogramResult>): TemplateResult {
    const p = panels[0];
    const num = (text: string | number) => html`<span class="num">${text}</span>`;
    const int = p.format === 'int';
    const clip = `[${formatValue(p.clipRange[0])}, ${formatValue(p.clipRange[1])}]`;
    const zero = int ? html`, zero-point ${num(p.zeroPoint)}` : nothing;
    const grid =
      p.blocks > 1
        ? html`clip range ${num(clip)} over all ${p.blocks.toLocaleString()} blocks; ${gridNote(p)}${zero}`
        : p.scaled
          ? html`clip range ${num(clip)}, scale ${num(formatValue(p.scale, 4))}${zero}`
          : html`representable range ${num(clip)}; ${gridNote(p)}`;
    const ints = r.compare.filter((c) => c.config.format === 'int');
    return html`<p part="summary">
      ${sizeOf(r.shape).toLocaleString()} weights (${r.shape.join(' × ')}), ${bins} bins.
      ${
        r.compare.length > 0
          ? html`Each chart quantizes the same weights in one format; its caption gives the blocks and the
            measured SQNR and bits per
            weight.${ints.length > 0 ? ` Integer charts use ${r.config.calibration} calibration.` : nothing}`
          : html`${int ? html`At ${num(p.bits)} bits` : html`In ${p.label}`} (${p.detail}): ${grid};
              <strong class="clipped">${p.clippedCount.toLocaleString()}</strong> weights clipped
              (${formatPercent(p.clippedFraction)}); SQNR ${num(formatDb(p.sqnrDb))};
              ${num(bitsPerWeightText(p.bitsPerWeight))} bits per weight.`
      }
    </p>`;
  }

  #renderChart(view: HistogramView<HistogramResult>, p: BinnedPanel): TemplateResult {
    return html`<figure data-chart=${p.key}>
      ${
        p.key === 'main'
          ? nothing
          : html`<figcaption>
              <span class="name"><strong>${p.label}</strong> ${p.detail}</span>
              <span class="numbers"
                ><span class="item">SQNR <strong class="sqnr">${formatDb(p.sqnrDb)}</strong></span> ·
                <span class="item"
                  ><strong class="bpw">${bitsPerWeightText(p.bitsPerWeight)}</strong> bits/weight</span
                >${
                  p.clippedCount > 0
                    ? html` ·
                        <span class="item"
                          >clipped ${p.clippedCount.toLocaleString()}
                          (${formatPercent(p.clippedFraction)})</span
                        >`
                    : nothing
                }</span
              >
            </figcaption>`
      }
      <div part="chart" role="img" aria-label=${describePanel(p, view)}></div>
      ${this.#renderCapped(view, p)}
    </figure>`;
  }

  /** The true counts of the bars cut at the scale's top (each drawn with a break). */
  #renderCapped(view: HistogramView<HistogramResult>, p: BinnedPanel): TemplateResult | typeof nothing {
    const capped = cappedBins(
      p.counts,
      yMax(
        view.counts,
        view.panels.map((q) => q.counts),
      ),
    );
    if (capped.length === 0) return nothing;
    const at = (bin: number) => formatValue((view.edges[bin] + view.edges[bin + 1]) / 2);
    return html`<p class="capped" part="capped">
      Bars cut at the top (marked with a break):
      ${capped
        .slice(0, 4)
        .map(({ bin, count }) => `${count.toLocaleString()} weights at ${at(bin)}`)
        .join(', ')}${capped.length > 4 ? `, and ${capped.length - 4} more bars` : ''}.
    </p>`;
  }

  #renderTable(panels: BinnedPanel[]): TemplateResult {
    // The wrapper is clipped, not the table: a table ignores `width: 1px` and would widen the page.
    return html`<div class="visually-hidden">
      <table>
        <caption>
          Quantization by format
        </caption>
        <thead>
          <tr>
            <th scope="col">format</th>
            <th scope="col">blocks</th>
            <th scope="col">SQNR</th>
            <th scope="col">bits per weight</th>
            <th scope="col">clipped</th>
            <th scope="col">clip range</th>
          </tr>
        </thead>
        <tbody>
          ${panels.map(
            (p) =>
              html`<tr>
                <th scope="row">${p.label}</th>
                <td>${p.detail}</td>
                <td>${formatDb(p.sqnrDb)}</td>
                <td>${bitsPerWeightText(p.bitsPerWeight)}</td>
                <td>${p.clippedCount} (${formatPercent(p.clippedFraction)})</td>
                <td>${formatValue(p.clipRange[0])} to ${formatValue(p.clipRange[1])}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render(): TemplateResult {
    const view = this.histogram;
    const body = view
      ? html`${this.#renderSummary(view)}
          <ul part="legend" class="legend">
            <li><span class="swatch original"></span>original</li>
            <li><span class="swatch dequantized"></span>dequantized</li>
            <li><span class="swatch level"></span>levels</li>
            <li><span class="swatch clip"></span>clipped region</li>
          </ul>
          <div class="multiples-box">
            <div
              class="charts ${view.result.compare.length > 0 ? 'multiples' : ''}"
              data-count=${view.panels.length > MAX_COUNTED ? 'many' : view.panels.length}
            >
              ${repeat(
                view.panels,
                (p) => p.key,
                (p) => this.#renderChart(view, p),
              )}
            </div>
          </div>
          ${this.#renderTable(view.panels)}`
      : nothing;
    return this.frame('Weight histogram', this.#renderControls(), body);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quant-histogram': QuantHistogram;
  }
}
