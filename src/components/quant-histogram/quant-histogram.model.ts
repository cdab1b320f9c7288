/**
 * What the histogram shows, computed from a result and its weights alone (no DOM, Node-tested):
 * its two attributes, the panel of each quantization drawn (levels, clip range, zero-point,
 * error), the shared x range and bin edges, the y scale and the charts' text.
 */
import type { QuantConfig } from '../../core/config.js';
import { MAX_BITS, MIN_BITS, integerField, parseInteger, parseWords, type Field } from '../../core/fields.js';
import type { QuantResult } from '../../core/result.js';
import { formatDb, formatPercent, formatValue } from '../../internal/format.js';

export const MIN_BINS = 8;
export const MAX_BINS = 512;
/** Every level is drawn up to this bit width; beyond it, an even subset. */
export const ALL_LEVELS_BITS = 6;
/** Most level lines drawn in one chart. */
const MAX_LEVEL_LINES = 64;
/** Dequantized spikes are cut at this multiple of the tallest original bin, so the original stays readable. */
const SPIKE_CAP = 2.5;

/** `bins`: view-only (re-binning never re-quantizes). */
export const binsField = integerField(64, MIN_BINS, MAX_BINS);

const distinctWidths = (v: unknown): v is number[] =>
  Array.isArray(v) &&
  v.every((b) => Number.isInteger(b) && b >= MIN_BITS && b <= MAX_BITS) &&
  new Set(v).size === v.length;

/** `compare`: the bit widths quantized and drawn as small multiples; empty (or blank) for one chart. */
export const compareField: Field<number[]> = {
  default: [],
  allowed: `space-separated distinct bit widths from ${MIN_BITS} to ${MAX_BITS}, e.g. "2 4 8 16"`,
  parse: (text) => (text.trim() === '' ? [] : parseWords(text, (w) => parseInteger(w, MIN_BITS, MAX_BITS))),
  valid: distinctWidths,
  format: (v) => v.join(' '),
};

/** What a panel needs of a quantization: a core result and the bit width it was computed at. */
export type Quantization = Pick<
  QuantResult,
  'qmin' | 'qmax' | 'scale' | 'zeroPoint' | 'codes' | 'dequantized'
> & {
  stats: Pick<QuantResult['stats'], 'sqnrDb' | 'clippedFraction'>;
  config: Pick<QuantConfig, 'bits'>;
};

/** One chart: a quantization's grid and error. */
export interface HistogramPanel {
  /** `main` for the single chart, else the bit width. */
  key: string;
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
  blocks: number;
  /** Dequantized value of every code qmin…qmax of the first block: scale · (q − zeroPoint), float32. */
  levels: Float64Array;
  /** The representable range [scale · (qmin − z), scale · (qmax − z)], widened over all blocks. */
  clipRange: [number, number];
  /** The dequantized weights (the quantization's own array), to be binned. */
  dequantized: Float32Array;
}

export function panelOf(r: Quantization, key: string): HistogramPanel {
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
    key,
    bits: r.config.bits,
    sqnrDb: r.stats.sqnrDb,
    clippedFraction: r.stats.clippedFraction,
    clippedCount: Math.round(r.stats.clippedFraction * r.codes.length),
    qmin: r.qmin,
    qmax: r.qmax,
    scale: s,
    zeroPoint: z,
    blocks: r.scale.length,
    levels,
    clipRange: [lo, hi],
    dequantized: r.dequantized,
  };
}

/** The charts of a result: one per compare width, or the result's own. */
export function panelsOf(r: Quantization & { compare: readonly Quantization[] }): HistogramPanel[] {
  return r.compare.length > 0
    ? r.compare.map((c) => panelOf(c, String(c.config.bits)))
    : [panelOf(r, 'main')];
}

