import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import uPlot from 'uplot';
import {
  CALIBRATIONS,
  MAX_BITS,
  MIN_BITS,
  histogramCounts,
  type QuantConfig,
  type QuantResult,
  type QuantSession,
} from '../../core/index.js';
import { ChartController, type ChartSpec } from '../../controllers/chart-controller.js';
import {
  SHARED_ATTRIBUTES,
  parseInteger,
  parseIntegerList,
  type AttributeSpec,
} from '../../internal/attributes.js';
import { bitsSlider, selectControl } from '../../internal/controls.js';
import { formatDb, formatPercent, formatValue } from '../../internal/format.js';
import { QuantElement } from '../../internal/quant-element.js';
import { histogramStyles, uplotStyles } from './quant-histogram.styles.js';

export const MIN_BINS = 8;
export const MAX_BINS = 512;
/** Every level is drawn up to this bit width; beyond it, an even subset. */
const ALL_LEVELS_BITS = 6;
/** Most level lines drawn in one chart. */
const MAX_LEVEL_LINES = 64;
/** Dequantized spikes are cut at this multiple of the tallest original bin, so the original stays readable. */
const SPIKE_CAP = 2.5;

/** One bit width of the chart(s): its grid, its error and the histogram of its dequantized values. */
export interface HistogramPanel {
  bits: number;
  sqnrDb: number;
  clippedFraction: number;
  /** Number of weights whose code was clamped to qmin or qmax. */
  clippedCount: number;
  qmin: number;
  qmax: number;
  /** Scale and zero-point of the first block (the only one for per-tensor). */
  scale: number;
  zeroPoint: number;
  /** Dequantized value of every code qmin…qmax of the first block: scale · (q − zeroPoint), float32. */
  levels: Float64Array;
  /** The representable range [scale · (qmin − z), scale · (qmax − z)], widened over all blocks. */
  clipRange: [number, number];
  /** Histogram of the dequantized values. */
  counts: Int32Array;
}

export interface HistogramResult extends QuantResult {
  /** The bit width of this result (the config's `bits`). */
  bits: number;
  shape: number[];
  device: string;
  bins: number;
  /** The histogram's x range: the weights and every clip range drawn. */
  range: [number, number];
  /** bins + 1 bin edges. */
  edges: Float64Array;
  /** Histogram of the original weights. */
  counts: Int32Array;
  /** Histogram of the dequantized weights at `bits`. */
  dequantizedCounts: Int32Array;
  /** Levels of `bits` (first block), see HistogramPanel.levels. */
  levels: Float64Array;
  clipRange: [number, number];
  clippedCount: number;
  /** One panel per `compare` bit width (empty without compare). */
  compare: HistogramPanel[];
}

const binsSpec: AttributeSpec<number> = {
  attribute: 'bins',
  property: 'bins',
  allowed: `an integer from ${MIN_BINS} to ${MAX_BINS}`,
  parse: (t) => parseInteger(t, MIN_BINS, MAX_BINS),
};

const compareSpec: AttributeSpec<number[]> = {
  attribute: 'compare',
  property: 'compare',
  allowed: `space-separated distinct bit widths from ${MIN_BITS} to ${MAX_BITS}, e.g. "2 4 8 16"`,
  parse: (t) => parseIntegerList(t, MIN_BITS, MAX_BITS),
};

/** Min and max of the weights, memoized per array (weights change rarely, configs often). */
const extents = new WeakMap<Float32Array, [number, number]>();
function extentOf(values: Float32Array): [number, number] {
  let e = extents.get(values);
  if (!e) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    e = [lo, hi];
    extents.set(values, e);
  }
  return e;
}

