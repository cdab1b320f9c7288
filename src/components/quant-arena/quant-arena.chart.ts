/** The arena's GFLOP/s chart on uPlot: bars per path and device, p25–p75 whiskers. */
import uPlot from 'uplot';
import type { ChartSpec } from '../../controllers/chart-controller.js';
import type { ArenaPath, Bars } from './quant-arena.model.js';

/** The paths that compute on integers: their bars get their own colour. */
const INTEGER_PATHS = new Set<ArenaPath>(['int-jax', 'i8-simd', 'i8-relaxed']);

/** Axis text on the canvas: numbers at 12 px at least, like the widget's text (the default is 10 px). */
const AXIS_FONT = (font: string) => `12px ${font}`;

/**
 * A bar chart of GFLOP/s with p25–p75 whiskers: one series per kernel (path · device), each with a
 * value at its own x only; integer paths in their own colour.
 */
export function barChart(
  b: Bars,
  c: Record<'bar' | 'int' | 'fg' | 'muted' | 'border' | 'font', string>,
): ChartSpec {
  const x = b.labels.map((_, i) => i);
  const integer = b.paths.map((p) => INTEGER_PATHS.has(p));
  const whiskers = (u: uPlot) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = c.fg;
    ctx.lineWidth = Math.max(1, devicePixelRatio);
    for (let i = 0; i < x.length; i++) {
      const px = u.valToPos(i, 'x', true);
      const [y0, y1] = [u.valToPos(b.low[i], 'y', true), u.valToPos(b.high[i], 'y', true)];
      const w = 4 * devicePixelRatio;
      ctx.beginPath();
      ctx.moveTo(px, y0);
      ctx.lineTo(px, y1);
      ctx.moveTo(px - w, y0);
      ctx.lineTo(px + w, y0);
      ctx.moveTo(px - w, y1);
      ctx.lineTo(px + w, y1);
      ctx.stroke();
    }
    ctx.restore();
  };
  const axis = {
    stroke: c.muted,
    font: AXIS_FONT(c.font),
    labelFont: AXIS_FONT(c.font),
    grid: { stroke: c.border, width: 1 },
    ticks: { stroke: c.border },
  };
  const bars = (color: string): uPlot.Series => ({
    stroke: color,
    fill: color,
    paths: uPlot.paths.bars!({ size: [0.6, 48] }),
    points: { show: false },
  });
  const top = Math.max(...b.high, ...b.gflops) * 1.1 || 1;
  return {
    height: 260,
    data: [x, ...b.gflops.map((v, i) => x.map((j) => (j === i ? v : null)))],
    options: {
      legend: { show: false },
      cursor: { show: false },
      // room on the right for the last rotated label
      padding: [8, 64, 0, 0],
      scales: { x: { time: false, range: [-0.6, x.length - 0.4] }, y: { range: [0, top] } },
      axes: [
        {
          ...axis,
          splits: () => x,
          values: (_u, splits) => splits.map((i) => b.labels[i]?.replace(' · wasm-simd', ' · simd') ?? ''),
          rotate: -35,
          size: 110,
          gap: 4,
        },
        { ...axis, label: 'GFLOP/s', size: 56 },
      ],
      series: [{}, ...b.labels.map((label, i) => ({ label, ...bars(integer[i] ? c.int : c.bar) }))],
      hooks: { draw: [whiskers] },
    },
  };
}
