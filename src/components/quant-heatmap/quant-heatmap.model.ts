/**
 * What the heatmap shows, derived from a result, its weights and the view attributes alone (no
 * DOM, Node-tested): each cell's error in `abs` or `relative` units, its band, the band counts,
 * the pixels of the grid, and where a point or a key lands. Views never re-quantize: a change
 * of `thresholds`, `error` or `palette` only re-derives from here, and the derivations are
 * memoized per result so that a redraw recomputes nothing it already has.
 */
import { blockSpan, blocksFor } from '../../core/blocks.js';
import type { Format, QuantConfig } from '../../core/config.js';
import { choiceField, parseNumber, parseWords, type Field } from '../../core/fields.js';
import { formatValue } from '../../internal/format.js';
import { rowsCols, type Layout } from '../../internal/layout.js';
import { codeBits, localStep } from './quant-heatmap.steps.js';

export type HeatmapErrorMode = 'abs' | 'relative';
export type HeatmapPalette = 'default' | 'colorblind';
export type HeatmapBand = 'low' | 'mid' | 'high';
export type Thresholds = [number, number];

export const ERROR_MODES: readonly HeatmapErrorMode[] = ['abs', 'relative'];
export const PALETTES: readonly HeatmapPalette[] = ['default', 'colorblind'];

function validThresholds(v: unknown): v is Thresholds {
  if (!Array.isArray(v) || v.length !== 2) return false;
  const [a, b] = v as unknown[];
  // Errors are never negative, so a negative threshold could only mean a mistake.
  return typeof a === 'number' && typeof b === 'number' && a >= 0 && b > a && Number.isFinite(b);
}

/** `thresholds`: two increasing numbers ≥ 0, the band edges. */
export const thresholdsField: Field<Thresholds> = {
  default: [0.001, 0.01],
  allowed: 'two increasing numbers ≥ 0, e.g. "0.001 0.01"',
  parse(text) {
    const v = parseWords(text, parseNumber);
    return validThresholds(v) ? v : undefined;
  },
  valid: validThresholds,
  format: (v) => v.join(' '),
};

/** `error` (property `errorMode`). */
export const errorModeField = choiceField<HeatmapErrorMode>('abs', ERROR_MODES);
export const paletteField = choiceField<HeatmapPalette>('default', PALETTES);

/** What the heatmap reads from a result: the quantization with its clip mask and its layout. */
export interface HeatmapSource extends Layout {
  /** The format decides the blocks too (MX: 32 along a row, fp16/bf16: one); absent means `int`. */
  config: Layout['config'] & Partial<Pick<QuantConfig, 'format'>>;
  /** Other formats: the representable values at scale 1 (NF4 and MXINT8 steps come from them). */
  levels?: Float32Array;
  /** MX formats: each block's E8M0 byte (the scale is 2^(byte − 127)). */
  scaleCodes?: Uint8Array;
  codes: Int32Array;
  dequantized: Float32Array;
  /** |x − dequantized| in float32 when the result carries it (the heatmap's do); else derived here. */
  absError?: Float32Array;
  scale: Float32Array;
  /** 1 where the cell was clipped (its unclamped code fell outside [qmin, qmax]). */
  clipped: Uint8Array;
}

export interface HeatmapBandCounts {
  /** error < thresholds[0] */
  low: number;
  /** thresholds[0] ≤ error ≤ thresholds[1] */
  mid: number;
  /** error > thresholds[1] */
  high: number;
}

/** The view of one result under the view attributes. */
export interface HeatmapView {
  errorMode: HeatmapErrorMode;
  thresholds: Thresholds;
  /** Per cell, row-major, in `errorMode` units: |x − x̂| or |x − x̂| / the cell's local step (see localStep). */
  errors: Float32Array;
  /** Cells per band (they sum to the number of cells; clipped cells count in their band too). */
  bands: HeatmapBandCounts;
  clippedCount: number;
}

/** Band of one error value. */
export function bandOf(error: number, [low, high]: readonly [number, number]): HeatmapBand {
  if (error < low) return 'low';
  return error > high ? 'high' : 'mid';
}

/** What is derived once per result (and its weights), whatever the view attributes. */
interface Derived {
  x: Float32Array;
  errors: Partial<Record<HeatmapErrorMode, Float32Array>>;
  clippedCount?: number;
  view?: HeatmapView;
}
const derived = new WeakMap<HeatmapSource, Derived>();

function derivedOf(r: HeatmapSource, x: Float32Array): Derived {
  let d = derived.get(r);
  if (!d || d.x !== x) derived.set(r, (d = { x, errors: {} }));
  return d;
}

/** The block of every cell, kept for the last layout (a new bit width keeps the layout). */
let lastBlocks: { key: string; blocks: Int32Array } | null = null;

/**
 * The block of every cell, as the core laid them out: `blocksFor` knows that the format can
 * override the granularity (internal/layout.ts does not).
 */
