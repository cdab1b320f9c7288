/**
 * The simulator's templates for number formats (SPEC §3.1): a code as coloured bit fields, the
 * selected element's formula in the format's terms, and the per-block scales. All numbers come
 * from the result (via quant-simulator.formats.ts), never from live attributes.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatValue } from '../../internal/format.js';
import type { SimulatorResult } from './quant-simulator.component.js';
import { blocksLabel } from './quant-simulator.model.js';
import {
  codeSegments,
  formatBlocksLabel,
  formatFormula,
  valueText,
  type FormatFormula,
  type NumberFormat,
  type Segment,
} from './quant-simulator.formats.js';

/** Bit fields, one span per field, a space between (so the text reads "0 10 1"). */
export function bitsTemplate(segments: readonly Segment[]): TemplateResult {
  return html`<span class="bits"
    >${segments.map((s, k) => html`${k ? ' ' : ''}<span class=${s.role}>${s.text}</span>`)}</span
  >`;
}

const FIELD_NAMES = { sign: 'sign', exponent: 'exponent', mantissa: 'mantissa' } as const;

/** The key of the bit fields' colours, for a format whose codes have them (NF4, INT8: none). */
export function bitKey(segments: readonly Segment[]): TemplateResult | typeof nothing {
  const roles = segments.map((s) => s.role).filter((r) => r !== 'bits');
  if (!roles.length) return nothing;
  return html`<p class="bit-key">
    ${roles.map(
      (role) =>
        html`<span class="field"
          ><span class="swatch ${role}"></span><span class=${role}>${FIELD_NAMES[role]}</span></span
        >`,
    )}
  </p>`;
}

/** 2^e with a real minus sign, as a superscript. */
function pow2(e: number): TemplateResult {
  return html`2<span class="vh">^</span><sup>${minus(e)}</sup>`;
}

/** A number with a real minus sign. */
const minus = (v: number) => String(v).replace('-', '−');

/** Digits for a cast format's values: enough to see what 16 bits keep. */
export function valueDigits(format: NumberFormat | 'int'): number {
  return format === 'fp16' || format === 'bf16' ? 6 : 4;
}

function scaleLine(fm: FormatFormula): TemplateResult {
  const amax = formatValue(fm.amax);
  const s = formatValue(fm.scale, 5);
  switch (fm.kind) {
    case 'nf4':
      return html`<div>s = absmax = ${fm.amax === 0 ? '0 → 1 (an all-zero block)' : s}</div>`;
    case 'mx': {
      const bits = bitsTemplate([{ role: 'exponent', text: fm.scaleCode!.toString(2).padStart(8, '0') }]);
      const exp = (t: unknown) => html`2<span class="vh">^(</span><sup>${t}</sup><span class="vh">)</span>`;
      const clamped = fm.floorLog2! - fm.emax! !== fm.sharedExp;
      return html`<div>
        X = ${exp(`floor(log2 absmax) − ${fm.emax}`)} =
        ${fm.amax === 0 ? '' : html`${exp(`floor(log2 ${amax}) − ${fm.emax}`)} =`}
        ${exp(`${minus(fm.floorLog2!)} − ${fm.emax}`)} ${clamped ? ', clamped to' : '='}
        ${pow2(fm.sharedExp!)}${fm.amax === 0 ? ' (an all-zero block)' : ''}; E8M0 byte e + 127 =
        ${fm.scaleCode} = ${bits}
      </div>`;
    }
    default:
      return html`<div>
        s = absmax / ${valueText(fm.max)} =
        ${fm.amax === 0 ? '0 → 1 (an all-zero block)' : html`${amax} / ${valueText(fm.max)} = ${s}`}
      </div>`;
  }
}

/** "nearest E2M1 value 3", "saturates at 6", "a tie, to the even code: 2". */
function nearest(fm: FormatFormula, v: string): string {
  if (fm.saturated) return `saturates at ${fm.element} value ${v}`;
  if (fm.tie) return `a tie, to the even code: ${fm.element} value ${v}`;
  return `nearest ${fm.element} value ${v}`;
}

