/**
 * Where the histogram's overlay marks go (pure: Node-tested). The "z=" label sits in a band above
 * the plot area, where no bar reaches, and a bar taller than the shared y scale (a dequantized
 * spike, capped) gets a break mark at its top; its true count is in the caption and the table.
 */

/** Height (CSS px) of the band above the plot area that holds the "z=" label. */
export const LABEL_BAND = 16;

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The bins whose count runs past the y scale's top (their bars are cut there), and the counts. */
export function cappedBins(counts: ArrayLike<number>, yMax: number): { bin: number; count: number }[] {
  const out: { bin: number; count: number }[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i] > yMax) out.push({ bin: i, count: counts[i] });
  return out;
}

/**
 * The "z=" label's box (canvas px): in the band above the plot (`plot` is uPlot's bbox), right of
 * the zero line, kept inside the plot's width; `textWidth` as measured, `dpr` the pixel ratio.
 */
export function zeroLabelBox(zeroX: number, plot: Box, textWidth: number, dpr: number): Box {
  const width = textWidth + 4 * dpr;
  const height = (LABEL_BAND - 2) * dpr;
  const left = Math.max(plot.left, Math.min(zeroX + 2 * dpr, plot.left + plot.width - width));
  return { left, top: plot.top - LABEL_BAND * dpr, width, height };
}

/** A bar's box (canvas px) from its bin's edges and count on the shared scale, cut at the plot's top. */
export function barBox(x0: number, x1: number, count: number, yMax: number, plot: Box): Box {
  const h = Math.min(count / yMax, 1) * plot.height;
  return { left: Math.min(x0, x1), top: plot.top + plot.height - h, width: Math.abs(x1 - x0), height: h };
}

export const intersects = (a: Box, b: Box): boolean =>
  a.left < b.left + b.width &&
  b.left < a.left + a.width &&
  a.top < b.top + b.height &&
  b.top < a.top + a.height;
