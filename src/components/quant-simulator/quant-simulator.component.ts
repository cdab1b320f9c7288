import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import {
  CALIBRATIONS,
  FORMATS,
  GRANULARITIES,
  ROUNDINGS,
  SCHEMES,
  type QuantConfig,
} from '../../core/config.js';
import { FORMAT_SPECS } from '../../core/formats/tables.js';
import { parseWords, type Field } from '../../core/fields.js';
import type { QuantSession } from '../../core/index.js';
import { bitsSlider, selectControl } from '../../internal/controls.js';
import type { QuantChangeDetail } from '../../internal/events.js';
import { fieldProperty } from '../../internal/fields.js';
import { formatBytes, formatDb, formatPercent, formatValue } from '../../internal/format.js';
import { handleGridKey } from '../../internal/grid-keys.js';
import {
  QuantizingElement,
  type QuantizedResult,
  type WeightData,
} from '../../internal/quantizing-element.js';
import {
  CONTROL_NAMES,
  blockOf,
  blocksLabel,
  formulaFor,
  packedBytes,
  rowsCols,
  type ControlName,
} from './quant-simulator.model.js';
import {
  bitKey,
  bitsTemplate,
  castRule,
  formatFormulaLines,
  formatParams,
  valueDigits,
} from './quant-simulator.format-views.js';
import { codeSegments, codesCaption, controlsNote, patternsUsed } from './quant-simulator.formats.js';
import { simulatorStyles } from './quant-simulator.styles.js';

/** Largest side shown cell by cell; bigger tensors get a summary. */
const MAX_SHOWN = 16;
/** Values shown around the selected element when the tensor is too big to show (an MX block). */
const STRIP = 32;

export interface SimulatorResult extends QuantizedResult {
  /** float32 storage vs packed codes plus per-block scale (float32) and zero-point (bits). */
  memory: { floatBytes: number; quantizedBytes: number };
}

const controlsField: Field<ControlName[]> = {
  default: ['bits', 'scheme'],
  allowed: `a space-separated subset of "${CONTROL_NAMES.join(' ')}", or none`,
  parse: (text) =>
    text.trim() === 'none' ? [] : parseWords(text, (w) => CONTROL_NAMES.find((c) => c === w)),
  valid: (v): v is ControlName[] => Array.isArray(v) && v.every((c) => CONTROL_NAMES.includes(c)),
  format: (v) => (v.length ? v.join(' ') : 'none'),
};

/**
 * The interactive quantization simulator: original matrix, codes (integers, or
 * a number format's bit fields), dequantized matrix, scale / zero-point, the
 * formula with the live numbers of one selected element, and error metrics.
 *
 * @tag quant-simulator
 * @summary Quantize a small matrix and see every number.
 *
 * @attr {string} shape - `ROWSxCOLS`, each 1–4096, at most 4,194,304 elements. Default `4x4`.
 * @attr {string} controls - Space-separated subset of `format bits scheme granularity rounding calibration`, or `none`. Default `bits scheme`. Under a number format the int-only controls are disabled, with a note saying why.
 *
 * @csspart matrices - The three matrices (or the summary of a large tensor).
 * @csspart formula - The formula with the selected element's numbers.
 * @csspart metrics - The error metrics.
 * @csspart params - Scale and zero-point per block.
 *
 * @cssprop --quant-simulator-cell-bg - Background of matrix cells.
 * @cssprop --quant-simulator-selected - Outline of the selected cell.
 * @cssprop --quant-simulator-sign - Colour of a float code's sign bit.
 * @cssprop --quant-simulator-exponent - Colour of a float code's exponent bits (and of an E8M0 scale byte).
 * @cssprop --quant-simulator-mantissa - Colour of a float code's mantissa bits.
 */
export class QuantSimulator extends QuantizingElement<SimulatorResult> {
  static override styles = [...QuantizingElement.styles, simulatorStyles];
  static override properties = { controls: fieldProperty(controlsField, 'controls') };

  /** Which controls are shown, of `format bits scheme granularity rounding calibration` (`[]` for none; set an array or the attribute's text). Under a number format the int-only ones are disabled, with a note saying why. */
  declare controls: ControlName[];

  /** The last result, or null: the quantization, its memory figures and its inputs (read-only). */
  override get result(): SimulatorResult | null {
    return super.result;
  }

  /** Index (row-major) of the element the formula explains. */
  @state() private _selected = 0;

