/** <quant-outliers>'s two uPlot charts: SQNR per method, and max |x| per channel before / after a method. */
import uPlot from 'uplot';
import type { ChartSpec } from '../../controllers/chart-controller.js';
import type { OutliersResult } from '../../core/outliers/types.js';
import { OUTLIER_METHODS, SHORT_LABELS } from './quant-outliers.model.js';

export type ChartColors = Record<'before' | 'after' | 'bar' | 'muted' | 'border', string>;

const axis = (c: ChartColors) => ({
  stroke: c.muted,
  grid: { stroke: c.border, width: 1 },
  ticks: { stroke: c.border },
});

const bars = (color: string, size: [number, number]): uPlot.Series => ({
  stroke: color,
  fill: color,
  paths: uPlot.paths.bars!({ size }),
  points: { show: false },
});

/**
 * SQNR (dB) of every method, one bar each; an exact result (∞) is drawn at the top. The options
 * depend on nothing but the colours (ranges come from the data), so a new result is a setData.
 */
export function comparisonChart(result: OutliersResult, c: ChartColors): ChartSpec {
  const x = result.methods.map((_, i) => i);
  const finite = result.methods.map((m) => m.sqnrDb).filter(Number.isFinite);
  const top = Math.max(1, ...finite) * 1.1;
  return {
    height: 200,
    data: [x, result.methods.map((m) => (Number.isFinite(m.sqnrDb) ? m.sqnrDb : top))],
    options: {
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.6, OUTLIER_METHODS.length - 0.4] },
        y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max) * 1.1] },
      },
      axes: [
        {
          ...axis(c),
          splits: () => OUTLIER_METHODS.map((_, i) => i),
          values: (_u, splits) => splits.map((i) => SHORT_LABELS[OUTLIER_METHODS[i]] ?? ''),
          // Two lines of labels.
          size: 50,
        },
        { ...axis(c), label: 'SQNR of Y′ (dB)', size: 56 },
      ],
      series: [{}, { label: 'SQNR', ...bars(c.bar, [0.6, 64]) }],
    },
  };
}

/** max |x| (or |w|) per channel before (muted) and after (accent) one method, log scale. */
export function channelChart(
  data: [number[], (number | null)[], (number | null)[]],
  label: string,
  c: ChartColors,
): ChartSpec {
  return {
    height: 220,
    data,
    options: {
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: (u) => [-0.5, u.data[0].length - 0.5] }, y: { distr: 3 } },
      axes: [
        { ...axis(c), label: 'channel', size: 40 },
        { ...axis(c), label, size: 64 },
      ],
      series: [
        {},
        { label: 'before', ...bars(c.before, [1, 8]) },
        { label: 'after', ...bars(c.after, [0.5, 4]) },
      ],
    },
  };
}
