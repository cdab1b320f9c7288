import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import {
  CALIBRATIONS,
  GRANULARITIES,
  ROUNDINGS,
  SCHEMES,
  div32,
  rawCode,
  type QuantConfig,
  type QuantResult,
  type QuantSession,
} from '../../core/index.js';
import { SHARED_ATTRIBUTES, type AttributeSpec } from '../../internal/attributes.js';
import { bitsSlider, selectControl } from '../../internal/controls.js';
import { formatBytes, formatDb, formatPercent, formatValue } from '../../internal/format.js';
import { QuantElement } from '../../internal/quant-element.js';
import type { QuantChangeDetail } from '../../internal/events.js';
import { simulatorStyles } from './quant-simulator.styles.js';

type ControlName = 'bits' | 'scheme' | 'granularity' | 'rounding' | 'calibration';
const CONTROL_NAMES: readonly ControlName[] = ['bits', 'scheme', 'granularity', 'rounding', 'calibration'];

/** Largest side shown cell by cell; bigger tensors get a summary. */
const MAX_SHOWN = 16;

export interface SimulatorResult extends QuantResult {
  shape: number[];
  /** float32 storage vs packed codes plus per-block scale (float32) and zero-point (bits). */
  memory: { floatBytes: number; quantizedBytes: number };
  device: string;
}

const controlsSpec: AttributeSpec<ControlName[] | []> = {
  attribute: 'controls',
  property: 'controls',
  allowed: `a space-separated subset of "${CONTROL_NAMES.join(' ')}", or none`,
  parse(text) {
    const parts = text.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 1 && parts[0] === 'none') return [];
    if (parts.length === 0 || parts.some((p) => !CONTROL_NAMES.includes(p as ControlName))) return undefined;
    return [...new Set(parts)] as ControlName[];
  },
};

export function packedBytes(n: number, bits: number, blocks: number, affine: boolean): number {
  return Math.ceil((n * bits) / 8) + 4 * blocks + (affine ? Math.ceil((blocks * bits) / 8) : 0);
}

/**
 * The interactive quantization simulator: original matrix, integer codes,
 * dequantized matrix, scale / zero-point, the formula with the live numbers of
 * one selected element, and error metrics.
 *
 * @tag quant-simulator
 * @summary Quantize a small matrix and see every number.
 *
 * @attr controls - Space-separated subset of `bits scheme granularity rounding calibration`, or `none`. Default `bits scheme`.
 *
 * @csspart matrices - The three matrices (or the summary of a large tensor).
 * @csspart formula - The formula with the selected element's numbers.
 * @csspart metrics - The error metrics.
 * @csspart params - Scale and zero-point per block.
 *
 * @cssprop --quant-simulator-cell-bg - Background of matrix cells.
 * @cssprop --quant-simulator-selected - Outline of the selected cell.
 */
export class QuantSimulator extends QuantElement {
  static override styles = [...QuantElement.styles, simulatorStyles];
  static override attributeSpecs = [...SHARED_ATTRIBUTES, controlsSpec as AttributeSpec];
  static override defaults = { ...QuantElement.defaults, shape: [4, 4], controls: ['bits', 'scheme'] };

  /** Index (row-major) of the element the formula explains. */
  @state() private _selected = 0;

  /** Which controls are shown. */
  get controls(): ControlName[] {
    return [...this.getValue<ControlName[]>('controls')];
  }
  set controls(v: ControlName[] | string) {
    this.setValue('controls', Array.isArray(v) ? (v.length ? v.join(' ') : 'none') : v);
  }

  override get result(): SimulatorResult | null {
    return super.result as SimulatorResult | null;
  }

  protected override async compute(session: QuantSession, config: QuantConfig): Promise<SimulatorResult> {
    const r = await session.quantize(config);
    const shape = [...session.shape];
    const n = r.codes.length;
    if (this._selected >= n) this._selected = 0;
    return {
      ...r,
      shape,
      memory: {
        floatBytes: 4 * n,
        quantizedBytes: packedBytes(n, config.bits, r.scale.length, config.scheme === 'affine'),
      },
      device: session.device,
    };
  }

