import { css } from 'lit';

export const simulatorStyles = css`
  :host {
    /* translucent, so the scroll shadows under a wide matrix show through its cells */
    --_cell-bg: var(--quant-simulator-cell-bg, color-mix(in srgb, var(--_surface) 75%, transparent));
    --_selected: var(--quant-simulator-selected, var(--_accent));
    /* bit fields: hues apart, each ≥ 4.5:1 on the cell background */
    --_sign: var(--quant-simulator-sign, light-dark(#bf3989, #f778ba));
    --_exponent: var(--quant-simulator-exponent, light-dark(#0550ae, #79c0ff));
    --_mantissa: var(--quant-simulator-mantissa, light-dark(#7d4e00, #e3b341));
  }
  .bits {
    white-space: nowrap;
  }
  .sign {
    color: var(--_sign);
  }
  .exponent {
    color: var(--_exponent);
  }
  .mantissa {
    color: var(--_mantissa);
  }
  /* read by assistive technology and copied with the text, not seen: 2^−3 */
  .vh {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  sup {
    white-space: nowrap;
    font-size: var(--_text-num);
    line-height: 0;
  }
  .gate[disabled] {
    opacity: 0.6;
  }
  .note {
    flex-basis: 100%;
    margin: 0;
    color: var(--_muted);
    font-size: var(--_text-small);
  }
  .picker {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 12px;
    align-items: center;
    color: var(--_muted);
    font-size: var(--_text-small);
  }
  .picker input {
    font: inherit;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 2px 6px;
    width: 5em;
    margin-left: 4px;
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 4px;
  }
  .segmented {
    display: inline-flex;
    border: 1px solid var(--_border);
    border-radius: 6px;
    overflow: hidden;
  }
  .segmented label {
    padding: 4px 10px;
    cursor: pointer;
    position: relative;
  }
  .segmented input {
    position: absolute;
    opacity: 0;
    inset: 0;
    margin: 0;
    cursor: pointer;
  }
  .segmented label:has(input:checked) {
    background: var(--_accent);
    color: var(--_accent-fg);
    /* Forced colours: HighlightText on Highlight, not on the text backplate (same colour). */
    forced-color-adjust: none;
  }
  .segmented label:has(input:focus-visible) {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  .matrices {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space) calc(var(--_space) * 2);
  }
  figure {
    margin: 0;
    max-width: 100%;
    overflow-x: auto;
  }
  figcaption {
    color: var(--_muted);
    font-size: var(--_text-small);
    margin-bottom: 4px;
  }
  table {
    border-collapse: separate;
    border-spacing: 2px;
    font-family: var(--_mono);
    font-size: var(--_text-num);
    font-variant-numeric: tabular-nums;
  }
  td {
    background: var(--_cell-bg);
    padding: 2px 5px;
    text-align: right;
    border-radius: 3px;
    cursor: pointer;
    border: 1px solid transparent;
  }
  td[aria-selected='true'] {
    border-color: var(--_selected);
    box-shadow: inset 0 0 0 1px var(--_selected);
  }
  [part~='formula'] {
    font-family: var(--_mono);
    background: var(--_surface);
    border-radius: 6px;
    padding: 8px 10px;
    overflow-wrap: anywhere;
  }
  [part~='formula'] .where {
    color: var(--_muted);
    font-family: var(--_font);
    white-space: normal;
    margin: 4px 0 0;
  }
  [part~='metrics'] {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
    gap: 6px 14px;
    margin: 0;
  }
  [part~='metrics'] div {
    min-width: 0;
  }
  dt {
    color: var(--_muted);
    font-size: var(--_text-small);
  }
  dd {
    margin: 0;
    font-family: var(--_mono);
    font-variant-numeric: tabular-nums;
  }
  .params {
    font-family: var(--_mono);
    font-size: var(--_text-small);
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .bit-key {
    margin: 0 0 4px;
    display: flex;
    flex-wrap: wrap;
    gap: 4px 14px;
    font-size: var(--_text-small);
  }
  .bit-key .swatch {
    display: inline-block;
    width: 12px;
    height: 12px;
    margin-right: 5px;
    border-radius: 2px;
    vertical-align: -1px;
  }
  .bit-key .swatch.sign {
    background: var(--_sign);
  }
  .bit-key .swatch.exponent {
    background: var(--_exponent);
  }
  .bit-key .swatch.mantissa {
    background: var(--_mantissa);
  }
  .strip-scroll {
    overflow-x: auto;
    max-width: 100%;
  }
  .strip table td,
  .strip table th {
    font-size: var(--_text-num);
    padding: 2px 4px;
    white-space: nowrap;
  }
  .strip table th {
    font-size: var(--_text-small);
    text-align: left;
    color: var(--_muted);
    font-weight: normal;
  }
  .strip td.selected {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
`;
