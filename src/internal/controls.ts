/**
 * The config controls every element draws the same way: the bits slider and
 * a labelled select. Templates only; the element passes its handlers.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { MAX_BITS, MIN_BITS } from '../core/fields.js';

export const controlStyles = css`
  [part~='controls'] {
    display: flex;
    flex-wrap: wrap;
    gap: 10px 18px;
    align-items: end;
  }
  .control {
    display: grid;
    gap: 4px;
    min-width: 0;
  }
  .control > span,
  legend {
    color: var(--_muted);
    font-size: var(--_text-small);
    padding: 0;
  }
  input[type='range'] {
    accent-color: var(--_accent);
    width: min(220px, 60vw);
  }
  select {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 3px 6px;
  }
  output {
    font-family: var(--_mono);
    font-weight: 600;
  }
`;

/** The kit's action buttons (Run, Cancel, Clear): accent, or `.secondary`, with a focus ring. */
export const buttonStyles = css`
  button {
    font: inherit;
    color: var(--_accent-fg);
    background: var(--_accent);
    /* Forced colours: HighlightText on Highlight, not on the text backplate (same colour). */
    forced-color-adjust: none;
    border: 0;
    border-radius: 6px;
    padding: 4px 14px;
    cursor: pointer;
  }
  button.secondary {
    color: var(--_fg);
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  button:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
`;

/**
 * The 2–16 bits slider: `onBits(bits, committed)` gets live input (false) and the release (true).
 * The `<label>` names the `<input>` (by id: wrapping both would label the `<output>`, which is
 * labelable too); the value is read out through `aria-valuetext`, so the output is hidden from AT.
 * `name` (e.g. "Affine simulator: bits", from the element's `named()`) replaces the label's text
 * as the accessible name.
 */
export function bitsSlider(
  bits: number,
  onBits: (bits: number, committed: boolean) => void,
  name?: string,
): TemplateResult {
  const read = (e: Event) => Number((e.target as HTMLInputElement).value);
  return html`<div class="control">
    <span
      ><label for="bits-slider">bits</label>
      <output for="bits-slider" aria-hidden="true">${bits}</output></span
    >
    <input
      id="bits-slider"
      type="range"
      min=${MIN_BITS}
      max=${MAX_BITS}
      step="1"
      .value=${String(bits)}
      aria-label=${name && name !== 'bits' ? name : nothing}
      aria-valuetext=${`${bits} bits`}
      @input=${(e: Event) => onBits(read(e), false)}
      @change=${(e: Event) => onBits(read(e), true)}
    />
  </div>`;
}

/**
 * A labelled select; `options` are values, or `[value, label]` pairs; `name` replaces `label` as the
 * accessible name (as in bitsSlider).
 */
export function selectControl<T extends string>(
  label: string,
  value: T,
  options: readonly (T | readonly [T, string])[],
  onChange: (value: T) => void,
  name?: string,
): TemplateResult {
  return html`<label class="control">
    <span>${label}</span>
    <select
      aria-label=${name && name !== label ? name : nothing}
      .value=${value}
      @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value as T)}
    >
      ${options.map((o) => {
        const [v, text] = typeof o === 'string' ? [o, o] : o;
        return html`<option value=${v} ?selected=${value === v}>${text}</option>`;
      })}
    </select>
  </label>`;
}