  // ---- controls ----
  #onChoice(key: keyof QuantChangeDetail, e: Event): void {
    this.userConfig({ [key]: (e.target as HTMLInputElement | HTMLSelectElement).value }, true);
  }

  #renderControls(): TemplateResult | typeof nothing {
    const shown = this.controls;
    if (shown.length === 0) return nothing;
    const select = (key: 'granularity' | 'rounding' | 'calibration', options: readonly string[]) =>
      selectControl(key, this[key], options, (value) => this.userConfig({ [key]: value }, true));
    return html`<div part="controls">
      ${shown.includes('bits') ? bitsSlider(this.bits, (bits, committed) => this.userConfig({ bits }, committed)) : nothing}
      ${
        shown.includes('scheme')
          ? html`<fieldset class="control">
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
                        @change=${(e: Event) => this.#onChoice('scheme', e)}
                      />${s}</label
                    >`,
                )}
              </div>
            </fieldset>`
          : nothing
      }
      ${shown.includes('granularity') ? select('granularity', GRANULARITIES) : nothing}
      ${shown.includes('rounding') ? select('rounding', ROUNDINGS) : nothing}
      ${shown.includes('calibration') ? select('calibration', CALIBRATIONS) : nothing}
    </div>`;
  }

  // ---- matrices ----
  #select(index: number): void {
    this._selected = index;
  }

  /** The cell index an event happened in (one listener per table, not per cell). */
  #cellOf(e: Event): number | null {
    const td = (e.target as Element).closest('td[data-index]');
    return td ? Number(td.getAttribute('data-index')) : null;
  }

  #onTableClick(e: MouseEvent): void {
    const i = this.#cellOf(e);
    if (i !== null) this.#select(i);
  }

  /** Arrow keys move within the table (no wrapping), Enter / Space select; focus follows. */
  #onTableKey(e: KeyboardEvent, rows: number, cols: number): void {
    const i = this.#cellOf(e);
    if (i === null) return;
    const [row, col] = [Math.floor(i / cols), i % cols];
    const target: Record<string, [number, number]> = {
      ArrowLeft: [row, col - 1],
      ArrowRight: [row, col + 1],
      ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col],
      Home: [row, 0],
      End: [row, cols - 1],
    };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.#select(i);
      return;
    }
    const to = target[e.key];
    if (!to) return;
    e.preventDefault();
    const [r, c] = to;
    if (r < 0 || r >= rows || c < 0 || c >= cols) return;
    const next = r * cols + c;
    this.#select(next);
    const table = e.currentTarget as HTMLElement;
    void this.updateComplete.then(() =>
      table.querySelector<HTMLElement>(`td[data-index="${next}"]`)?.focus(),
    );
  }

  #matrix(label: string, r: SimulatorResult, cell: (i: number) => string): TemplateResult {
    const [rows, cols] = r.shape.length === 2 ? r.shape : [1, r.shape[0]];
    return html`<figure>
      <figcaption>${label}</figcaption>
      <table
        role="grid"
        aria-label=${label}
        @click=${this.#onTableClick}
        @keydown=${(e: KeyboardEvent) => this.#onTableKey(e, rows, cols)}
      >
        ${Array.from(
          { length: rows },
          (_, row) =>
            html`<tr>
              ${Array.from({ length: cols }, (_, col) => {
                const i = row * cols + col;
                const selected = i === this._selected;
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

  #renderMatrices(r: SimulatorResult): TemplateResult {
    const [rows, cols] = r.shape.length === 2 ? r.shape : [1, r.shape[0]];
    const x = this.data?.values;
    if (!x || rows > MAX_SHOWN || cols > MAX_SHOWN) return this.#renderSummary(r);
    return html`<div part="matrices" class="matrices">
      ${this.#matrix('Original (float32)', r, (i) => formatValue(x[i]))}
      ${this.#matrix(`Integer codes [${r.qmin}, ${r.qmax}]`, r, (i) => String(r.codes[i]))}
      ${this.#matrix('Dequantized', r, (i) => formatValue(r.dequantized[i]))}
    </div>`;
  }

  #renderSummary(r: SimulatorResult): TemplateResult {
    const x = this.data?.values ?? new Float32Array();
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const used = new Set(r.codes).size;
    return html`<div part="matrices">
      <p>
        ${r.shape.join(' × ')} tensor (${x.length.toLocaleString()} values, too many to show one by one):
        values in [${formatValue(lo)}, ${formatValue(hi)}], ${used.toLocaleString()} of
        ${(r.qmax - r.qmin + 1).toLocaleString()} codes used.
      </p>
    </div>`;
  }

  #blockOf(i: number, r: SimulatorResult): number {
    return Math.floor(i / (r.codes.length / r.scale.length));
  }

  #renderFormula(r: SimulatorResult): TemplateResult | typeof nothing {
    const x = this.data?.values;
    if (!x) return nothing;
    const i = Math.min(this._selected, x.length - 1);
    const b = this.#blockOf(i, r);
    const s = r.scale[b];
    const z = r.zeroPoint[b];
    // The same float32 steps as the engine (x · fl(1/s)), so the shown numbers add up.
    const v = div32(x[i], s);
    const q = r.codes[i];
    const cols = r.shape.at(-1) ?? 1;
    const where = r.shape.length === 2 ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `index ${i}`;
    // The reference's own step; stochastic draws stay in the engine, so no unclamped code then.
    const unclamped =
      this.rounding === 'stochastic' ? null : rawCode(x[i], { scale: s, zeroPoint: z }, this.rounding, 0);
    const clipped = unclamped !== null && unclamped !== q;
    const tie = this.rounding === 'half-even' && v - Math.floor(v) === 0.5;
    const how =
      this.rounding === 'stochastic'
        ? 'Stochastic rounding: floor(v + u) with u uniform in [0, 1) from the seed.'
        : tie
          ? `A tie: half-even rounds ${formatValue(v, 6)} to the even ${unclamped! - z}.`
          : `Rounding: ${this.rounding}.`;
    return html`<div part="formula" aria-live="polite">
      <div>
        q = round(r / s) + z = round(${formatValue(x[i])} / ${formatValue(s, 5)}) + ${z} =
        round(${formatValue(v, 6)}) + ${z} = ${clipped ? html`${unclamped} → clipped to ${q}` : q}
      </div>
      <div>
        r̂ = s · (q − z) = ${formatValue(s, 5)} · (${q} − ${z}) = ${formatValue(r.dequantized[i], 6)}; error
        ${formatValue(Math.abs(x[i] - r.dequantized[i]), 3)}
      </div>
      <p class="where">The element at ${where}; select another in a matrix. ${how}</p>
    </div>`;
  }

  #renderParams(r: SimulatorResult): TemplateResult {
    const shown = Math.min(r.scale.length, 8);
    const label = r.scale.length === 1 ? 'per tensor' : `${r.scale.length} blocks (${this.granularity})`;
    const items = Array.from(
      { length: shown },
      (_, b) => `s=${formatValue(r.scale[b], 4)} z=${r.zeroPoint[b]}`,
    );
    return html`<p part="params" class="params">
      Scale / zero-point ${label}:
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
    return html`<dl part="metrics">
      ${metric('MAE', formatValue(s.mae, 3))} ${metric('MSE', formatValue(s.mse, 3))}
      ${metric('Max error', formatValue(s.maxAbsError, 3))} ${metric('SQNR', formatDb(s.sqnrDb))}
      ${metric('Clipped', formatPercent(s.clippedFraction))}
      ${metric('Bits / weight', s.bitsPerWeight.toFixed(2))}
      ${metric(
        'Memory',
        `${formatBytes(r.memory.floatBytes)} → ${formatBytes(r.memory.quantizedBytes)} (${(r.memory.floatBytes / r.memory.quantizedBytes).toFixed(1)}×)`,
      )}
    </dl>`;
  }

  override render(): TemplateResult {
    const r = this.result;
    return html`<section
      part="base"
      aria-label="Quantization simulator"
      aria-busy=${this._busy ? 'true' : 'false'}
    >
      ${this.#renderControls()} ${this.renderError()}
      ${r ? html`${this.#renderMatrices(r)} ${this.#renderParams(r)} ${this.#renderFormula(r)} ${this.#renderMetrics(r)}` : nothing}
      ${this.renderStatus()}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quant-simulator': QuantSimulator;
  }
}
