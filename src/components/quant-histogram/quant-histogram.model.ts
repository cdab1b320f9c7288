/**
 * What the histogram shows, computed from a result and its weights alone (no DOM, Node-tested):
 * its two attributes, the panel of each quantization drawn (label, levels, clip range,
 * zero-point, error), the shared x range and bin edges, the y scale and the charts' text.
 */
import { formatLabel } from '../../internal/format.js';
import { MX_BLOCK, blockSpan, blocksFor } from '../../core/blocks.js';
import type { Format, QuantConfig } from '../../core/config.js';
import {
  FORMATS,
  MAX_BITS,
  MIN_BITS,
  integerField,
  parseInteger,
  parseWords,
  type Field,
} from '../../core/fields.js';
import { FORMAT_SPECS, elementBits, levelsOf } from '../../core/formats/tables.js';
import type { QuantResult } from '../../core/result.js';
import { formatDb, formatPercent, formatValue } from '../../internal/format.js';

export const MIN_BINS = 8;
export const MAX_BINS = 512;
/** Every level is drawn up to this many bits per element; beyond it, an even subset. */
export const ALL_LEVELS_BITS = 6;
/** Most level lines drawn in one chart. */
const MAX_LEVEL_LINES = 64;
/** Dequantized spikes are cut at this multiple of the tallest original bin, so the original stays readable. */
const SPIKE_CAP = 2.5;

/** `bins`: view-only (re-binning never re-quantizes). */
export const binsField = integerField(64, MIN_BINS, MAX_BINS);

// ---- compare ----

type NamedFormat = Exclude<Format, 'int'>;
const NAMED: readonly NamedFormat[] = FORMATS.filter((f): f is NamedFormat => f !== 'int');

/** A `compare` token as written: a bit width (`4`), `intN` (`int4`) or a format name (`nf4`). */
export type CompareToken = number | `int${number}` | NamedFormat;

/** What a token quantizes: a format, and for `int` its bit width. */
export type CompareSpec = { format: 'int'; bits: number } | { format: NamedFormat };

/** The spec of a token, or undefined when it is not one (a bare number must be a JS number). */
export function compareSpec(token: unknown): CompareSpec | undefined {
  if (typeof token === 'number')
    return Number.isInteger(token) && token >= MIN_BITS && token <= MAX_BITS
      ? { format: 'int', bits: token }
      : undefined;
  if (typeof token !== 'string') return undefined;
  const m = /^int([1-9]\d*)$/.exec(token);
  if (m) {
    const bits = parseInteger(m[1], MIN_BITS, MAX_BITS);
    return bits === undefined ? undefined : { format: 'int', bits };
  }
  return (NAMED as readonly string[]).includes(token) ? { format: token as NamedFormat } : undefined;
}

/** One name per quantization: `int4` for both `4` and `int4`; also the chart's key. */
export function specKey(spec: CompareSpec): string {
  return spec.format === 'int' ? `int${spec.bits}` : spec.format;
}

/** The key of what a config quantizes (`int4`, `nf4`): its compare token's. */
export function configKey(config: Pick<QuantConfig, 'format' | 'bits'>): string {
  return config.format === 'int' ? `int${config.bits}` : config.format;
}

function parseToken(word: string): CompareToken | undefined {
  if (/^[+-]?\d+$/.test(word)) return parseInteger(word, MIN_BITS, MAX_BITS);
  return compareSpec(word) ? (word as CompareToken) : undefined;
}

const distinct = (tokens: readonly unknown[]) =>
  new Set(tokens.map((t) => specKey(compareSpec(t)!))).size === tokens.length;

/**
 * `compare`: the quantizations drawn as small multiples; empty (or blank) for one chart.
 * The one parser and message of the attribute, the property and the element's compute.
 */
export const compareField: Field<CompareToken[]> = {
  default: [],
  allowed:
    `space-separated distinct bit widths from ${MIN_BITS} to ${MAX_BITS} and/or format names ` +
    `(intN, ${NAMED.join(', ')}), e.g. "2 4 8 16" or "int4 nf4 fp4-e2m1 mxfp4"`,
  parse: (text) => {
    if (text.trim() === '') return [];
    const tokens = parseWords(text, parseToken);
    return tokens && distinct(tokens) ? tokens : undefined;
  },
  valid: (v): v is CompareToken[] =>
    Array.isArray(v) && v.every((t) => compareSpec(t) !== undefined) && distinct(v),
  format: (v) => v.join(' '),
};