export function cellBlocks(r: HeatmapSource): Int32Array {
  const { granularity, groupSize, format = 'int' } = r.config;
  const key = `${format} ${granularity} ${granularity === 'group' ? groupSize : ''} ${r.shape.join('x')}`;
  if (lastBlocks?.key !== key) {
    const layout = blocksFor(r.shape, { granularity, groupSize, format });
    const blocks = new Int32Array(layout.rows * layout.cols);
    for (let g = 0; g < layout.groups; g++) blocks.fill(g, ...blockSpan(layout, g));
    lastBlocks = { key, blocks };
  }
  return lastBlocks.blocks;
}

/** The format of a result, `int` when it records none. */
export function formatOf(r: HeatmapSource): Format {
  return r.config.format ?? 'int';
}

/**
 * The local step of cell `i` in x units: the scale for `int`; for other formats the gap between
 * the representable values around x / scale (steps.ts), times the block's scale.
 */
export function cellStep(r: HeatmapSource, x: Float32Array, i: number, blocks = cellBlocks(r)): number {
  const format = formatOf(r);
  const scale = r.scale[blocks[i]];
  if (format === 'int') return scale;
  return localStep(format, Math.fround(x[i] * Math.fround(1 / scale)), r.levels) * scale;
}

/**
 * Each cell's error in `mode` units, and the cells per band of `thresholds`, in one pass
 * (the first view of a result pays for one loop, as the quantization did before).
 */
function computeErrors(
  r: HeatmapSource,
  x: Float32Array,
  mode: HeatmapErrorMode,
  [low, high]: readonly [number, number],
): { errors: Float32Array; bands: HeatmapBandCounts } {
  const n = r.shape.reduce((a, b) => a * b, 1);
  // Blocks are not evenly spaced (a row's last group may be shorter): the layout says which.
  const block = mode === 'relative' ? cellBlocks(r) : null;
  const { scale } = r;
  const int = formatOf(r) === 'int';
  const bands: HeatmapBandCounts = { low: 0, mid: 0, high: 0 };
  const { absError } = r;
  // The device's |x − x̂| (float32 subtraction, correctly rounded) is the stored float32 of the
  // exact difference, as the loop below computes it: no new 4 MB array, no pass.
  if (!block && absError) return { errors: absError, bands: bandCounts(absError, [low, high]) };
  const dq = absError ? null : r.dequantized;
  const errors = new Float32Array(n);
  if (!block) {
    // The common case in a loop of its own: no per-cell branch on the mode (~3× faster at 1024²).
    let [lo, hi] = [0, 0];
    for (let i = 0; i < n; i++) {
      errors[i] = Math.abs(x[i] - dq![i]);
      const e = errors[i]; // the stored float32, as drawn and reported
      if (e < low) lo++;
      else if (e > high) hi++;
    }
    return { errors, bands: { low: lo, mid: n - lo - hi, high: hi } };
  }
  for (let i = 0; i < n; i++) {
    const abs = absError ? absError[i] : Math.abs(x[i] - dq![i]);
    errors[i] = !block ? abs : int ? abs / scale[block[i]] : abs / cellStep(r, x, i, block);
    const e = errors[i]; // the stored float32, as drawn and reported
    if (e < low) bands.low++;
    else if (e > high) bands.high++;
    else bands.mid++;
  }
  return { errors, bands };
}

/** Each cell's error in `mode` units (memoized per result, weights and mode). */
export function cellErrors(r: HeatmapSource, x: Float32Array, mode: HeatmapErrorMode): Float32Array {
  const d = derivedOf(r, x);
  return (d.errors[mode] ??= computeErrors(r, x, mode, [0, 0]).errors);
}

/** Cells per band. */
export function bandCounts(errors: Float32Array, [low, high]: readonly [number, number]): HeatmapBandCounts {
  const counts: HeatmapBandCounts = { low: 0, mid: 0, high: 0 };
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    if (e < low) counts.low++;
    else if (e > high) counts.high++;
    else counts.mid++;
  }
  return counts;
}

/**
 * The view of `r` (computed from weights `x`) under the view attributes: the same object as long
 * as none of them changes, so a redraw or a re-render derives nothing again.
 */
export function heatmapView(
  r: HeatmapSource,
  x: Float32Array,
  errorMode: HeatmapErrorMode,
  thresholds: readonly [number, number],
): HeatmapView {
  const d = derivedOf(r, x);
  const last = d.view;
  if (
    last &&
    last.errorMode === errorMode &&
    last.thresholds[0] === thresholds[0] &&
    last.thresholds[1] === thresholds[1]
  ) {
    return last;
  }
  let errors = d.errors[errorMode];
  let bands: HeatmapBandCounts;
  if (errors) bands = bandCounts(errors, thresholds);
  else ({ errors, bands } = computeErrors(r, x, errorMode, thresholds));
  d.errors[errorMode] = errors;
  if (d.clippedCount === undefined) {
    // Hoisted: a result's property read per cell costs ~10 ms at 1024² (it has many properties).
    const { clipped } = r;
    let count = 0;
    for (let i = 0; i < clipped.length; i++) count += clipped[i];
    d.clippedCount = count;
  }
  const view: HeatmapView = {
    errorMode,
    thresholds: [thresholds[0], thresholds[1]],
    errors,
    bands,
    clippedCount: d.clippedCount,
  };
  d.view = view;
  return view;
}

