import { css } from 'lit';

export const histogramStyles = css`
  :host {
    --_h-original: var(--quant-histogram-original, var(--_accent));
    --_h-dequantized: var(--quant-histogram-dequantized, light-dark(#d4640b, #f0883e));
    --_h-level: var(--quant-histogram-level, var(--_muted));
    --_h-clip: var(--quant-histogram-clip, var(--_error));
    --_h-zero: var(--quant-histogram-zero, var(--_fg));
    --_h-height: var(--quant-histogram-height, 220px);
  }
  .charts {
    display: grid;
    gap: var(--_space);
  }
  /* Captions of one row may wrap to different heights: they grow, so the charts line up. */
  figure {
    margin: 0;
    min-width: 0;
    display: flex;
    flex-direction: column;
  }
  figcaption {
    flex: 1 0 auto;
    font-size: var(--_text-small);
    color: var(--_muted);
    margin-bottom: 4px;
  }
  figcaption strong {
    color: var(--_fg);
    font-family: var(--_mono);
  }
  figcaption .name strong {
    font-family: inherit;
    margin-right: 4px;
  }
  figcaption > span {
    display: block;
  }
  figcaption .numbers {
    font-variant-numeric: tabular-nums;
  }
  figcaption .item {
    white-space: nowrap;
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
    font-size: var(--_text-small);
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
    font-size: var(--_text-small);
  }
  [part~='summary'] .num {
    font-family: var(--_mono);
    font-variant-numeric: tabular-nums;
  }
  .capped {
    margin: 2px 0 0;
    color: var(--_muted);
    font-size: var(--_text-small);
  }
  .visually-hidden caption {
    text-align: left;
  }
`;
