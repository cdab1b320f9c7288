/**
 * What the simulator shows for a number format (SPEC §3.1), from a result and its weights alone
 * (no DOM, Node-tested against the oracle): the bit fields of a code, its value, the block of an
 * element, and the numbers of the formula for one element in the format's own terms.
 */
import { blockOf } from '../../internal/layout.js';
import { blockSpan, blocksFor } from '../../core/blocks.js';
import type { Format, QuantConfig } from '../../core/config.js';
import { exponent32 } from '../../core/formats/reference.js';
import { div32, roundHalfEven } from '../../core/reference.js';
import {
  FORMAT_SPECS,
  MXINT8_MAX_CODE,
  MXINT8_STEP,
  NF4_LEVELS,
  elementBits,
  floatValue,
  maxFinite,
  type FloatLayout,
} from '../../core/formats/tables.js';

const f = Math.fround;

export type NumberFormat = Exclude<Format, 'int'>;

/** One coloured run of a code's bits. `bits` is a field without a float meaning (NF4 index, INT8 byte). */
export interface Segment {
  role: 'sign' | 'exponent' | 'mantissa' | 'bits';
  text: string;
}

/** The float layout of a format's elements, or null (NF4, MXINT8). */
export function floatLayoutOf(format: NumberFormat): FloatLayout | null {
  const spec = FORMAT_SPECS[format];
  if (spec.kind === 'nf4') return null;
  if (spec.kind === 'mx' && spec.element === 'int8') return null;
  return (spec as { element: FloatLayout }).element;
}

/** The element type's name, as the formula says it: E2M1, E4M3, NF4, INT8, fp16, bf16. */
export function elementName(format: NumberFormat): string {
  if (format === 'fp16' || format === 'bf16') return format;
  if (format === 'nf4') return 'NF4';
  if (format === 'mxint8') return 'INT8';
  const layout = floatLayoutOf(format)!;
  return `E${layout.bits - 1 - layout.mantissa}M${layout.mantissa}`;
}

/** What a code cell holds, for the matrix caption. */
export function codesCaption(format: NumberFormat): string {
  if (format === 'nf4') return 'NF4 codes (4-bit level index)';
  if (format === 'mxint8') return 'INT8 codes (two’s-complement byte)';
  return `${elementName(format)} codes (sign · exponent · mantissa)`;
}

const binary = (v: number, width: number) => v.toString(2).padStart(width, '0');

/** A code's bits: sign · exponent · mantissa for float elements, one run for NF4 and INT8. */
export function codeSegments(format: NumberFormat, code: number): Segment[] {
  const layout = floatLayoutOf(format);
  const bits = elementBits(format);
  const all = binary(code, bits);
  if (!layout) return [{ role: 'bits', text: all }];
  const e = bits - 1 - layout.mantissa;
  return [
    { role: 'sign', text: all.slice(0, 1) },
    { role: 'exponent', text: all.slice(1, 1 + e) },
    { role: 'mantissa', text: all.slice(1 + e) },
  ];
}

/** The value a code stands for at scale 1 (−0 for a negative zero). */
export function elementValue(format: NumberFormat, code: number): number {
  if (format === 'nf4') return NF4_LEVELS[code];
  if (format === 'mxint8') return ((code << 24) >> 24) * MXINT8_STEP;
  const layout = floatLayoutOf(format)!;
  const top = 2 ** (layout.bits - 1);
  const v = floatValue(layout, code % top);
  return code >= top ? -v : v;
}

/** The blocks a result was computed with: the format may fix them (MX: 32 along a row; fp16/bf16: one). */
export function blocksOf(r: { config: QuantConfig; shape: readonly number[] }) {
  return blocksFor(r.shape, r.config);
}

/** How many blocks, in words, for a number format ("4 blocks of 32 (MX)", "none: a plain cast"). */
export function formatBlocksLabel(r: { config: QuantConfig; shape: readonly number[] }): string | null {
  const kind = FORMAT_SPECS[r.config.format].kind;
  if (kind === 'cast') return 'none: a plain cast';
  if (kind !== 'mx') return null;
  const b = blocksOf(r);
  const n = `${b.groups} block${b.groups === 1 ? '' : 's'}`;
  if (b.perRow === 1 && b.cols < 32) return `${n} of ${b.cols} (MX: one per row, shorter than 32)`;
  return `${n} of ${b.tail === b.length ? '' : 'up to '}${b.length} (MX)`;
}

export interface FormatFormula {
  kind: 'cast' | 'float' | 'nf4' | 'mx';
  /** E2M1, E4M3, NF4, INT8, fp16, bf16. */
  element: string;
  x: number;
  block: number;
  /** The block's absmax (what the scale comes from). */
  amax: number;
  /** s (float32 absmax scale), X = 2^sharedExp (MX), 1 (cast). */
  scale: number;
  /** MX: floor(log2 absmax) from the float32 exponent (−127 for 0), the shared exponent, its E8M0 byte, emax. */
  floorLog2?: number;
  sharedExp?: number;
  scaleCode?: number;
  emax?: number;
  /** The value the element is cast from: x / s (x · fl(1/s)); NF4 n before clamping; MXINT8 x / X · 64. */
  v: number;
  /** Largest finite magnitude v can take (NF4: 1; MXINT8: 127). */
  max: number;
  /** |v| exceeded it: the cast saturated. */
  saturated: boolean;
  /** v lay exactly halfway between two representable values (ties go to the even code). */
  tie: boolean;
  code: number;
  segments: Segment[];
  /** The element's value at scale 1 (NF4: the level L[code]; MXINT8: q / 64). */
  value: number;
  /** MXINT8: the integer q. */
  q?: number;
  dequantized: number;
}