function panelOf(r: QuantResult, bits: number): Omit<HistogramPanel, 'counts'> {
  const s = r.scale[0];
  const z = r.zeroPoint[0];
  const levels = new Float64Array(r.qmax - r.qmin + 1);
  for (let q = r.qmin; q <= r.qmax; q++) levels[q - r.qmin] = Math.fround((q - z) * s);
  let lo = Infinity;
  let hi = -Infinity;
  for (let b = 0; b < r.scale.length; b++) {
    lo = Math.min(lo, Math.fround((r.qmin - r.zeroPoint[b]) * r.scale[b]));
    hi = Math.max(hi, Math.fround((r.qmax - r.zeroPoint[b]) * r.scale[b]));
  }
  return {
    bits,
    sqnrDb: r.stats.sqnrDb,
    clippedFraction: r.stats.clippedFraction,
    clippedCount: Math.round(r.stats.clippedFraction * r.codes.length),
    qmin: r.qmin,
    qmax: r.qmax,
    scale: s,
    zeroPoint: z,
    levels,
    clipRange: [lo, hi],
  };
}

/** `color` (any CSS colour) with opacity `alpha`, as canvas understands it. */
const alphaCache = new Map<string, string>();
function withAlpha(color: string, alpha: number): string {
  const key = `${color}|${alpha}`;
  let out = alphaCache.get(key);
  if (out === undefined) {
    out = toAlpha(color, alpha);
    if (alphaCache.size > 256) alphaCache.clear();
    alphaCache.set(key, out);
  }
  return out;
}

