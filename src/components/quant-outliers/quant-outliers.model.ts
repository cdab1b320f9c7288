/**
 * The pure part of <quant-outliers>: its attribute fields, the methods' labels, the per-channel
 * series the charts draw, and the takeaway sentence generated from the current numbers. No DOM,
 * no jax-js (Node-tested in test/node/quant-outliers.model.test.ts).
 */
import { MAX_BITS, MIN_BITS, parseInteger, type Field } from '../../core/fields.js';
import { OUTLIER_METHODS, type OutlierMethod, type OutlierMethodConfig } from '../../core/outliers/config.js';
import type { OutlierMethodResult, OutliersResult } from '../../core/outliers/types.js';

export { OUTLIER_METHODS, type OutlierMethod };

/** `weight-bits` / `activation-bits`: unset (undefined) follows `bits`. */
export const OPTIONAL_BITS_FIELD: Field<number | undefined> = {
  default: undefined,
  allowed: `an integer from ${MIN_BITS} to ${MAX_BITS} (unset: bits)`,
  parse: (t) => parseInteger(t, MIN_BITS, MAX_BITS),
  valid: (v): v is number | undefined =>
    v === undefined || (Number.isInteger(v) && (v as number) >= MIN_BITS && (v as number) <= MAX_BITS),
  format: (v) => (v === undefined ? '' : String(v)),
};

export const METHOD_LABELS: { readonly [M in OutlierMethod]: string } = {
  naive: 'naive (per tensor)',
  'per-token': 'per token / per channel',
  'llm-int8': 'LLM.int8()',
  smoothquant: 'SmoothQuant',
  rotation: 'rotation (Hadamard)',
};

/**
 * Chart-axis names, on two lines (uPlot splits at "\n"): five side by side under a chart 375 px
 * wide left ~50 px each, less than one-line "per-token" or "SmoothQuant" takes.
 */
export const SHORT_LABELS: { readonly [M in OutlierMethod]: string } = {
  naive: 'naive',
  'per-token': 'per\ntoken',
  'llm-int8': 'LLM\nint8',
  smoothquant: 'Smooth\nQuant',
  rotation: 'rota-\ntion',
};

/** "W8A8", "W4A16". */
export function bitsLabel(config: Pick<OutlierMethodConfig, 'weightBits' | 'activationBits'>): string {
  return `W${config.weightBits}A${config.activationBits}`;
}

/** Which operand a channel chart shows. */
export type Operand = 'activations' | 'weights';

/**
 * One channel chart's data: x = channel index, before and after a method (uPlot's aligned data).
 * The rotation has n ≥ C channels after; `before` has none beyond C (null). Zeros are null: the
 * axis is logarithmic.
 */
export function channelSeries(
  result: OutliersResult,
  method: OutlierMethod,
  operand: Operand,
): [number[], (number | null)[], (number | null)[]] {
  const m = result.methods.find((r) => r.method === method)!;
  const before = operand === 'activations' ? result.stats.xMax : result.stats.wMax;
  const after = operand === 'activations' ? m.xMaxAfter : m.wMaxAfter;
  const n = Math.max(before.length, after.length);
  const positive = (v: number | undefined) => (v !== undefined && v > 0 ? v : null);
  return [
    Array.from({ length: n }, (_, i) => i),
    Array.from({ length: n }, (_, i) => positive(before[i])),
    Array.from({ length: n }, (_, i) => positive(after[i])),
  ];
}

/** max / median of a channel profile (how far the largest channel stands out). */
export function peakToMedian(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const max = sorted[sorted.length - 1];
  return median > 0 ? max / median : max > 0 ? Infinity : 1;
}

const db = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} dB` : 'no error');
const num = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

function byMethod(result: OutliersResult): Record<OutlierMethod, OutlierMethodResult> {
  return Object.fromEntries(result.methods.map((m) => [m.method, m])) as Record<
    OutlierMethod,
    OutlierMethodResult
  >;
}

/**
 * One sentence that holds for the numbers in `result`: the best method and its margin over naive
 * per-tensor quantization, what the outlier channels are, and what it costs in bits. Generated
 * from the result alone, so it is true for whatever data and config produced it.
 */
export function takeaway(result: OutliersResult): string {
  const by = byMethod(result);
  const ranked = [...result.methods].sort((a, b) => b.sqnrDb - a.sqnrDb);
  const best = ranked[0];
  const naive = by.naive;
  const label = bitsLabel(result.config);
  const k = result.stats.outlierChannels.length;
  const channels = result.shape[1];
  const spread = peakToMedian(result.stats.xMax);
  const margin = best.sqnrDb - naive.sqnrDb;
  let lead: string;
  if (!Number.isFinite(best.sqnrDb) && !Number.isFinite(naive.sqnrDb))
    lead = `At ${label} every method reproduces Y exactly`;
  else if (best.method === 'naive' || margin < 0.05)
    lead = `At ${label} naive per-tensor quantization is already as good as any method here (${db(naive.sqnrDb)})`;
  else
    lead =
      `At ${label}, ${METHOD_LABELS[best.method]} keeps the most of Y (${db(best.sqnrDb)} SQNR, ` +
      `${margin.toFixed(1)} dB above naive per-tensor at ${best.bitsPerValue.toFixed(2)} bits per value)`;
  let why: string;
  if (k === 0)
    why = `no channel's max |x| exceeds the threshold ${num(result.config.threshold)}, so LLM.int8() keeps nothing in float16`;
  else
    why =
      `${k} of ${channels} channels exceed ${num(result.config.threshold)} ` +
      `(the largest peaks ${num(spread)}× the median channel) and ` +
      (by['llm-int8'].sqnrDb >= by['per-token'].sqnrDb
        ? `keeping them in float16 (${((by['llm-int8'].floatShare ?? 0) * 100).toFixed(1)}% of the values) lifts per-token quantization by ${(by['llm-int8'].sqnrDb - by['per-token'].sqnrDb).toFixed(1)} dB`
        : `keeping them in float16 does not help per-token quantization here`);
  const kb = result.stats.kurtosisBefore;
  const ka = result.stats.kurtosisAfterRotation;
  const rotation =
    kb !== null && ka !== null ? `; rotation takes X's kurtosis from ${num(kb)} to ${num(ka)}` : '';
  return `${lead}: ${why}${rotation}.`;
}

/** The comparison table's cells per method, formatted. */
export function methodRows(result: OutliersResult): { method: OutlierMethod; cells: string[] }[] {
  return OUTLIER_METHODS.map((method) => {
    const m = byMethod(result)[method];
    return {
      method,
      cells: [
        METHOD_LABELS[method],
        db(m.sqnrDb),
        m.relError.toExponential(2),
        m.maxAbsError.toPrecision(3),
        m.bitsPerValue.toFixed(3),
        m.floatShare === undefined ? '—' : `${(m.floatShare * 100).toFixed(1)}%`,
      ],
    };
  });
}

export const METHOD_COLUMNS = [
  'method',
  'SQNR',
  '‖Y − Y′‖ / ‖Y‖',
  'max |Y − Y′|',
  'bits / value',
  'kept in float16',
];