interface FormatResultLike {
  config: QuantConfig;
  shape: readonly number[];
  scale: Float32Array;
  scaleCodes?: Uint8Array;
  codes: Int32Array;
  dequantized: Float32Array;
}

/** Whether |v| sits exactly halfway between two neighbouring values of `levels` (sorted, scale 1). */
function isTie(v: number, levels: readonly number[]): boolean {
  const a = Math.abs(v);
  for (let k = 1; k < levels.length; k++) {
    if (levels[k] >= a) return levels[k] !== a && levels[k - 1] < a && a - levels[k - 1] === levels[k] - a;
  }
  return false;
}

const magnitudes = new Map<FloatLayout, number[]>();

/** The non-negative values of a float layout, ascending (bf16: 32,640 of them, built once). */
function floatMagnitudes(layout: FloatLayout): number[] {
  let out = magnitudes.get(layout);
  if (!out) {
    out = [];
    for (let m = 0; floatValue(layout, m) <= layout.max; m++) out.push(floatValue(layout, m));
    magnitudes.set(layout, out);
  }
  return out;
}

/** The numbers of the selected element's formula, in the engine's float32 steps. */
export function formatFormula(i: number, x: Float32Array, r: FormatResultLike): FormatFormula {
  const format = r.config.format as NumberFormat;
  const spec = FORMAT_SPECS[format];
  if (spec.kind === 'int') throw new Error('formatFormula: int has its own formula');
  const blocks = blocksOf(r);
  const block = blockOf(i, r);
  const [start, end] = blockSpan(blocks, block);
  let amax = 0;
  for (let k = start; k < end; k++) amax = Math.max(amax, Math.abs(x[k]));
  const scale = r.scale[block];
  const code = r.codes[i];
  const base = {
    kind: spec.kind,
    element: elementName(format),
    x: x[i],
    block,
    amax,
    scale,
    code,
    segments: codeSegments(format, code),
    value: elementValue(format, code),
    dequantized: r.dequantized[i],
  };
  if (spec.kind === 'nf4') {
    const v = f(x[i] * f(1 / scale));
    return { ...base, v, max: 1, saturated: Math.abs(v) > 1, tie: false };
  }
  const mx =
    spec.kind === 'mx'
      ? {
          floorLog2: exponent32(amax),
          sharedExp: r.scaleCodes ? r.scaleCodes[block] - 127 : Math.log2(scale),
          scaleCode: r.scaleCodes?.[block],
          emax: spec.emax,
        }
      : {};
  // fp16/bf16 cast x itself (x · fl(1/1) = x)
  const v = div32(x[i], scale);
  if (spec.kind === 'mx' && spec.element === 'int8') {
    const v64 = f(v * 64);
    // int8 has one zero: + 0 turns a −0 into it
    const q = Math.min(Math.max(roundHalfEven(v64), -MXINT8_MAX_CODE), MXINT8_MAX_CODE) + 0;
    return {
      ...base,
      ...mx,
      v: v64,
      max: MXINT8_MAX_CODE,
      saturated: Math.abs(v64) > MXINT8_MAX_CODE,
      tie: v64 - Math.floor(v64) === 0.5,
      q,
    };
  }
  const layout = floatLayoutOf(format)!;
  const max = maxFinite(format);
  return {
    ...base,
    ...mx,
    v,
    max,
    saturated: Math.abs(v) > max,
    tie: Math.abs(v) <= max && isTie(v, floatMagnitudes(layout)),
  };
}

/** Distinct bit patterns a result's codes use, and how many the element width has. */
export function patternsUsed(codes: Int32Array, format: NumberFormat): { used: number; total: number } {
  return { used: new Set(codes).size, total: 2 ** elementBits(format) };
}

const INT_ONLY = ['bits', 'scheme', 'rounding', 'calibration'] as const;

/** Words for a list: "bits", "bits and scheme", "bits, scheme and rounding". */
function list(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * Why some shown controls do nothing under `format` (SPEC §2.1: bits, scheme, rounding and
 * calibration are int-only; MX and fp16/bf16 fix their own blocks), or null when all apply.
 */
export function controlsNote(format: Format, shown: readonly string[]): string | null {
  if (format === 'int') return null;
  const kind = FORMAT_SPECS[format].kind;
  const intOff = INT_ONLY.filter((c) => shown.includes(c));
  const granularityOff = (kind === 'mx' || kind === 'cast') && shown.includes('granularity');
  if (intOff.length === 0 && !granularityOff) return null;
  const parts: string[] = [];
  if (intOff.length)
    parts.push(`${list(intOff)} ${intOff.length > 1 ? 'are int-only settings' : 'is an int-only setting'}`);
  if (granularityOff) parts.push(`granularity does not apply`);
  const name = elementName(format);
  const why =
    kind === 'cast'
      ? `${format} is a plain cast of each value, with no scale and no blocks`
      : kind === 'mx'
        ? `${format} shares one power-of-two scale per 32 values of a row and casts each value to the nearest ${name} value`
        : kind === 'nf4'
          ? 'nf4 scales each block by its absmax and takes the nearest of 16 fixed levels'
          : `${format} scales each block by its absmax and casts to the nearest ${name} value (ties to even)`;
  return `${parts.join(', and ')}: ${why}.`;
}

/** A representable value as short text: exact when it is short (6, −1.5, 0.0625), else 4 digits. */
export function valueText(v: number): string {
  const exact = String(v + 0);
  if (exact.length <= 8 && !exact.includes('e')) return exact.replace('-', '−');
  const a = Math.abs(v);
  const digits = 4;
  const s =
    a >= 1e4 || a < 1e-3
      ? v.toExponential(digits - 1)
      : v
          .toPrecision(digits)
          .replace(/(\.\d*?)0+$/, '$1')
          .replace(/\.$/, '');
  return s.replace('-', '−');
}
