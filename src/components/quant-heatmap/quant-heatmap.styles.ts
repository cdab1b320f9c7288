import { css } from 'lit';

/**
 * Band colours resolve from `--quant-heatmap-*` (page or host) over the palette's own
 * colours. They are set on the view wrapper (which carries `data-palette`) and read back
 * with getComputedStyle for the canvas, so the legend and the canvas always agree.
 */
export const heatmapStyles = css`
  :host {
    --_max-height: var(--quant-heatmap-max-height, 480px);
    --_cursor: var(--quant-heatmap-cursor, var(--_fg));
    --_selected: var(--quant-heatmap-selected, var(--_accent));
  }
  .view {
    display: contents;
    --_low: var(--quant-heatmap-low, #2f6fdf);
    --_mid: var(--quant-heatmap-mid, #8e44c9);
    --_high: var(--quant-heatmap-high, #d7263d);
    --_clipped: var(--quant-heatmap-clipped, #f2a900);
  }
  .view[data-palette='colorblind'] {
    /* viridis end points and middle; clipped cells magenta, the colour farthest from all three
       bands under protanopia, deuteranopia and tritanopia (vermillion was near the yellow band;
       test/node/heatmap-palette.test.ts) */
    --_low: var(--quant-heatmap-low, #440154);
    --_mid: var(--quant-heatmap-mid, #21918c);
    --_high: var(--quant-heatmap-high, #fde725);
    --_clipped: var(--quant-heatmap-clipped, #dd00ff);
  }
  [part~='chart'] {
    position: relative;
    margin: 0;
    padding: 0;
    line-height: 0;
  }
  [part~='grid'] {
    display: block;
    width: 100%;
    height: auto;
    margin: 0;
    padding: 0;
    border: 0;
    image-rendering: pixelated;
    cursor: crosshair;
    touch-action: manipulation;
  }
  .mark {
    position: absolute;
    pointer-events: none;
    box-sizing: border-box;
    min-width: 3px;
    min-height: 3px;
  }
  .mark.selected {
    outline: 2px solid var(--_selected);
    box-shadow: 0 0 0 3px var(--_bg);
  }
  .mark.cursor {
    outline: 2px dashed var(--_cursor);
    box-shadow: 0 0 0 3px var(--_bg);
  }
  [part~='legend'] {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 16px;
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: var(--_text-small);
  }
  [part~='legend'] li {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .swatch {
    display: inline-block;
    width: 12px;
    height: 12px;
    border-radius: 2px;
    border: 1px solid var(--_border);
    flex: none;
  }
  .swatch.low {
    background: var(--_low);
  }
  .swatch.mid {
    background: var(--_mid);
  }
  .swatch.high {
    background: var(--_high);
  }
  .swatch.clipped {
    background: var(--_clipped);
  }
  .count {
    font-family: var(--_mono);
    font-variant-numeric: tabular-nums;
  }
  [part~='detail'] {
    background: var(--_surface);
    border-radius: 6px;
    padding: 8px 10px;
    margin: 0;
  }
  [part~='detail'] dl {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(130px, 1fr));
    gap: 6px 14px;
    margin: 0;
  }
  [part~='detail'] dt {
    color: var(--_muted);
    font-size: var(--_text-small);
  }
  [part~='detail'] dd {
    margin: 0;
    font-family: var(--_mono);
    font-variant-numeric: tabular-nums;
  }
  [part~='detail'] p {
    margin: 0;
    color: var(--_muted);
  }
`;
