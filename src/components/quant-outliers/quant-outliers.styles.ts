import { css } from 'lit';

export const outliersStyles = css`
  :host {
    --_before: var(--quant-outliers-before, light-dark(#afb8c1, #6e7681));
    --_after: var(--quant-outliers-after, var(--_accent));
    --_bar: var(--quant-outliers-bar, var(--_accent));
  }
  /* The result's views, one grid cell: the frame's gap between them, as before they were wrapped. */
  [part~='result'] {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_space);
  }
  [part~='takeaway'] {
    margin: 0;
    font-weight: 600;
  }
  .chip {
    display: inline-block;
    width: 0.8em;
    height: 0.8em;
    border-radius: 2px;
    vertical-align: -0.05em;
  }
  .chip.before {
    background: var(--_before);
  }
  .chip.after {
    background: var(--_after);
  }
  .scroll {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    font-size: var(--_text-small);
  }
  th,
  td {
    padding: 3px 8px;
    border-bottom: 1px solid var(--_border);
    text-align: end;
    white-space: nowrap;
  }
  th:first-child,
  td:first-child {
    text-align: start;
  }
  td {
    font-family: var(--_mono);
  }
  td:first-child {
    font-family: inherit;
  }
  [part~='stats'] {
    margin: 0;
    color: var(--_muted);
    font-size: var(--_text-small);
  }
`;