/** One packed pixel (ImageData byte order) per band and for clipped cells. */
export type BandPixels = Record<HeatmapBand | 'clipped', number>;

/** Fills `pixels` (row-major, one per cell): clipped cells in their colour, the others by band. */
export function paintCells(
  pixels: Uint32Array,
  { errors, thresholds: [low, high] }: HeatmapView,
  clipped: Uint8Array,
  colours: BandPixels,
): void {
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i];
    pixels[i] = clipped[i] ? colours.clipped : e < low ? colours.low : e > high ? colours.high : colours.mid;
  }
}

/** The cell under a point at fractions (fx, fy) of the grid's box, or null outside it. */
export function cellAt(fx: number, fy: number, shape: readonly number[]): number | null {
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
  const [rows, cols] = rowsCols(shape);
  const col = Math.min(cols - 1, Math.floor(fx * cols));
  const row = Math.min(rows - 1, Math.floor(fy * rows));
  return row * cols + col;
}

/** Rows that PageUp / PageDown move: a tenth of the grid, at least one. */
export function pageRows(rows: number): number {
  return Math.max(1, Math.round(rows / 10));
}

/** Cell `i` in words, for the live region. */
export function describeCell(i: number, view: HeatmapView, r: HeatmapSource): string {
  const [, cols] = rowsCols(r.shape);
  const e = view.errors[i];
  const unit = view.errorMode === 'relative' ? (formatOf(r) === 'int' ? ' × scale' : ' × step') : '';
  const clipped = r.clipped[i] ? ', clipped' : '';
  return `Row ${Math.floor(i / cols)}, column ${i % cols}: error ${formatValue(e, 3)}${unit}, ${bandOf(e, view.thresholds)} band${clipped}`;
}

/** A value without trailing zeros: steps and MX scales are short binary fractions. */
function short(v: number, digits = 6): string {
  const s = formatValue(v, digits);
  return s.includes('e') || !s.includes('.') ? s : s.replace(/\.?0+$/, '');
}

/** The block scale in words: MX as its power of two, fp16/bf16 have none. */
function scaleText(r: HeatmapSource, format: Exclude<Format, 'int'>, block: number): string {
  const s = r.scale[block];
  if (format === 'fp16' || format === 'bf16') return '1 (none)';
  if (!r.scaleCodes) return formatValue(s, 6);
  const e = String(r.scaleCodes[block] - 127).replace('-', '−');
  return `2^${e} = ${short(s)}`;
}

/**
 * The selected cell's numbers as [label, value] rows, from the result alone: for a number format
 * the code in the format's bits, the block's scale and the local step beside the error.
 */
export function cellDetail(
  i: number,
  view: HeatmapView,
  r: HeatmapSource,
  x: Float32Array,
): [string, string][] {
  const [, cols] = rowsCols(r.shape);
  const blocks = cellBlocks(r);
  const abs = Math.abs(x[i] - r.dequantized[i]);
  const step = cellStep(r, x, i, blocks);
  const format = formatOf(r);
  const band = `${bandOf(view.errors[i], view.thresholds)}${r.clipped[i] ? ', clipped' : ''}`;
  const head: [string, string][] = [
    ['row', String(Math.floor(i / cols))],
    ['column', String(i % cols)],
    ['original x', formatValue(x[i], 6)],
  ];
  if (format === 'int') {
    return [
      ...head,
      ['code q', String(r.codes[i])],
      ['dequantized x̂', formatValue(r.dequantized[i], 6)],
      ['error |x − x̂|', formatValue(abs, 4)],
      ['error / scale', formatValue(abs / step, 4)],
      ['band', band],
    ];
  }
  const scale = r.scale[blocks[i]];
  const unscaled = format === 'fp16' || format === 'bf16';
  return [
    ...head,
    ['code', codeBits(format, r.codes[i])],
    ['dequantized x̂', formatValue(r.dequantized[i], 6)],
    ['error |x − x̂|', formatValue(abs, 4)],
    ['block scale s', scaleText(r, format, blocks[i])],
    [
      'local step',
      unscaled ? formatValue(step, 4) : `${short(step / scale, 4)} · s = ${formatValue(step, 4)}`,
    ],
    ['error / step', formatValue(abs / step, 4)],
    ['band', band],
  ];
}