  protected override async compute(
    session: QuantSession,
    _weights: WeightData,
    config: QuantConfig,
  ): Promise<SimulatorResult> {
    const r = await session.quantize(config);
    const n = r.codes.length;
    return {
      ...r,
      memory: {
        floatBytes: 4 * n,
        quantizedBytes: packedBytes(n, r.scale.length, config),
      },
    };
  }

  // ---- controls (they show the config in force; the result shows what was computed) ----
  #renderControls(): TemplateResult | typeof nothing {
    const shown = this.controls;
    if (shown.length === 0) return nothing;
    const set = (partial: Partial<QuantChangeDetail>, committed = true) =>
      this.userConfig(partial, committed);
    const select = (key: 'granularity' | 'rounding' | 'calibration', options: readonly string[]) =>
      selectControl(key, this[key], options, (value) => set({ [key]: value }), this.named(key));
    const kind = FORMAT_SPECS[this.format].kind;
    const note = controlsNote(this.format, shown);
    // A disabled fieldset disables the control inside; the note says why.
    const gate = (name: ControlName, off: boolean, control: () => TemplateResult) =>
      !shown.includes(name)
        ? nothing
        : off
          ? html`<fieldset class="gate" disabled aria-describedby="controls-note">${control()}</fieldset>`
          : control();
    const intOff = this.format !== 'int';
    return html`<div part="controls">
      ${
        shown.includes('format')
          ? selectControl('format', this.format, FORMATS, (format) => set({ format }), this.named('format'))
          : nothing
      }
      ${gate('bits', intOff, () =>
        bitsSlider(this.bits, (bits, committed) => set({ bits }, committed), this.named('bits')),
      )}
      ${gate(
        'scheme',
        intOff,
        () =>
          html`<fieldset class="control" aria-label=${this.named('scheme')}>
            <legend>scheme</legend>
            <div class="segmented">
              ${SCHEMES.map(
                (s) =>
                  html`<label
                    ><input
                      type="radio"
                      name="scheme"
                      value=${s}
                      .checked=${this.scheme === s}
                      @change=${() => set({ scheme: s })}
                    />${s}</label
                  >`,
              )}
            </div>
          </fieldset>`,
      )}
      ${gate('granularity', kind === 'mx' || kind === 'cast', () => select('granularity', GRANULARITIES))}
      ${gate('rounding', intOff, () => select('rounding', ROUNDINGS))}
      ${gate('calibration', intOff, () => select('calibration', CALIBRATIONS))}
      ${note ? html`<p class="note" id="controls-note">${note}</p>` : nothing}
    </div>`;
  }

  // ---- matrices ----
  /** The cell index an event happened in (one listener per table, not per cell). */
  #cellOf(e: Event): number | null {
    const td = (e.target as Element).closest('td[data-index]');
    return td ? Number(td.getAttribute('data-index')) : null;
  }

  #onTableClick(e: MouseEvent): void {
    const i = this.#cellOf(e);
    if (i !== null) this._selected = i;
  }

  #onTableKey(e: KeyboardEvent, rows: number, cols: number): void {
    const i = this.#cellOf(e);
    if (i === null) return;
    const action = handleGridKey(e, { row: Math.floor(i / cols), col: i % cols }, { rows, cols });
    if (!action) return;
    if ('select' in action) {
      this._selected = i;
      return;
    }
    const next = action.move.row * cols + action.move.col;
    this._selected = next;
    const table = e.currentTarget as HTMLElement;
    void this.updateComplete.then(() =>
      table.querySelector<HTMLElement>(`td[data-index="${next}"]`)?.focus(),
    );
  }

  #matrix(
    label: string,
    r: SimulatorResult,
    cell: (i: number) => string | TemplateResult,
    key: TemplateResult | typeof nothing = nothing,
  ): TemplateResult {
    const [rows, cols] = rowsCols(r.shape);
    return html`<figure class="scroll-x">
      <figcaption>${label}</figcaption>
      ${key}
      <table
        role="grid"
        aria-label=${this.named(label)}
        @click=${this.#onTableClick}
        @keydown=${(e: KeyboardEvent) => this.#onTableKey(e, rows, cols)}
      >
        ${Array.from(
          { length: rows },
          (_, row) =>
            html`<tr>
              ${Array.from({ length: cols }, (_, col) => {
                const i = row * cols + col;
                const selected = i === this.#selectedIn(r);
                return html`<td
                  data-index=${i}
                  tabindex=${selected ? 0 : -1}
                  aria-selected=${selected ? 'true' : 'false'}
                >
                  ${cell(i)}
                </td>`;
              })}
            </tr>`,
        )}
      </table>
    </figure>`;
  }

  /** The selected element, within the result's shape. */
  #selectedIn(r: SimulatorResult): number {
    return this._selected < r.codes.length ? this._selected : 0;
  }

  #renderMatrices(r: SimulatorResult, x: Float32Array): TemplateResult {
    const [rows, cols] = rowsCols(r.shape);
    if (rows > MAX_SHOWN || cols > MAX_SHOWN) return this.#renderSummary(r, x);
    const format = r.config.format;
    const digits = valueDigits(format);
    const codes =
      format === 'int'
        ? this.#matrix(`Integer codes [${r.qmin}, ${r.qmax}]`, r, (i) => String(r.codes[i]))
        : this.#matrix(
            codesCaption(format),
            r,
            (i) => bitsTemplate(codeSegments(format, r.codes[i])),
            bitKey(codeSegments(format, 0)),
          );
    return html`<div part="matrices" class="matrices">
      ${this.#matrix('Original (float32)', r, (i) => formatValue(x[i], digits))} ${codes}
      ${this.#matrix('Dequantized', r, (i) => formatValue(r.dequantized[i], digits))}
    </div>`;
  }

  #renderSummary(r: SimulatorResult, x: Float32Array): TemplateResult {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const format = r.config.format;
    let used: string;
    if (format === 'int') {
      used = `${new Set(r.codes).size.toLocaleString()} of ${(r.qmax - r.qmin + 1).toLocaleString()} codes used`;
    } else {
      const p = patternsUsed(r.codes, format);
      used = `${p.used.toLocaleString()} of ${p.total.toLocaleString()} ${format} bit patterns used`;
    }
    return html`<div part="matrices">
      <p>
        ${r.shape.join(' × ')} tensor (${x.length.toLocaleString()} values, too many to show one by one):
        values in [${formatValue(lo)}, ${formatValue(hi)}], ${used}.
      </p>
      ${this.#renderPicker(r)} ${this.#renderStrip(r, x)}
    </div>`;
  }

  /**
   * The 32 values of the selected element's row around it (aligned to 32: an MX block), one per
   * column: the value, its code (a number format's bit fields) and the dequantized value.
   */
  #renderStrip(r: SimulatorResult, x: Float32Array): TemplateResult {
    const [, cols] = rowsCols(r.shape);
    const i = this.#selectedIn(r);
    const row = Math.floor(i / cols);
    const from = row * cols + Math.floor((i % cols) / STRIP) * STRIP;
    const to = Math.min(from + STRIP, (row + 1) * cols);
    const format = r.config.format;
    const digits = valueDigits(format);
    const idx = Array.from({ length: to - from }, (_, k) => from + k);
    const label = `Row ${row}, columns ${from - row * cols}–${to - 1 - row * cols}`;
    const code = (j: number) =>
      format === 'int' ? String(r.codes[j]) : bitsTemplate(codeSegments(format, r.codes[j]));
    const line = (name: string, cell: (j: number) => string | TemplateResult) =>
      html`<tr>
        <th scope="row">${name}</th>
        ${idx.map((j) => html`<td class=${j === i ? 'selected' : ''}>${cell(j)}</td>`)}
      </tr>`;
    return html`<figure class="strip">
      <figcaption>${label}${format === 'int' ? '' : ` (${codesCaption(format)})`}</figcaption>
      ${format === 'int' ? nothing : bitKey(codeSegments(format, 0))}
      <div class="strip-scroll scroll-x" tabindex="0" role="region" aria-label=${this.named(label)}>
        <table>
          ${line('value', (j) => formatValue(x[j], digits))} ${line('code', code)}
          ${line('dequantized', (j) => formatValue(r.dequantized[j], digits))}
        </table>
      </div>
    </figure>`;
  }

  /** Too many cells to click: row and column inputs choose the element the formula explains. */
  #renderPicker(r: SimulatorResult): TemplateResult {
    const [rows, cols] = rowsCols(r.shape);
    const i = this.#selectedIn(r);
    const pick = (row: number, col: number) => {
      if (Number.isInteger(row) && Number.isInteger(col))
        this._selected = Math.min(Math.max(row, 0), rows - 1) * cols + Math.min(Math.max(col, 0), cols - 1);
    };
    const input = (e: Event) => Number((e.target as HTMLInputElement).value);
    return html`<div class="picker">
      <span>Explain the element at</span>
      <label
        >row
        <input
          type="number"
          aria-label=${this.named('row')}
          min="0"
          max=${rows - 1}
          .value=${String(Math.floor(i / cols))}
          @change=${(e: Event) => pick(input(e), i % cols)}
      /></label>
      <label
        >column
        <input
          type="number"
          aria-label=${this.named('column')}
          min="0"
          max=${cols - 1}
          .value=${String(i % cols)}
          @change=${(e: Event) => pick(Math.floor(i / cols), input(e))}
      /></label>
    </div>`;
  }

  #renderFormula(r: SimulatorResult, x: Float32Array): TemplateResult {
    const i = this.#selectedIn(r);
    const [, cols] = rowsCols(r.shape);
    const where = r.shape.length === 2 ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `index ${i}`;
    if (r.config.format !== 'int') {
      const { lines, fm } = formatFormulaLines(i, x, r);
      const block = r.scale.length > 1 ? ` (block ${blockOf(i, r)})` : '';
      return html`<div part="formula" aria-live="polite">
        ${lines}
        <p class="where">
          The element at ${where}${block}; select another ${this.#selectHow(r)}. ${castRule(fm)}
        </p>
      </div>`;
    }
    const f = formulaFor(i, x, r);
    const { rounding } = r.config;
    const how =
      f.unclamped === null
        ? 'Stochastic rounding: floor(v + u) with u uniform in [0, 1) from the seed.'
        : f.tie
          ? `A tie: half-even rounds ${formatValue(f.v, 6)} to the even ${f.unclamped - f.zeroPoint}.`
          : `Rounding: ${rounding}.`;
    const s = formatValue(f.scale, 5);
    const block = r.scale.length > 1 ? ` (block ${blockOf(i, r)})` : '';
    return html`<div part="formula" aria-live="polite">
      <div>
        q = round(r / s) + z = round(${formatValue(f.x)} / ${s}) + ${f.zeroPoint} =
        round(${formatValue(f.v, 6)}) + ${f.zeroPoint} =
        ${f.clipped ? html`${f.unclamped} → clipped to ${f.code}` : f.code}
      </div>
      <div>
        r̂ = s · (q − z) = ${s} · (${f.code} − ${f.zeroPoint}) = ${formatValue(f.dequantized, 6)}; error
        ${formatValue(Math.abs(f.x - f.dequantized), 3)}
      </div>
      <p class="where">The element at ${where}${block}; select another ${this.#selectHow(r)}. ${how}</p>
    </div>`;
  }

  #selectHow(r: SimulatorResult): string {
    const [rows, cols] = rowsCols(r.shape);
    return rows > MAX_SHOWN || cols > MAX_SHOWN ? 'with the row and column above' : 'in a matrix';
  }

  #renderParams(r: SimulatorResult): TemplateResult {
    if (r.config.format !== 'int') return html`<p part="params" class="params">${formatParams(r)}</p>`;
    const shown = Math.min(r.scale.length, 8);
    const items = Array.from(
      { length: shown },
      (_, b) => `s=${formatValue(r.scale[b], 4)} z=${r.zeroPoint[b]}`,
    );
    return html`<p part="params" class="params">
      Scale / zero-point ${blocksLabel(r.scale.length, r)}:
      ${items.join(' · ')}${r.scale.length > shown ? ` · … ${r.scale.length - shown} more` : ''}
    </p>`;
  }

  #renderMetrics(r: SimulatorResult): TemplateResult {
    const s = r.stats;
    const metric = (name: string, value: string) =>
      html`<div>
        <dt>${name}</dt>
        <dd>${value}</dd>
      </div>`;
    const { floatBytes, quantizedBytes } = r.memory;
    return html`<dl part="metrics">
      ${metric('MAE', formatValue(s.mae, 3))} ${metric('MSE', formatValue(s.mse, 3))}
      ${metric('Max error', formatValue(s.maxAbsError, 3))} ${metric('SQNR', formatDb(s.sqnrDb))}
      ${metric('Clipped', formatPercent(s.clippedFraction))}
      ${metric('Bits / weight', s.bitsPerWeight.toFixed(2))}
      ${metric(
        'Memory',
        `${formatBytes(floatBytes)} → ${formatBytes(quantizedBytes)} (${(floatBytes / quantizedBytes).toFixed(1)}×)`,
      )}
    </dl>`;
  }

  override render(): TemplateResult {
    const r = this.result;
    const x = this.data?.values;
    const body =
      r && x
        ? html`${this.#renderMatrices(r, x)} ${this.#renderParams(r)} ${this.#renderFormula(r, x)}
          ${this.#renderMetrics(r)}`
        : nothing;
    return this.frame('Quantization simulator', this.#renderControls(), body);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quant-simulator': QuantSimulator;
  }
}
