import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { styleProps } from '../../internal/style-props.js';
import { FORMATS } from '../../core/fields.js';
import type { QuantConfig, QuantSession } from '../../core/index.js';
import { extendResult } from '../../core/result.js';
import { packedPixel, readTokens, rgba } from '../../internal/colors.js';
import { bitsSlider, selectControl } from '../../internal/controls.js';
import { fieldProperty, weightProperties } from '../../internal/fields.js';
import { formatPercent } from '../../internal/format.js';
import { handleGridKey } from '../../internal/grid-keys.js';
import { rowsCols } from '../../internal/layout.js';

/** Cells of a result, from its shape (reading `dequantized` would copy it back). */
function cellCount(r: { shape: readonly number[] }): number {
  return r.shape.reduce((a, b) => a * b, 1);
}
import {
  QuantizingElement,
  type QuantizedResult,
  type WeightData,
} from '../../internal/quantizing-element.js';
import {
  cellAt,
  cellDetail,
  describeCell,
  errorModeField,
  formatOf,
  heatmapView,
  pageRows,
  paintCells,
  paletteField,
  thresholdsField,
  type BandPixels,
  type HeatmapErrorMode,
  type HeatmapPalette,
  type HeatmapView,
  type Thresholds,
} from './quant-heatmap.model.js';
import { heatmapStyles } from './quant-heatmap.styles.js';

/** The quantization with its clip mask; errors, bands and thresholds are the view's (see the model). */
export interface HeatmapResult extends QuantizedResult {
  /** 1 where the cell was clipped: its unclamped code fell outside [qmin, qmax] (as the engine decided). */
  clipped: Uint8Array;
  /** |x − x̂| per cell in float32, computed on the device: what the grid draws in `abs` mode. */
  absError: Float32Array;
}

/** The colour tokens of the grid (set by the styles per palette, overridable per element). */
const COLOUR_TOKENS: Record<keyof BandPixels, [string, string]> = {
  low: ['--_low', '#2f6fdf'],
  mid: ['--_mid', '#8e44c9'],
  high: ['--_high', '#d7263d'],
  clipped: ['--_clipped', '#f2a900'],
};

/** What relative errors are in units of: the scale is the int grid's step; other formats' steps vary. */
const relativeUnit = (r: HeatmapResult) => (formatOf(r) === 'int' ? 'scale' : 'local step');

/** Properties whose change repaints the grid without a new result. */
const VIEW_PROPERTIES = ['thresholds', 'errorMode', 'palette'] as const;