/** The formula's lines for the selected element of a number format. */
export function formatFormulaLines(
  i: number,
  x: Float32Array,
  r: SimulatorResult,
): { lines: TemplateResult; fm: FormatFormula } {
  const fm = formatFormula(i, x, r);
  const format = r.config.format as NumberFormat;
  const bits = bitsTemplate(codeSegments(format, fm.code));
  // a cast keeps 8 or 11 significant bits: show enough digits to see what it changed
  const digits = fm.kind === 'cast' ? 7 : 4;
  const xs = formatValue(fm.x, digits);
  const err = formatValue(Math.abs(fm.x - fm.dequantized), 3);
  const xhat = valueText(fm.dequantized);
  const s = formatValue(fm.scale, 5);
  let lines: TemplateResult;
  if (fm.kind === 'cast') {
    lines = html`<div>x = ${xs} → ${nearest(fm, formatValue(fm.value, digits))} = ${bits}</div>
      <div>x̂ = ${formatValue(fm.dequantized, digits)} (a plain cast: no scale); error ${err}</div>`;
  } else if (fm.kind === 'nf4') {
    const n = formatValue(fm.v, 5);
    const inv = formatValue(Math.fround(1 / fm.scale), 5);
    const level = valueText(fm.value);
    lines = html`${scaleLine(fm)}
      <div>
        n = x · (1/s) = ${xs} · ${inv} = ${n}${fm.saturated ? ' → clamped to ±1' : ''} → nearest level
        L[${fm.code}] = ${level}, index ${fm.code} = ${bits}
      </div>
      <div>x̂ = L[${fm.code}] · s = ${level} · ${s} = ${xhat}; error ${err}</div>`;
  } else if (fm.q !== undefined) {
    const X = pow2(fm.sharedExp!);
    lines = html`${scaleLine(fm)}
      <div>
        q = round(x / X · 64) = round(${xs} / ${X} · 64) = round(${formatValue(fm.v, 5)})
        ${fm.saturated ? '→ saturates' : ''} = ${minus(fm.q)} = ${bits}
      </div>
      <div>x̂ = q / 64 · X = ${minus(fm.q)} / 64 · ${X} = ${xhat}; error ${err}</div>`;
  } else {
    const divisor = fm.kind === 'mx' ? pow2(fm.sharedExp!) : s;
    const name = fm.kind === 'mx' ? 'X' : 's';
    const v = valueText(fm.value);
    lines = html`${scaleLine(fm)}
      <div>x / ${name} = ${xs} / ${divisor} = ${formatValue(fm.v, 5)} → ${nearest(fm, v)} = ${bits}</div>
      <div>x̂ = ${v} · ${name} = ${v} · ${divisor} = ${xhat}; error ${err}</div>`;
  }
  return { lines, fm };
}

/** How the element was cast, for the note under the formula. */
export function castRule(fm: FormatFormula): string {
  if (fm.kind === 'nf4') return 'NF4: the nearest of 16 fixed levels (on a midpoint, the lower one).';
  if (fm.q !== undefined) return 'INT8 elements are q / 64, q from −127 to 127, rounded half to even.';
  return `Round to nearest, ties to even, saturating at ±${valueText(fm.max)}; the sign of zero is kept.`;
}

/** Scales per block (MX: the power of two and its E8M0 byte); formats have no zero-point. */
export function formatParams(r: SimulatorResult): TemplateResult {
  const format = r.config.format as NumberFormat;
  const label = formatBlocksLabel(r) ?? blocksLabel(r.scale.length, r);
  if (label.startsWith('none'))
    return html`No scale and no zero-point: ${format} is a plain cast of each value (s = 1).`;
  const shown = Math.min(r.scale.length, 8);
  const more = r.scale.length > shown ? ` · … ${r.scale.length - shown} more` : '';
  if (r.scaleCodes) {
    const codes = r.scaleCodes;
    return html`Shared scale X, ${label}:
    ${Array.from(
      { length: shown },
      (_, b) => html`${b ? ' · ' : ''}${pow2(codes[b] - 127)} (E8M0 ${codes[b]})`,
    )}${more};
    no zero-point.`;
  }
  const items = Array.from({ length: shown }, (_, b) => `s=${formatValue(r.scale[b], 4)}`);
  return html`Scale ${label}: ${items.join(' · ')}${more}; no zero-point.`;
}
