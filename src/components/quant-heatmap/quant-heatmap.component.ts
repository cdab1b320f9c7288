import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { type QuantConfig, type QuantResult, type QuantSession } from '../../core/index.js';
import { SHARED_ATTRIBUTES, oneOf, parseNumber, type AttributeSpec } from '../../internal/attributes.js';
import { bitsSlider, selectControl } from '../../internal/controls.js';
import { formatPercent, formatValue } from '../../internal/format.js';
import { QuantElement, type WeightData } from '../../internal/quant-element.js';
import { heatmapStyles } from './quant-heatmap.styles.js';

export type HeatmapErrorMode = 'abs' | 'relative';
export type HeatmapPalette = 'default' | 'colorblind';
export type HeatmapBand = 'low' | 'mid' | 'high';

export interface HeatmapBandCounts {
  /** error < thresholds[0] */
  low: number;
  /** thresholds[0] ≤ error ≤ thresholds[1] */
  mid: number;
  /** error > thresholds[1] */
  high: number;
}

export interface HeatmapResult extends QuantResult {
  /** [rows, cols]; a 1-D tensor is one row. */
  shape: [number, number];
  /** What `errors` holds: |x − x̂| (`abs`) or |x − x̂| / scale of the cell's block (`relative`). */
  errorMode: HeatmapErrorMode;
  /** Per cell, row-major, in `errorMode` units. */
  errors: Float32Array;
  thresholds: [number, number];
  /** Cells per band (they sum to the number of cells; clipped cells count in their band too). */
  bands: HeatmapBandCounts;
  /** 1 where the cell was clipped: its unclamped code fell outside [qmin, qmax] (as the engine decided). */
  clipped: Uint8Array;
  clippedCount: number;
  device: string;
}

const thresholdsSpec: AttributeSpec<[number, number]> = {
  attribute: 'thresholds',
  property: 'thresholds',
  // Errors are never negative, so a negative threshold could only mean a mistake.
  allowed: 'two increasing numbers ≥ 0, e.g. "0.001 0.01"',
  parse(text) {
    const parts = text
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean);
    if (parts.length !== 2) return undefined;
    const [a, b] = parts.map(parseNumber);
    if (a === undefined || b === undefined || !(a >= 0) || !(b > a)) return undefined;
    return [a, b];
  },
};

const errorSpec: AttributeSpec<HeatmapErrorMode> = {
  attribute: 'error',
  property: 'errorMode',
  allowed: 'abs or relative',
  parse: oneOf(['abs', 'relative'] as const),
};

const paletteSpec: AttributeSpec<HeatmapPalette> = {
  attribute: 'palette',
  property: 'palette',
  allowed: 'default or colorblind',
  parse: oneOf(['default', 'colorblind'] as const),
};

/** Band of one error value. */
export function bandOf(error: number, thresholds: readonly [number, number]): HeatmapBand {
  if (error < thresholds[0]) return 'low';
  return error > thresholds[1] ? 'high' : 'mid';
}