function toAlpha(color: string, alpha: number): string {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return color;
  ctx.fillStyle = '#000';
  ctx.fillStyle = color;
  const normal = String(ctx.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(normal);
  if (hex) return `rgba(${parseInt(hex[1], 16)}, ${parseInt(hex[2], 16)}, ${parseInt(hex[3], 16)}, ${alpha})`;
  const rgba = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(normal);
  return rgba ? `rgba(${rgba[1]},${rgba[2]},${rgba[3]}, ${alpha})` : normal;
}

/** Axis labels for counts: 950, 1.5k, 12k, 1.2M. */
function compactCount(t: number): string {
  const a = Math.abs(t);
  if (a >= 1e6) return `${+(t / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${+(t / 1e3).toFixed(1)}k`;
  return String(+t.toFixed(2));
}

interface Colors {
  original: string;
  dequantized: string;
  level: string;
  clip: string;
  zero: string;
  fg: string;
  muted: string;
  border: string;
  font: string;
}

/** What a chart's draw hook overlays (mutable: new results reuse the chart). */
interface Overlay {
  panel: Omit<HistogramPanel, 'counts'>;
  range: [number, number];
  yMax: number;
}

/**
 * The weight distribution with the quantization grid: a histogram of the
 * original weights, the histogram of the dequantized weights (their collapse
 * onto the levels), the levels themselves, the clip range and the zero-point.
 * `compare` draws one small chart per bit width, sharing axes, each with its SQNR.
 *
 * @tag quant-histogram
 * @summary Weight histogram with the quantization grid overlaid.
 *
 * @attr bins - Number of histogram bins, an integer 8–512. Default 64.
 * @attr compare - Space-separated bit widths (e.g. `2 4 8 16`): one small chart per width instead of one chart at `bits`.
 *
 * @csspart chart - The box of one chart (uPlot draws inside it).
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
export class QuantHistogram extends QuantElement {
  static override styles = [...QuantElement.styles, uplotStyles, histogramStyles];
  static override attributeSpecs = [
    ...SHARED_ATTRIBUTES,
    binsSpec as AttributeSpec,
    compareSpec as AttributeSpec,
  ];
  static override defaults = { ...QuantElement.defaults, shape: [128, 128], bins: 64, compare: [] };

  readonly #charts = new Map<string, ChartController>();
  readonly #overlays = new Map<string, Overlay>();
  /** The colours the charts were built with. */
  #colorKey = '';

  /** Number of histogram bins (8–512). */
  get bins(): number {
    return this.getValue<number>('bins');
  }
  set bins(v: number) {
    this.setValue('bins', v);
  }

  /** Bit widths drawn as small multiples; empty for a single chart at `bits`. */
  get compare(): number[] {
    return [...this.getValue<number[]>('compare')];
  }
  set compare(v: number[] | string) {
    if (Array.isArray(v) && v.length === 0) this.removeAttribute('compare');
    else this.setValue('compare', Array.isArray(v) ? v.join(' ') : v);
  }

  override get result(): HistogramResult | null {
    return super.result as HistogramResult | null;
  }

  /**
   * The live uPlot instances by chart key (`main` or the bit width).
   * @internal
   */
  get charts(): Map<string, uPlot> {
    const out = new Map<string, uPlot>();
    for (const [key, c] of this.#charts) if (c.chart) out.set(key, c.chart);
    return out;
  }

  protected override async compute(session: QuantSession, config: QuantConfig): Promise<HistogramResult> {
    const values = this.computeData!.values;
    const bins = this.bins;
    const widths = this.compare;
    const r = await session.quantize(config);
    const others: QuantResult[] = [];
    for (const bits of widths)
      others.push(bits === config.bits ? r : await session.quantize({ ...config, bits }));
    const main = panelOf(r, config.bits);
    const panels = others.map((o, i) => panelOf(o, widths[i]));
    let [lo, hi] = extentOf(values);
    for (const p of [main, ...panels]) {
      lo = Math.min(lo, p.clipRange[0]);
      hi = Math.max(hi, p.clipRange[1]);
    }
    if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
    // Binning runs on the kit's default device (wasm: a scatter-add in its worker pool), whatever
    // device quantizes: the values are on the host already, and GPUs lack the scatter routine.
    const device = 'auto';
    const [counts, dequantizedCounts, ...compareCounts] = await Promise.all([
      histogramCounts(values, lo, hi, bins, device),
      histogramCounts(r.dequantized, lo, hi, bins, device),
      ...others.map((o) => histogramCounts(o.dequantized, lo, hi, bins, device)),
    ]);
    const edges = Float64Array.from({ length: bins + 1 }, (_, k) => lo + ((hi - lo) * k) / bins);
    return {
      ...r,
      bits: config.bits,
      shape: [...session.shape],
      device: session.device,
      bins,
      range: [lo, hi],
      edges,
      counts,
      dequantizedCounts,
      levels: main.levels,
      clipRange: main.clipRange,
      clippedCount: main.clippedCount,
      compare: panels.map((p, i) => ({ ...p, counts: compareCounts[i] })),
    };
  }

  // ---- controls ----
  #renderControls(): TemplateResult {
    return html`<div part="controls">
      ${this.compare.length > 0 ? nothing : bitsSlider(this.bits, (bits, committed) => this.userConfig({ bits }, committed))}
      ${selectControl('calibration', this.calibration, CALIBRATIONS, (calibration) => this.userConfig({ calibration }, true))}
    </div>`;
  }

  // ---- charts ----
  #panelsOf(r: HistogramResult): { key: string; panel: HistogramPanel }[] {
    if (r.compare.length > 0) return r.compare.map((p) => ({ key: String(p.bits), panel: p }));
    const panel: HistogramPanel = {
      bits: r.bits,
      sqnrDb: r.stats.sqnrDb,
      clippedFraction: r.stats.clippedFraction,
      clippedCount: r.clippedCount,
      qmin: r.qmin,
      qmax: r.qmax,
      scale: r.scale[0],
      zeroPoint: r.zeroPoint[0],
      levels: r.levels,
      clipRange: r.clipRange,
      counts: r.dequantizedCounts,
    };
    return [{ key: 'main', panel }];
  }

  #levelStep(p: Omit<HistogramPanel, 'counts'>): number {
    return p.bits <= ALL_LEVELS_BITS ? 1 : Math.ceil(p.levels.length / MAX_LEVEL_LINES);
  }

  #describe(r: HistogramResult, p: HistogramPanel): string {
    const n = r.codes.length;
    const parts = [
      `Histogram of ${n.toLocaleString()} weights in ${r.bins} bins over [${formatValue(r.range[0])}, ${formatValue(r.range[1])}]`,
      `${p.bits}-bit quantization with ${p.levels.length.toLocaleString()} levels${p.bits > ALL_LEVELS_BITS ? ' (drawn as a density)' : ''}`,
      `clip range [${formatValue(p.clipRange[0])}, ${formatValue(p.clipRange[1])}]`,
      `zero-point ${p.zeroPoint}`,
      `SQNR ${formatDb(p.sqnrDb)}`,
      `${p.clippedCount.toLocaleString()} weights clipped (${formatPercent(p.clippedFraction)})`,
    ];
    return `${parts.join('; ')}.`;
  }

  #renderChart(r: HistogramResult, key: string, p: HistogramPanel, small: boolean): TemplateResult {
    return html`<figure data-chart=${key}>
      ${
        small
          ? html`<figcaption>
              <strong>${p.bits}-bit</strong> · SQNR <strong class="sqnr">${formatDb(p.sqnrDb)}</strong> ·
              clipped ${p.clippedCount.toLocaleString()} (${formatPercent(p.clippedFraction)})
            </figcaption>`
          : nothing
      }
      <div part="chart" role="img" aria-label=${this.#describe(r, p)}></div>
    </figure>`;
  }

  #renderSummary(r: HistogramResult): TemplateResult {
    const comparing = r.compare.length > 0;
    const n = r.codes.length;
    return html`<p part="summary">
      ${n.toLocaleString()} weights (${r.shape.join(' × ')}), ${r.bins} bins.
      ${
        comparing
          ? html`Each chart quantizes the same weights with ${this.calibration} calibration at one bit width.`
          : html`At <span class="num">${r.bits}</span> bits: clip range
              <span class="num">[${formatValue(r.clipRange[0])}, ${formatValue(r.clipRange[1])}]</span>, scale
              <span class="num">${formatValue(r.scale[0], 4)}</span>, zero-point
              <span class="num">${r.zeroPoint[0]}</span>${
                r.scale.length > 1
                  ? html` (first of ${r.scale.length} blocks; the grid drawn is the first block's)`
                  : nothing
              }; <strong class="clipped">${r.clippedCount.toLocaleString()}</strong> weights clipped
              (${formatPercent(r.stats.clippedFraction)}); SQNR
              <span class="num">${formatDb(r.stats.sqnrDb)}</span>.`
      }
    </p>`;
  }

  #renderLegend(): TemplateResult {
    return html`<ul part="legend" class="legend">
      <li><span class="swatch original"></span>original</li>
      <li><span class="swatch dequantized"></span>dequantized</li>
      <li><span class="swatch level"></span>levels</li>
      <li><span class="swatch clip"></span>clipped region</li>
    </ul>`;
  }

  #renderTable(r: HistogramResult): TemplateResult {
    const panels = this.#panelsOf(r).map((x) => x.panel);
    return html`<table class="visually-hidden">
      <caption>
        Quantization by bit width
      </caption>
      <thead>
        <tr>
          <th scope="col">bits</th>
          <th scope="col">SQNR</th>
          <th scope="col">clipped</th>
          <th scope="col">clip range</th>
        </tr>
      </thead>
      <tbody>
        ${panels.map(
          (p) =>
            html`<tr>
              <th scope="row">${p.bits}</th>
              <td>${formatDb(p.sqnrDb)}</td>
              <td>${p.clippedCount} (${formatPercent(p.clippedFraction)})</td>
              <td>${formatValue(p.clipRange[0])} to ${formatValue(p.clipRange[1])}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  #colors(): Colors {
    const cs = getComputedStyle(this);
    const get = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
    return {
      original: get('--_h-original', '#0969da'),
      dequantized: get('--_h-dequantized', '#d4640b'),
      level: get('--_h-level', '#57606a'),
      clip: get('--_h-clip', '#cf222e'),
      zero: get('--_h-zero', '#1c2128'),
      fg: get('--_fg', '#1c2128'),
      muted: get('--_muted', '#57606a'),
      border: get('--_border', '#d0d7de'),
      font: get('--_font', 'system-ui'),
    };
  }

  #draw(u: uPlot, key: string, c: Colors): void {
    const o = this.#overlays.get(key);
    if (!o) return;
    const { ctx, bbox } = u;
    const { panel } = o;
    const px = (v: number) => u.valToPos(v, 'x', true);
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
    ctx.clip();
    // Clipped regions: outside the clip range.
    ctx.fillStyle = withAlpha(c.clip, 0.12);
    const [clo, chi] = panel.clipRange;
    const left = px(clo);
    const right = px(chi);
    if (left > bbox.left) ctx.fillRect(bbox.left, bbox.top, left - bbox.left, bbox.height);
    if (right < bbox.left + bbox.width)
      ctx.fillRect(right, bbox.top, bbox.left + bbox.width - right, bbox.height);
    ctx.strokeStyle = c.clip;
    ctx.lineWidth = dpr;
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.beginPath();
    for (const x of [left, right]) {
      ctx.moveTo(Math.round(x) + 0.5, bbox.top);
      ctx.lineTo(Math.round(x) + 0.5, bbox.top + bbox.height);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    // Levels: every one up to 6 bits as full-height lines; beyond, an even
    // subset as a rug along the bottom (their density), so the bars stay readable.
    const span = Math.abs(px(panel.levels[panel.levels.length - 1]) - px(panel.levels[0]));
    const spacing = span / Math.max(1, panel.levels.length - 1);
    const step = Math.max(this.#levelStep(panel), spacing > 0 ? Math.ceil((3 * dpr) / spacing) : 1);
    const top = step > 1 ? bbox.top + bbox.height * 0.88 : bbox.top;
    ctx.strokeStyle = withAlpha(c.level, step > 1 ? 0.8 : 0.6);
    ctx.lineWidth = dpr;
    ctx.beginPath();
    for (let i = 0; i < panel.levels.length; i += step) {
      const x = Math.round(px(panel.levels[i])) + 0.5;
      ctx.moveTo(x, top);
      ctx.lineTo(x, bbox.top + bbox.height);
    }
    ctx.stroke();
    // Zero-point: the level of code z is exactly 0.
    const z = Math.round(px(0)) + 0.5;
    ctx.strokeStyle = c.zero;
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath();
    ctx.moveTo(z, bbox.top);
    ctx.lineTo(z, bbox.top + bbox.height);
    ctx.stroke();
    ctx.fillStyle = c.zero;
    ctx.font = `${11 * dpr}px ${c.font}`;
    ctx.textBaseline = 'top';
    const label = `z=${panel.zeroPoint}`;
    const w = ctx.measureText(label).width;
    ctx.fillText(label, Math.min(z + 3 * dpr, bbox.left + bbox.width - w - 2 * dpr), bbox.top + 2 * dpr);
    ctx.restore();
  }

  #chartSpec(
    r: HistogramResult,
    key: string,
    p: HistogramPanel,
    small: boolean,
    yMax: number,
    c: Colors,
  ): ChartSpec {
    const centers = Array.from({ length: r.bins }, (_, k) => (r.edges[k] + r.edges[k + 1]) / 2);
    this.#overlays.set(key, { panel: p, range: r.range, yMax });
    const height = Math.round(this.#height() * (small ? 0.7 : 1));
    const axis = {
      stroke: c.muted,
      grid: { stroke: withAlpha(c.border, 0.6), width: 1 },
      ticks: { stroke: c.border, width: 1 },
    };
    return {
      height,
      data: [centers, Array.from(r.counts), Array.from(p.counts)],
      options: {
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: {
          x: { time: false, range: () => this.#overlays.get(key)?.range ?? [0, 1] },
          y: { range: () => [0, this.#overlays.get(key)?.yMax ?? 1] },
        },
        axes: [
          { ...axis, size: small ? 30 : 36 },
          { ...axis, size: small ? 44 : 52, values: (_u: uPlot, ticks: number[]) => ticks.map(compactCount) },
        ],
        series: [
          {},
          {
            label: 'original',
            stroke: c.original,
            fill: withAlpha(c.original, 0.45),
            width: 1,
            paths: this.#barsPaths(),
            points: { show: false },
          },
          {
            label: 'dequantized',
            stroke: c.dequantized,
            fill: withAlpha(c.dequantized, 0.18),
            width: 1.5,
            paths: this.#barsPaths(),
            points: { show: false },
          },
        ],
        hooks: { draw: [(u: uPlot) => this.#draw(u, key, c)] },
      },
    };
  }

  #barsPaths(): uPlot.Series.PathBuilder | undefined {
    return uPlot.paths.bars?.({ size: [1, Infinity], gap: 0 });
  }

  #height(): number {
    const text = getComputedStyle(this).getPropertyValue('--_h-height').trim();
    const n = parseFloat(text);
    return Number.isFinite(n) && n > 40 ? n : 220;
  }

  protected override resultRendered(result: unknown): void {
    this.#drawCharts(result as HistogramResult, false);
  }

  /** Light ↔ dark: the tokens resolve to new colours, so the charts are rebuilt with them. */
  readonly #onSchemeChange = () => {
    if (this.result) this.#drawCharts(this.result, true);
  };
  #scheme: MediaQueryList | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#scheme = window.matchMedia('(prefers-color-scheme: dark)');
    this.#scheme.addEventListener('change', this.#onSchemeChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#scheme?.removeEventListener('change', this.#onSchemeChange);
    this.#scheme = null;
  }

  #drawCharts(r: HistogramResult, rebuild: boolean): void {
    const panels = this.#panelsOf(r);
    const small = r.compare.length > 0;
    const c = this.#colors();
    const colorKey = JSON.stringify(c);
    if (colorKey !== this.#colorKey) rebuild = true;
    this.#colorKey = colorKey;
    let yMax = 1;
    const origMax = Math.max(1, ...r.counts);
    for (const { panel } of panels) {
      const deqMax = Math.max(...panel.counts);
      yMax = Math.max(yMax, origMax, Math.min(deqMax, SPIKE_CAP * origMax));
    }
    yMax = Math.ceil(yMax * 1.05);
    const keys = new Set(panels.map((x) => x.key));
    for (const [key, controller] of this.#charts) {
      if (!keys.has(key)) {
        controller.dispose();
        this.#charts.delete(key);
        this.#overlays.delete(key);
      }
    }
    for (const { key, panel } of panels) {
      let controller = this.#charts.get(key);
      if (!controller) {
        controller = new ChartController(this, () =>
          this.renderRoot.querySelector<HTMLElement>(`figure[data-chart="${key}"] [part~='chart']`),
        );
        this.#charts.set(key, controller);
      }
      controller.render(this.#chartSpec(r, key, panel, small, yMax, c), rebuild);
    }
  }

  override render(): TemplateResult {
    const r = this.result;
    const panels = r ? this.#panelsOf(r) : [];
    const small = panels.length > 0 && r!.compare.length > 0;
    return html`<section part="base" aria-label="Weight histogram" aria-busy=${this._busy ? 'true' : 'false'}>
      ${this.#renderControls()} ${this.renderError()}
      ${
        r
          ? html`${this.#renderSummary(r)} ${this.#renderLegend()}
              <div class="charts ${small ? 'multiples' : ''}">
                ${repeat(
                  panels,
                  (x) => x.key,
                  (x) => this.#renderChart(r, x.key, x.panel, small),
                )}
              </div>
              ${this.#renderTable(r)}`
          : nothing
      }
      ${this.renderStatus()}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quant-histogram': QuantHistogram;
  }
}
