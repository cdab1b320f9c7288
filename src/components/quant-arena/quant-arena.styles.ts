import { css } from 'lit';

export const arenaStyles = css`
  :host {
    --_bar: var(--quant-arena-bar, var(--_accent));
    --_bar-int: var(--quant-arena-bar-int, #d4640b);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 12px;
    align-items: center;
  }
  progress {
    width: min(260px, 60vw);
    accent-color: var(--_accent);
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
    padding: 2px 10px 2px 0;
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
  [part~='note'] {
    background: var(--_surface);
    border-radius: var(--_radius);
    padding: 8px 12px;
  }
  [part~='note'] p {
    margin: 0 0 6px;
  }
  /* A formula's index: a symbol, held to the numbers' floor */
  sub {
    font-size: max(12px, 0.8em);
  }
  details summary {
    cursor: pointer;
  }
  [part~='headline'] p {
    margin: 0 0 4px;
    font-size: 1.05em;
  }
  [part~='details'] > :not(summary) {
    margin-top: var(--_space);
  }
  .example {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    font-family: var(--_mono);
  }
  .chip {
    display: inline-block;
    width: 0.8em;
    height: 0.8em;
    border-radius: 2px;
    vertical-align: -0.05em;
    margin: 0 3px 0 6px;
    background: var(--_bar);
  }
  .chip.int {
    background: var(--_bar-int);
  }
  .skipped {
    color: var(--_muted);
  }
`;