/**
 * Per-weight quantization error as a heatmap: one canvas pixel per weight, coloured
 * by threshold band, with a legend of band counts. Click a cell, or focus the grid
 * and move with the arrow keys and press Enter, to see its numbers.
 *
 * @tag quant-heatmap
 * @summary Where quantization error lands, weight by weight.
 *
 * @attr {string} shape - `ROWSxCOLS`, each 1–4096, at most 4,194,304 elements. Default `32x32`.
 * @attr {string} thresholds - Two increasing numbers ≥ 0: bands < a, a–b, > b. Default `0.001 0.01`.
 * @attr {'abs' | 'relative'} error - `abs` (|x − x̂|) or `relative` (|x − x̂| / the local step: the scale for `int`, for other formats the gap between the representable values around x times the block's scale; at most 0.5 unless clipped). Property `errorMode`. Default abs.
 * @attr {'default' | 'colorblind'} palette - `default` (blue / purple / red) or `colorblind` (viridis-like, colour-blind safe). Default default.
 *
 * @fires {CustomEvent<QuantSelectDetail>} quant-select - A cell was selected. Detail: `{row, col, value, code, dequantized, error}` (error in `error` mode units).
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
export class QuantHeatmap extends QuantizingElement<HeatmapResult> {
  static override styles = [...QuantizingElement.styles, heatmapStyles];
  static override properties = {
    shape: weightProperties([32, 32]).shape,
    thresholds: fieldProperty(thresholdsField, 'thresholds'),
    errorMode: fieldProperty(errorModeField, 'error'),
    palette: fieldProperty(paletteField, 'palette'),
  };

  /** Band thresholds `[a, b]` (set an array or the attribute's text). View-only. */
  declare thresholds: Thresholds;
  /** `abs` or `relative` (the `error` attribute; `error` the property is the last error, SPEC §2.3). View-only. */
  declare errorMode: HeatmapErrorMode;
  /** `default` or `colorblind`. View-only. */
  declare palette: HeatmapPalette;

  /** Flat index of the selected cell, or null. */
  @state() private _selected: number | null = null;
  /** Flat index of the keyboard cursor. */
  @state() private _cursor = 0;
  @state() private _focused = false;
  @state() private _announcement = '';

  #image: ImageData | null = null;
  #draws = 0;

  /** The selected cell `{row, col}`, or null. */
  get selectedCell(): { row: number; col: number } | null {
    const r = this.result;
    if (this._selected === null || !r) return null;
    const [, cols] = rowsCols(r.shape);
    return { row: Math.floor(this._selected / cols), col: this._selected % cols };
  }

  /** Selects a cell as a click would (emits quant-select). */
  selectCell(row: number, col: number): void {
    const r = this.result;
    if (!r) return;
    const [rows, cols] = rowsCols(r.shape);
    if (row >= 0 && row < rows && col >= 0 && col < cols) this.#select(row * cols + col);
  }

  protected override async compute(
    session: QuantSession,
    _weights: WeightData,
    config: QuantConfig,
  ): Promise<HeatmapResult> {
    // The view draws |x − x̂| and the mask alone: the codes, the dequantized values (a selected
    // cell's detail) and the statistics (not shown) are read on first access.
    // A selected cell's detail shows its code and x̂: read them with the result, so the render
    // during the next computation never recomputes this one (the session frees what is unread).
    const detail = this._selected !== null ? (['codes', 'dequantized'] as const) : [];
    const r = await session.quantize(config, {
      clipMask: true,
      absError: true,
      read: ['absError', 'clipped', ...detail],
      statsLater: true,
    });
    // Both were asked for and read: the session always returns them.
    return extendResult(r, { clipped: r.clipped!, absError: r.absError! });
  }

  /** The view of the current result under the view attributes (memoized by the model). */
  #view(): HeatmapView | null {
    const r = this.result;
    const x = this.data?.values;
    return r && x ? heatmapView(r, x, this.errorMode, this.thresholds) : null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // A new result may have fewer cells.
    const n = this.result ? cellCount(this.result) : 0;
    if (this._selected !== null && this._selected >= n) this._selected = null;
    if (this._cursor >= n) this._cursor = 0;
  }

  protected override updated(changed: PropertyValues): void {
    const draws = this.#draws;
    super.updated(changed);
    if (this.#draws === draws && VIEW_PROPERTIES.some((p) => changed.has(p))) this.draw();
  }

  // ---- drawing ----
  protected override draw(): void {
    this.#draws++;
    const r = this.result;
    const view = this.#view();
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[part~="grid"]');
    const ctx = canvas?.getContext('2d');
    if (!r || !view || !canvas || !ctx) return;
    const [rows, cols] = rowsCols(r.shape);
    if (canvas.width !== cols) canvas.width = cols;
    if (canvas.height !== rows) canvas.height = rows;
    if (this.#image?.width !== cols || this.#image.height !== rows)
      this.#image = ctx.createImageData(cols, rows);
    // Tokens are read on every draw, so redraw() picks up a changed --quant-heatmap-* property.
    const tokens = readTokens(canvas, COLOUR_TOKENS);
    const colours = Object.fromEntries(
      Object.entries(tokens).map(([band, colour]) => [band, packedPixel(rgba(colour))]),
    ) as BandPixels;
    paintCells(new Uint32Array(this.#image.data.buffer), view, r.clipped, colours);
    ctx.putImageData(this.#image, 0, 0);
  }

  // ---- selection ----
  #select(i: number): void {
    const r = this.result;
    const x = this.data?.values;
    const view = this.#view();
    if (!r || !x || !view) return;
    // Read now, while the session holds them: the detail renders from them (see compute).
    void r.codes;
    void r.dequantized;
    this._selected = i;
    this._cursor = i;
    this._announcement = `Selected. ${describeCell(i, view, r)}.`;
    const [, cols] = rowsCols(r.shape);
    this.emit('quant-select', {
      row: Math.floor(i / cols),
      col: i % cols,
      value: x[i],
      code: r.codes[i],
      dequantized: r.dequantized[i],
      error: view.errors[i],
    });
  }

  #onClick(e: MouseEvent): void {
    const r = this.result;
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    if (!r || box.width <= 0 || box.height <= 0) return;
    const i = cellAt((e.clientX - box.left) / box.width, (e.clientY - box.top) / box.height, r.shape);
    if (i !== null) this.#select(i);
  }

  #onKeyDown(e: KeyboardEvent): void {
    const r = this.result;
    const view = this.#view();
    if (!r || !view) return;
    const [rows, cols] = rowsCols(r.shape);
    const at = { row: Math.floor(this._cursor / cols), col: this._cursor % cols };
    const action = handleGridKey(e, at, { rows, cols, page: pageRows(rows) });
    if (!action) return;
    if ('select' in action) {
      this.#select(this._cursor);
      return;
    }
    this._cursor = action.move.row * cols + action.move.col;
    this._announcement = describeCell(this._cursor, view, r);
  }

  // ---- rendering ----
  #renderControls(): TemplateResult {
    // Controls are live (they set attributes); bits apply to the int format only.
    const r = this.result;
    return html`<div part="controls">
      ${
        this.format === 'int'
          ? bitsSlider(
              this.bits,
              (bits, committed) => this.userConfig({ bits }, committed),
              this.named('bits'),
            )
          : nothing
      }
      ${selectControl(
        'error',
        this.errorMode,
        [
          ['abs', 'absolute |x − x̂|'],
          ['relative', `relative |x − x̂| / ${r ? relativeUnit(r) : 'step'}`],
        ],
        (mode) => (this.errorMode = mode),
        this.named('error'),
      )}
      ${selectControl(
        'format',
        this.format,
        FORMATS,
        (format) => this.userConfig({ format }, true),
        this.named('format'),
      )}
    </div>`;
  }

  #mark(kind: 'cursor' | 'selected', i: number, rows: number, cols: number): TemplateResult {
    const [row, col] = [Math.floor(i / cols), i % cols];
    const box = {
      left: `${(col / cols) * 100}%`,
      top: `${(row / rows) * 100}%`,
      width: `${100 / cols}%`,
      height: `${100 / rows}%`,
    };
    return html`<div class="mark ${kind}" ${styleProps(box)} aria-hidden="true"></div>`;
  }

  #renderChart(r: HeatmapResult): TemplateResult {
    const [rows, cols] = rowsCols(r.shape);
    const label =
      `Quantization error heatmap, ${rows} rows by ${cols} columns, row 0 at the top. ` +
      'Click a cell, or use the arrow keys to move and Enter to select.';
    const frame = { width: `min(100%, calc(var(--_max-height) * ${cols / rows}))` };
    return html`<div part="chart" ${styleProps(frame)}>
      <canvas
        part="grid"
        width=${cols}
        height=${rows}
        ${styleProps({ 'aspect-ratio': `${cols} / ${rows}` })}
        tabindex="0"
        role="application"
        aria-label=${this.named(label)}
        @click=${this.#onClick}
        @keydown=${this.#onKeyDown}
        @focus=${() => (this._focused = true)}
        @blur=${() => (this._focused = false)}
      ></canvas>
      ${this._selected !== null ? this.#mark('selected', this._selected, rows, cols) : nothing}
      ${this._focused ? this.#mark('cursor', this._cursor, rows, cols) : nothing}
    </div>`;
  }

  #renderLegend(r: HeatmapResult, view: HeatmapView): TemplateResult {
    const n = cellCount(r);
    const [a, b] = view.thresholds;
    const unit = view.errorMode === 'relative' ? `|x − x̂| / ${relativeUnit(r)}` : '|x − x̂|';
    const item = (cls: string, label: string, count: number) =>
      html`<li>
        <span class="swatch ${cls}" aria-hidden="true"></span><span>${label}:</span
        ><span class="count" data-band=${cls}>${count.toLocaleString()} (${formatPercent(count / n)})</span>
      </li>`;
    return html`<ul part="legend" aria-label=${`Error bands of ${unit}`}>
      ${item('low', `${unit} < ${a}`, view.bands.low)} ${item('mid', `${a} – ${b}`, view.bands.mid)}
      ${item('high', `> ${b}`, view.bands.high)}
      ${item('clipped', 'clipped (drawn in this colour)', view.clippedCount)}
    </ul>`;
  }

  #renderDetail(r: HeatmapResult, x: Float32Array, view: HeatmapView): TemplateResult {
    const i = this._selected;
    if (i === null) return html`<div part="detail"><p>Select a cell to see its numbers.</p></div>`;
    return html`<div part="detail">
      <dl>
        ${cellDetail(i, view, r, x).map(
          ([name, value]) =>
            html`<div>
              <dt>${name}</dt>
              <dd>${value}</dd>
            </div>`,
        )}
      </dl>
    </div>`;
  }

  override render(): TemplateResult {
    const r = this.result;
    const x = this.data?.values;
    const view = this.#view();
    // The wrapper carries the palette (display: contents): the legend and the canvas read the same tokens.
    const body = html`${
        r && x && view
          ? html`<div class="view" data-palette=${this.palette}>
              ${this.#renderChart(r)} ${this.#renderLegend(r, view)} ${this.#renderDetail(r, x, view)}
            </div>`
          : nothing
      }
      <p class="visually-hidden" aria-live="polite">${this._announcement}</p>`;
    return this.frame('Quantization error heatmap', this.#renderControls(), body);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quant-heatmap': QuantHeatmap;
  }
}