/** RGBA of a CSS colour, via a 1×1 canvas (handles every syntax the browser knows). */
const colourCache = new Map<string, [number, number, number, number]>();
let probe: CanvasRenderingContext2D | null = null;
function rgba(colour: string): [number, number, number, number] {
  const cached = colourCache.get(colour);
  if (cached) return cached;
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return [0, 0, 0, 255];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000';
  probe.fillStyle = colour;
  probe.fillRect(0, 0, 1, 1);
  const d = probe.getImageData(0, 0, 1, 1).data;
  const value: [number, number, number, number] = [d[0], d[1], d[2], d[3]];
  if (colourCache.size > 64) colourCache.clear();
  colourCache.set(colour, value);
  return value;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function packed([r, g, b, a]: [number, number, number, number]): number {
  return littleEndian
    ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/**
 * Per-weight quantization error as a heatmap: one canvas pixel per weight, coloured
 * by threshold band, with a legend of band counts. Click a cell, or focus the grid
 * and move with the arrow keys and press Enter, to see its numbers.
 *
 * @tag quant-heatmap
 * @summary Where quantization error lands, weight by weight.
 *
 * @attr thresholds - Two increasing numbers ≥ 0: bands < a, a–b, > b. Default `0.001 0.01`.
 * @attr error - `abs` (|x − x̂|) or `relative` (|x − x̂| / scale; at most 0.5 unless clipped). Property `errorMode`. Default abs.
 * @attr palette - `default` (blue / purple / red) or `colorblind` (viridis-like, colour-blind safe). Default default.
 *
 * @fires quant-select - A cell was selected. Detail: `{row, col, value, code, dequantized, error}` (error in `error` mode units).
 *
 * @csspart chart - Box around the grid canvas and its cursor marks.
 * @csspart grid - The canvas: one pixel per weight, row 0 at the top; its box holds exactly the cells.
 * @csspart legend - Band counts and shares.
 * @csspart detail - The selected cell's numbers.
 *
 * @cssprop --quant-heatmap-low - Colour of errors below the first threshold.
 * @cssprop --quant-heatmap-mid - Colour of errors between the thresholds.
 * @cssprop --quant-heatmap-high - Colour of errors above the second threshold.
 * @cssprop --quant-heatmap-clipped - Colour of clipped cells.
 * @cssprop --quant-heatmap-cursor - Outline of the keyboard cursor.
 * @cssprop --quant-heatmap-selected - Outline of the selected cell.
 * @cssprop --quant-heatmap-max-height - Tallest the grid grows (its width follows the aspect ratio). Default 480px.
 */
export class QuantHeatmap extends QuantElement {
  static override styles = [...QuantElement.styles, heatmapStyles];
  static override attributeSpecs = [
    ...SHARED_ATTRIBUTES,
    thresholdsSpec as AttributeSpec,
    errorSpec as AttributeSpec,
    paletteSpec as AttributeSpec,
  ];
  static override defaults = {
    ...QuantElement.defaults,
    shape: [32, 32],
    thresholds: [0.001, 0.01],
    errorMode: 'abs',
    palette: 'default',
  };

  /** Flat index of the selected cell, or null. */
  @state() private _selected: number | null = null;
  /** Flat index of the keyboard cursor. */
  @state() private _cursor = 0;
  @state() private _focused = false;
  @state() private _announcement = '';

  #quantCache: { session: QuantSession; data: WeightData | null; key: string; result: QuantResult } | null =
    null;

  /** Band thresholds `[a, b]`. */
  get thresholds(): [number, number] {
    return [...this.getValue<[number, number]>('thresholds')] as [number, number];
  }
  set thresholds(v: [number, number] | string) {
    this.setValue('thresholds', v);
  }

  /** `abs` or `relative` (the `error` attribute; `error` the property is the last error, SPEC §2.3). */
  get errorMode(): HeatmapErrorMode {
    return this.getValue<HeatmapErrorMode>('errorMode');
  }
  set errorMode(v: HeatmapErrorMode) {
    this.setValue('errorMode', v);
  }

  get palette(): HeatmapPalette {
    return this.getValue<HeatmapPalette>('palette');
  }
  set palette(v: HeatmapPalette) {
    this.setValue('palette', v);
  }

  override get result(): HeatmapResult | null {
    return super.result as HeatmapResult | null;
  }

  /** The selected cell `{row, col}`, or null. */
  get selectedCell(): { row: number; col: number } | null {
    const r = this.result;
    if (this._selected === null || !r) return null;
    return { row: Math.floor(this._selected / r.shape[1]), col: this._selected % r.shape[1] };
  }

  /** Selects a cell as a click would (emits quant-select). */
  selectCell(row: number, col: number): void {
    const r = this.result;
    if (!r) return;
    const [rows, cols] = r.shape;
    if (!(row >= 0 && row < rows && col >= 0 && col < cols)) return;
    this.#select(row * cols + col);
  }

  /** Redraws the canvas, e.g. after changing a `--quant-heatmap-*` property. */
  redraw(): void {
    const r = this.result;
    if (r) this.#draw(r);
  }

  protected override async compute(session: QuantSession, config: QuantConfig): Promise<HeatmapResult> {
    // A threshold, error-mode or palette change reuses the quantization.
    const key = JSON.stringify(config);
    const data = this.computeData;
    const cache = this.#quantCache;
    let q: QuantResult;
    if (cache && cache.session === session && cache.data === data && cache.key === key) q = cache.result;
    else {
      q = await session.quantize(config, { clipMask: true });
      this.#quantCache = { session, data, key, result: q };
    }
    const x = data?.values ?? new Float32Array(q.codes.length);
    const shape: [number, number] =
      session.shape.length === 2 ? [session.shape[0], session.shape[1]] : [1, q.codes.length];
    const n = q.codes.length;
    const mode = this.errorMode;
    const thresholds = this.thresholds;
    const errors = new Float32Array(n);
    // The engine's own decision (unclamped code outside [qmin, qmax]), stochastic rounding included.
    const clipped = q.clipped ?? new Uint8Array(n);
    const bands: HeatmapBandCounts = { low: 0, mid: 0, high: 0 };
    const blockLength = n / q.scale.length;
    let clippedCount = 0;
    for (let b = 0; b < q.scale.length; b++) {
      const s = q.scale[b];
      const end = (b + 1) * blockLength;
      for (let i = b * blockLength; i < end; i++) {
        const abs = Math.abs(x[i] - q.dequantized[i]);
        errors[i] = mode === 'relative' ? abs / s : abs;
        const stored = errors[i];
        if (stored < thresholds[0]) bands.low++;
        else if (stored > thresholds[1]) bands.high++;
        else bands.mid++;
        clippedCount += clipped[i];
      }
    }
    if (this._selected !== null && this._selected >= n) this._selected = null;
    if (this._cursor >= n) this._cursor = 0;
    return {
      ...q,
      shape,
      errorMode: mode,
      errors,
      thresholds,
      bands,
      clipped,
      clippedCount,
      device: session.device,
    };
  }

  protected override resultRendered(result: unknown): void {
    this.#draw(result as HeatmapResult);
  }

  // ---- drawing ----
  #colours(): Record<HeatmapBand | 'clipped', number> {
    const base = this.renderRoot.querySelector<HTMLElement>('[part~="base"]');
    const style = base ? getComputedStyle(base) : null;
    const read = (name: string, fallback: string) =>
      packed(rgba(style?.getPropertyValue(name).trim() || fallback));
    return {
      low: read('--_low', '#2f6fdf'),
      mid: read('--_mid', '#8e44c9'),
      high: read('--_high', '#d7263d'),
      clipped: read('--_clipped', '#f2a900'),
    };
  }

  #draw(r: HeatmapResult): void {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[part~="grid"]');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const [rows, cols] = r.shape;
    if (canvas.width !== cols) canvas.width = cols;
    if (canvas.height !== rows) canvas.height = rows;
    const image = ctx.createImageData(cols, rows);
    const pixels = new Uint32Array(image.data.buffer);
    const c = this.#colours();
    const [t0, t1] = r.thresholds;
    const { errors, clipped } = r;
    for (let i = 0; i < errors.length; i++) {
      const e = errors[i];
      pixels[i] = clipped[i] ? c.clipped : e < t0 ? c.low : e > t1 ? c.high : c.mid;
    }
    ctx.putImageData(image, 0, 0);
  }

  // ---- selection ----
  #describe(i: number, r: HeatmapResult): string {
    const cols = r.shape[1];
    const band = bandOf(r.errors[i], r.thresholds);
    const unit = r.errorMode === 'relative' ? ' × scale' : '';
    return `Row ${Math.floor(i / cols)}, column ${i % cols}: error ${formatValue(r.errors[i], 3)}${unit}, ${band} band${
      r.clipped[i] ? ', clipped' : ''
    }`;
  }

  #select(i: number): void {
    const r = this.result;
    const x = this.data?.values;
    if (!r || !x) return;
    this._selected = i;
    this._cursor = i;
    this._announcement = `Selected. ${this.#describe(i, r)}.`;
    const cols = r.shape[1];
    this.emit('quant-select', {
      row: Math.floor(i / cols),
      col: i % cols,
      value: x[i],
      code: r.codes[i],
      dequantized: r.dequantized[i],
      error: r.errors[i],
    });
  }

  #cellAt(e: MouseEvent, r: HeatmapResult): number | null {
    const canvas = e.currentTarget as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) return null;
    const [rows, cols] = r.shape;
    const fx = (e.clientX - box.left) / box.width;
    const fy = (e.clientY - box.top) / box.height;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return null;
    const col = Math.min(cols - 1, Math.floor(fx * cols));
    const row = Math.min(rows - 1, Math.floor(fy * rows));
    return row * cols + col;
  }

  #onClick(e: MouseEvent): void {
    const r = this.result;
    if (!r) return;
    const i = this.#cellAt(e, r);
    if (i !== null) this.#select(i);
  }

  #onKeyDown(e: KeyboardEvent): void {
    const r = this.result;
    if (!r) return;
    const [rows, cols] = r.shape;
    let row = Math.floor(this._cursor / cols);
    let col = this._cursor % cols;
    const step = e.shiftKey ? 10 : 1;
    const page = Math.max(1, Math.round(rows / 10));
    switch (e.key) {
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.#select(this._cursor);
        return;
      case 'ArrowLeft':
        col -= step;
        break;
      case 'ArrowRight':
        col += step;
        break;
      case 'ArrowUp':
        row -= step;
        break;
      case 'ArrowDown':
        row += step;
        break;
      case 'PageUp':
        row -= page;
        break;
      case 'PageDown':
        row += page;
        break;
      case 'Home':
        col = 0;
        if (e.ctrlKey) row = 0;
        break;
      case 'End':
        col = cols - 1;
        if (e.ctrlKey) row = rows - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    row = Math.min(rows - 1, Math.max(0, row));
    col = Math.min(cols - 1, Math.max(0, col));
    this._cursor = row * cols + col;
    this._announcement = this.#describe(this._cursor, r);
  }

  // ---- rendering ----
  #renderControls(): TemplateResult {
    return html`<div part="controls">
      ${bitsSlider(this.bits, (bits, committed) => this.userConfig({ bits }, committed))}
      ${selectControl(
        'error',
        this.errorMode,
        [
          ['abs', 'absolute |x − x̂|'],
          ['relative', 'relative |x − x̂| / scale'],
        ],
        (mode) => (this.errorMode = mode),
      )}
    </div>`;
  }

  #mark(kind: 'cursor' | 'selected', i: number, r: HeatmapResult): TemplateResult {
    const [rows, cols] = r.shape;
    const row = Math.floor(i / cols);
    const col = i % cols;
    const style = `left:${(col / cols) * 100}%;top:${(row / rows) * 100}%;width:${100 / cols}%;height:${100 / rows}%`;
    return html`<div class="mark ${kind}" style=${style} aria-hidden="true"></div>`;
  }

  #renderChart(r: HeatmapResult): TemplateResult {
    const [rows, cols] = r.shape;
    const label =
      `Quantization error heatmap, ${rows} rows by ${cols} columns, row 0 at the top. ` +
      'Click a cell, or use the arrow keys to move and Enter to select.';
    const frame = `width:min(100%, calc(var(--_max-height) * ${cols / rows}))`;
    return html`<div part="chart" style=${frame}>
      <canvas
        part="grid"
        width=${cols}
        height=${rows}
        style=${`aspect-ratio:${cols} / ${rows}`}
        tabindex="0"
        role="application"
        aria-label=${label}
        @click=${(e: MouseEvent) => this.#onClick(e)}
        @keydown=${(e: KeyboardEvent) => this.#onKeyDown(e)}
        @focus=${() => (this._focused = true)}
        @blur=${() => (this._focused = false)}
      ></canvas>
      ${this._selected !== null ? this.#mark('selected', this._selected, r) : nothing}
      ${this._focused ? this.#mark('cursor', this._cursor, r) : nothing}
    </div>`;
  }

  #renderLegend(r: HeatmapResult): TemplateResult {
    const n = r.codes.length;
    const [a, b] = r.thresholds;
    const unit = r.errorMode === 'relative' ? '|x − x̂| / scale' : '|x − x̂|';
    const item = (cls: string, label: string, count: number) =>
      html`<li>
        <span class="swatch ${cls}" aria-hidden="true"></span><span>${label}:</span
        ><span class="count" data-band=${cls}>${count.toLocaleString()} (${formatPercent(count / n)})</span>
      </li>`;
    return html`<ul part="legend" aria-label=${`Error bands of ${unit}`}>
      ${item('low', `${unit} < ${a}`, r.bands.low)} ${item('mid', `${a} – ${b}`, r.bands.mid)}
      ${item('high', `> ${b}`, r.bands.high)}
      ${item('clipped', 'clipped (drawn in this colour)', r.clippedCount)}
    </ul>`;
  }

  #renderDetail(r: HeatmapResult): TemplateResult {
    const x = this.data?.values;
    const i = this._selected;
    if (i === null || !x) {
      return html`<div part="detail"><p>Select a cell to see its numbers.</p></div>`;
    }
    const cols = r.shape[1];
    const block = Math.floor(i / (r.codes.length / r.scale.length));
    const abs = Math.abs(x[i] - r.dequantized[i]);
    const item = (name: string, value: string) =>
      html`<div>
        <dt>${name}</dt>
        <dd>${value}</dd>
      </div>`;
    return html`<div part="detail">
      <dl>
        ${item('row', String(Math.floor(i / cols)))} ${item('column', String(i % cols))}
        ${item('original x', formatValue(x[i], 6))} ${item('code q', String(r.codes[i]))}
        ${item('dequantized x̂', formatValue(r.dequantized[i], 6))}
        ${item('error |x − x̂|', formatValue(abs, 4))}
        ${item('error / scale', formatValue(abs / r.scale[block], 4))}
        ${item('band', `${bandOf(r.errors[i], r.thresholds)}${r.clipped[i] ? ', clipped' : ''}`)}
      </dl>
    </div>`;
  }

  override render(): TemplateResult {
    const r = this.result;
    return html`<section
      part="base"
      data-palette=${this.palette}
      aria-label="Quantization error heatmap"
      aria-busy=${this._busy ? 'true' : 'false'}
    >
      ${this.#renderControls()} ${this.renderError()}
      ${r ? html`${this.#renderChart(r)} ${this.#renderLegend(r)} ${this.#renderDetail(r)}` : nothing}
      <p class="visually-hidden" aria-live="polite">${this._announcement}</p>
      ${this.renderStatus()}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quant-heatmap': QuantHeatmap;
  }
}
