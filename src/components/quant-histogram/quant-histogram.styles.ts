import { css } from 'lit';

/** The rules of uplot/dist/uPlot.min.css the charts need (no legend, no title), for the shadow root. */
export const uplotStyles = css`
  .uplot,
  .uplot *,
  .uplot *::before,
  .uplot *::after {
    box-sizing: border-box;
  }
  .uplot {
    font-family: var(--_font);
    line-height: 1.5;
    width: min-content;
  }
  .u-wrap {
    position: relative;
    user-select: none;
  }
  .u-over,
  .u-under {
    position: absolute;
  }
  .u-under {
    overflow: hidden;
  }
  .uplot canvas {
    display: block;
    position: relative;
    width: 100%;
    height: 100%;
  }
  .u-axis {
    position: absolute;
  }
  .u-select {
    background: rgba(0, 0, 0, 0.07);
    position: absolute;
    pointer-events: none;
  }
  .u-cursor-x,
  .u-cursor-y {
    position: absolute;
    left: 0;
    top: 0;
    pointer-events: none;
    will-change: transform;
  }
  .u-hz .u-cursor-x,
  .u-vt .u-cursor-y {
    height: 100%;
    border-right: 1px dashed var(--_muted);
  }
  .u-hz .u-cursor-y,
  .u-vt .u-cursor-x {
    width: 100%;
    border-bottom: 1px dashed var(--_muted);
  }
  .u-cursor-pt {
    position: absolute;
    top: 0;
    left: 0;
    border-radius: 50%;
    border: 0 solid;
    pointer-events: none;
    will-change: transform;
    background-clip: padding-box !important;
  }
  .u-axis.u-off,
  .u-select.u-off,
  .u-cursor-x.u-off,
  .u-cursor-y.u-off,
  .u-cursor-pt.u-off {
    display: none;
  }
`;

export const histogramStyles = css`
  :host {
    --_h-original: var(--quant-histogram-original, var(--_accent));
    --_h-dequantized: var(--quant-histogram-dequantized, #d4640b);
    --_h-level: var(--quant-histogram-level, var(--_muted));
    --_h-clip: var(--quant-histogram-clip, var(--_error));
    --_h-zero: var(--quant-histogram-zero, var(--_fg));
    --_h-height: var(--quant-histogram-height, 220px);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_h-dequantized: var(--quant-histogram-dequantized, #f0883e);
    }
  }
  .charts {
    display: grid;
    gap: var(--_space);
  }
  .charts.multiples {
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 260px), 1fr));
  }
  figure {
    margin: 0;
    min-width: 0;
  }
  figcaption {
    font-size: 0.85em;
    color: var(--_muted);
    margin-bottom: 4px;
  }
  figcaption strong {
    color: var(--_fg);
    font-family: var(--_mono);
  }
  [part~='chart'] {
    width: 100%;
    min-width: 0;
    overflow: hidden;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 14px;
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: 0.85em;
    color: var(--_muted);
  }
  .swatch {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    border-radius: 2px;
    vertical-align: -0.1em;
    margin-right: 4px;
  }
  .swatch.original {
    background: var(--_h-original);
  }
  .swatch.dequantized {
    background: var(--_h-dequantized);
  }
  .swatch.level {
    width: 2px;
    background: var(--_h-level);
  }
  .swatch.clip {
    background: var(--_h-clip);
    opacity: 0.35;
  }
  [part~='summary'] {
    margin: 0;
    font-size: 0.9em;
  }
  [part~='summary'] .num {
    font-family: var(--_mono);
    font-variant-numeric: tabular-nums;
  }
  table.visually-hidden caption {
    text-align: left;
  }
`;