/** The config a compare token quantizes with: the element's, in the token's format (and width). */
export function compareConfig(config: QuantConfig, spec: CompareSpec): QuantConfig {
  return spec.format === 'int'
    ? { ...config, format: 'int', bits: spec.bits }
    : { ...config, format: spec.format };
}

/** Whether two configs that differ at most in format and bits quantize the same. */
export function sameQuantization(a: QuantConfig, b: QuantConfig): boolean {
  return a.format === b.format && (a.format !== 'int' || a.bits === b.bits);
}

// ---- labels ----

export { formatLabel };

type LabelConfig = Pick<QuantConfig, 'format' | 'bits' | 'scheme' | 'granularity' | 'groupSize'>;

/** How the quantization splits into scaled blocks, as the core did it (MX and casts fix their own). */
export function blockLabel(config: LabelConfig, shape: readonly number[]): string {
  const kind = FORMAT_SPECS[config.format].kind;
  if (kind === 'cast') return 'no scale';
  const b = blocksFor(shape, config);
  if (kind === 'mx') return `blocks of ${MX_BLOCK}, power-of-two scales`;
  if (b.groups === 1) return 'per tensor';
  if (config.granularity === 'channel' || b.perRow === 1) return `per row of ${b.length}`;
  return `groups of ${b.length}`;
}

/** The words under a panel's name: the int scheme, then the blocks. */
export function detailLabel(config: LabelConfig, shape: readonly number[]): string {
  const blocks = blockLabel(config, shape);
  return config.format === 'int' ? `${config.scheme}, ${blocks}` : blocks;
}

/** Bits per weight as every label shows them: 4.50, 4.25, 16.00. */
export function bitsPerWeightText(bits: number): string {
  return bits.toFixed(2);
}

// ---- panels ----

/** What a panel needs of a quantization: a core result (levels at scale 1 for other formats). */
export type Quantization = Pick<
  QuantResult,
  'qmin' | 'qmax' | 'scale' | 'zeroPoint' | 'codes' | 'dequantized' | 'levels' | 'shape' | 'codeBytes'
> & {
  stats: Pick<QuantResult['stats'], 'sqnrDb' | 'clippedFraction' | 'bitsPerWeight'>;
  config: LabelConfig;
};

/** One chart: a quantization's grid and error. */
export interface HistogramPanel {
  /** `main` for the single chart, else the quantization's name (`int4`, `nf4`). */
  key: string;
  /** "int4", "NF4", "FP4 E2M1"… */
  label: string;
  /** The int scheme and the blocks: "affine, groups of 64", "blocks of 32, power-of-two scales". */
  detail: string;
  format: Format;
  /** Bits of one element (int: the bit width). */
  bits: number;
  sqnrDb: number;
  bitsPerWeight: number;
  clippedFraction: number;
  /** Number of weights whose code was clamped to qmin or qmax. */
  clippedCount: number;
  qmin: number;
  qmax: number;
  /** The block whose grid is drawn: the one with the median scale. */
  block: number;
  blocks: number;
  /** Scale and zero-point of that block. */
  scale: number;
  zeroPoint: number;
  /** That block's grid, sorted: scale · (q − zeroPoint) for int, the format's levels · scale otherwise (float32). */
  levels: Float64Array;
  /** The representable range, widened over all blocks: [scale · (qmin − z), scale · (qmax − z)]. */
  clipRange: [number, number];
  /** Whether the clip range follows the weights (a scale per block); false for fp16/bf16, which saturate at the format's max. */
  scaled: boolean;
  /** The quantization whose dequantized weights are binned (dequantizedCounts). */
  source: Quantization;
}

/**
 * The block whose grid a chart draws: the one with the median scale (the lower median, its first
 * block), so the grid drawn is a typical block's, not an extreme one's.
 */
export function medianBlock(scale: Float32Array): number {
  if (scale.length <= 1) return 0;
  const sorted = Float32Array.from(scale).sort();
  return scale.indexOf(sorted[(scale.length - 1) >> 1]);
}

/** A block's grid: int codes qmin…qmax, or the format's levels, times its scale (float32, as the core). */
export function gridOf(r: Quantization, block: number): Float64Array {
  const s = r.scale[block];
  if (r.config.format !== 'int') {
    const unit = r.levels ?? levelsOf(r.config.format);
    return Float64Array.from(unit, (v) => Math.fround(v * s));
  }
  const z = r.zeroPoint[block];
  const levels = new Float64Array(r.qmax - r.qmin + 1);
  for (let q = r.qmin; q <= r.qmax; q++) levels[q - r.qmin] = Math.fround((q - z) * s);
  return levels;
}