/** Min and max of the weights, memoized per array (weights change rarely, views often). */
const extents = new WeakMap<Float32Array, [number, number]>();
export function extentOf(values: Float32Array): [number, number] {
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

/** The x range every chart shares: the weights and every clip range drawn (never empty). */
export function histogramRange(
  [lo, hi]: readonly [number, number],
  panels: readonly Pick<HistogramPanel, 'clipRange'>[],
): [number, number] {
  for (const p of panels) {
    lo = Math.min(lo, p.clipRange[0]);
    hi = Math.max(hi, p.clipRange[1]);
  }
  return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

/** bins + 1 equal-width edges over the range. */
export function binEdges([lo, hi]: readonly [number, number], bins: number): Float64Array {
  return Float64Array.from({ length: bins + 1 }, (_, k) => lo + ((hi - lo) * k) / bins);
}

export function binCenters(edges: Float64Array): number[] {
  return Array.from({ length: edges.length - 1 }, (_, k) => (edges[k] + edges[k + 1]) / 2);
}

/** What the binning needs: the panels, their shared range and edges. */
export interface BinPlan {
  bins: number;
  range: [number, number];
  edges: Float64Array;
  panels: HistogramPanel[];
}

export function planBins(
  r: Quantization & { compare: readonly Quantization[] },
  values: Float32Array,
  bins: number,
): BinPlan {
  const panels = panelsOf(r);
  const range = histogramRange(extentOf(values), panels);
  return { bins, range, edges: binEdges(range, bins), panels };
}

/** A panel with the histogram of its dequantized weights. */
export type BinnedPanel = HistogramPanel & { counts: Int32Array };

/** The binned histogram the charts draw: view data of one result, never part of it. */
export interface HistogramView<R> extends BinPlan {
  result: R;
  /** Histogram of the original weights. */
  counts: Int32Array;
  panels: BinnedPanel[];
}

/** The y scale every chart shares: the tallest bar, dequantized spikes capped. */
export function yMax(counts: Int32Array, panelCounts: readonly Int32Array[]): number {
  let origMax = 1;
  for (const c of counts) origMax = Math.max(origMax, c);
  let max = origMax;
  for (const counts of panelCounts) {
    let deqMax = 0;
    for (const c of counts) deqMax = Math.max(deqMax, c);
    max = Math.max(max, Math.min(deqMax, SPIKE_CAP * origMax));
  }
  return Math.ceil(max * 1.05);
}

/**
 * Every how many levels a line is drawn: all up to 6 bits (as long as they are 3 device pixels
 * apart), beyond that at most 64 (a rug showing their density).
 */
export function levelStride(p: Pick<HistogramPanel, 'bits' | 'levels'>, spanPx: number, dpr: number): number {
  const n = p.levels.length;
  const step = p.bits <= ALL_LEVELS_BITS ? 1 : Math.ceil(n / MAX_LEVEL_LINES);
  const spacing = spanPx / Math.max(1, n - 1);
  return Math.max(step, spacing > 0 ? Math.ceil((3 * dpr) / spacing) : 1);
}

/** Axis labels for counts: 950, 1.5k, 12k, 1.2M. */
export function compactCount(t: number): string {
  const a = Math.abs(t);
  if (a >= 1e6) return `${+(t / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${+(t / 1e3).toFixed(1)}k`;
  return String(+t.toFixed(2));
}

/** The text alternative of one chart. */
export function describePanel(p: HistogramPanel, { bins, range }: Pick<BinPlan, 'bins' | 'range'>): string {
  const parts = [
    `Histogram of ${p.dequantized.length.toLocaleString()} weights in ${bins} bins over [${formatValue(range[0])}, ${formatValue(range[1])}]`,
    `${p.bits}-bit quantization with ${p.levels.length.toLocaleString()} levels${p.bits > ALL_LEVELS_BITS ? ' (drawn as a density)' : ''}`,
    `clip range [${formatValue(p.clipRange[0])}, ${formatValue(p.clipRange[1])}]`,
    `zero-point ${p.zeroPoint}`,
    `SQNR ${formatDb(p.sqnrDb)}`,
    `${p.clippedCount.toLocaleString()} weights clipped (${formatPercent(p.clippedFraction)})`,
  ];
  return `${parts.join('; ')}.`;
}