export function panelOf(r: Quantization, key: string): HistogramPanel {
  const { format } = r.config;
  const block = medianBlock(r.scale);
  let lo = Infinity;
  let hi = -Infinity;
  // Hoisted: reading a result's properties per block is slow (32k blocks at 1M weights, groups of 32).
  const { scale, zeroPoint, qmin, qmax } = r;
  for (let b = 0; b < scale.length; b++) {
    lo = Math.min(lo, Math.fround((qmin - zeroPoint[b]) * scale[b]));
    hi = Math.max(hi, Math.fround((qmax - zeroPoint[b]) * scale[b]));
  }
  return {
    key,
    label: formatLabel(r.config),
    detail: detailLabel(r.config, r.shape),
    format,
    bits: format === 'int' ? r.config.bits : elementBits(format),
    sqnrDb: r.stats.sqnrDb,
    bitsPerWeight: r.stats.bitsPerWeight,
    clippedFraction: r.stats.clippedFraction,
    clippedCount: Math.round(r.stats.clippedFraction * sizeOf(r.shape)),
    qmin: r.qmin,
    qmax: r.qmax,
    block,
    blocks: r.scale.length,
    scale: r.scale[block],
    zeroPoint: r.zeroPoint[block],
    levels: gridOf(r, block),
    clipRange: [lo, hi],
    scaled: FORMAT_SPECS[format].kind !== 'cast',
    source: r,
  };
}

/** The charts of a result: one per compare token, keyed by its quantization, or the result's own. */
export function panelsOf(r: Quantization & { compare: readonly Quantization[] }): HistogramPanel[] {
  return r.compare.length > 0 ? r.compare.map((c) => panelOf(c, configKey(c.config))) : [panelOf(r, 'main')];
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

/**
 * The x range every chart shares: the weights and every scaled clip range (never empty). A cast's
 * clip range (±65504 for fp16) would squash the weights into one bin, so it is drawn only if in view.
 */
export function histogramRange(
  [lo, hi]: readonly [number, number],
  panels: readonly Pick<HistogramPanel, 'clipRange' | 'scaled'>[],
): [number, number] {
  for (const p of panels) {
    if (!p.scaled) continue;
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

/**
 * Counts of `values` in the plan's bins, with the core's binning (histogram.ts: float32 steps, the
 * ends catching what is outside). A plain loop over values already on the host: 1M values take
 * ~10 ms, where jax-js (upload, compare or sort, read-back) took ~90 ms (issue 20).
 */
export function binCounts(
  values: Float32Array,
  [lo, hi]: readonly [number, number],
  bins: number,
): Int32Array {
  // referenceHistogram's float32 steps (the tests hold the two equal), as an indexed loop.
  const f = Math.fround;
  const counts = new Int32Array(bins);
  const lo32 = f(lo);
  const factor = f(bins / (hi > lo ? hi - lo : 1));
  const last = bins - 1;
  for (let i = 0; i < values.length; i++) {
    const k = Math.floor(f(f(values[i] - lo32) * factor));
    counts[k < 0 ? 0 : k > last ? last : k]++;
  }
  return counts;
}

/** Values of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Counts of a quantization's dequantized weights in binCounts' bins. With code bytes (int, ≤ 8
 * bits: a quarter of the bytes to copy back) each value is rebuilt as the core made it,
 * fround((q − z) · s) — exact: q − z is a small integer, so the float64 product is exact and
 * rounds once, as the float32 multiply does — and binned by a per-block table of its codes.
 */
export function dequantizedCounts(
  r: Quantization,
  [lo, hi]: readonly [number, number],
  bins: number,
): Int32Array {
  const bytes = r.codeBytes;
  if (!bytes) return binCounts(r.dequantized, [lo, hi], bins);
  const f = Math.fround;
  const counts = new Int32Array(bins);
  const lo32 = f(lo);
  const factor = f(bins / (hi > lo ? hi - lo : 1));
  const last = bins - 1;
  const binOf = (v: number) => {
    const k = Math.floor(f(f(v - lo32) * factor));
    return k < 0 ? 0 : k > last ? last : k;
  };
  const { scale, zeroPoint, qmin } = r;
  const layout = blocksFor(r.shape, r.config);
  const table = new Int32Array(r.qmax - qmin + 1);
  for (let g = 0; g < layout.groups; g++) {
    const [start, end] = blockSpan(layout, g);
    const s = scale[g];
    const base = qmin - zeroPoint[g];
    if (end - start >= table.length) {
      for (let c = 0; c < table.length; c++) table[c] = binOf(f((c + base) * s));
      for (let i = start; i < end; i++) counts[table[bytes[i]]]++;
    } else for (let i = start; i < end; i++) counts[binOf(f((bytes[i] + base) * s))]++;
  }
  return counts;
}

/** Recent counts of the original weights per array: a bits change often keeps the range, toggles revisit it. */
const ORIGINAL_KEPT = 4;
const originals = new WeakMap<Float32Array, { key: string; counts: Int32Array }[]>();

/**
 * Counts of the original weights (memoized per array, range and bins: new bits or a new format
 * re-bin only the dequantized weights when the shared range stays, or comes back).
 */
export function originalCounts(
  values: Float32Array,
  range: readonly [number, number],
  bins: number,
): Int32Array {
  const key = `${range[0]} ${range[1]} ${bins}`;
  let kept = originals.get(values);
  if (!kept) originals.set(values, (kept = []));
  const hit = kept.find((k) => k.key === key);
  if (hit) return hit.counts;
  const counts = binCounts(values, range, bins);
  kept.push({ key, counts });
  if (kept.length > ORIGINAL_KEPT) kept.shift();
  return counts;
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

/**
 * The y scale every chart shares: the tallest bar, dequantized spikes capped, and 20 % headroom,
 * so the tallest uncapped bar ends below the band where the "z=" label sits.
 */
export function yMax(counts: Int32Array, panelCounts: readonly Int32Array[]): number {
  let origMax = 1;
  for (const c of counts) origMax = Math.max(origMax, c);
  let max = origMax;
  for (const counts of panelCounts) {
    let deqMax = 0;
    for (const c of counts) deqMax = Math.max(deqMax, c);
    max = Math.max(max, Math.min(deqMax, SPIKE_CAP * origMax));
  }
  return Math.ceil(max * HEADROOM);
}

/** Room above the tallest bar, as a factor of it. */
export const HEADROOM = 1.2;

/** The levels inside [lo, hi] (levels are sorted): the ones a chart over that range can show. */
export function levelsIn(levels: Float64Array, [lo, hi]: readonly [number, number]): Float64Array {
  let a = 0;
  while (a < levels.length && levels[a] < lo) a++;
  let b = levels.length;
  while (b > a && levels[b - 1] > hi) b--;
  return levels.subarray(a, b);
}

/**
 * Every how many levels a line is drawn: all up to 6 bits per element (as long as they are 3
 * device pixels apart on average), beyond that at most 64 (a rug showing their density).
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

/** Which block's grid is drawn, in words. */
export function gridNote(p: Pick<HistogramPanel, 'block' | 'blocks' | 'scale' | 'scaled'>): string {
  if (!p.scaled) return "no scale: the levels drawn are the format's own, where the weights are";
  if (p.blocks === 1) return `one scale (${formatValue(p.scale, 4)}) for the tensor`;
  return `grid of block ${(p.block + 1).toLocaleString()} of ${p.blocks.toLocaleString()}, the median scale (${formatValue(p.scale, 4)})`;
}

/** The text alternative of one chart. */
export function describePanel(p: HistogramPanel, { bins, range }: Pick<BinPlan, 'bins' | 'range'>): string {
  const dense = p.bits > ALL_LEVELS_BITS ? ' (drawn as a density)' : '';
  const parts = [
    `Histogram of ${sizeOf(p.source.shape).toLocaleString()} weights in ${bins} bins over [${formatValue(range[0])}, ${formatValue(range[1])}]`,
    `${p.label} (${p.detail}) with ${p.levels.length.toLocaleString()} levels${dense}`,
    gridNote(p),
    `clip range [${formatValue(p.clipRange[0])}, ${formatValue(p.clipRange[1])}]`,
    ...(p.format === 'int' ? [`zero-point ${p.zeroPoint}`] : []),
    `SQNR ${formatDb(p.sqnrDb)}`,
    `${bitsPerWeightText(p.bitsPerWeight)} bits per weight`,
    `${p.clippedCount.toLocaleString()} weights clipped (${formatPercent(p.clippedFraction)})`,
  ];
  return `${parts.join('; ')}.`;
}
