import { css } from 'lit';

/**
 * Global tokens, resolved once per element into private `--_*` variables. Colours are
 * `light-dark()` pairs: the element's `color-scheme`, which src/internal/theme.ts sets from the
 * page or the reader's preference, picks one (a page's own `--quant-*` value wins over both).
 */
export const baseStyles = css`
  :host {
    --_font: var(--quant-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_mono: var(--quant-font-mono, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
    --_fg: var(--quant-fg, light-dark(#1c2128, #e6edf3));
    --_muted: var(--quant-muted, light-dark(#57606a, #9198a1));
    --_bg: var(--quant-bg, light-dark(#ffffff, #0d1117));
    --_surface: var(--quant-surface, light-dark(#f6f8fa, #161b22));
    --_border: var(--quant-border, light-dark(#d0d7de, #3d444d));
    --_accent: var(--quant-accent, light-dark(#0969da, #4493f8));
    --_accent-fg: var(--quant-accent-fg, light-dark(#ffffff, #0d1117));
    --_error: var(--quant-error, light-dark(#cf222e, #ff7b72));
    --_error-bg: var(--quant-error-bg, light-dark(#ffebe9, #3c1618));
    --_radius: var(--quant-radius, 8px);
    --_space: var(--quant-space, 12px);
    --_focus: var(--quant-focus, light-dark(#0969da, #4493f8));
    /* Smaller text, never below legible: secondary text at 13 px at least, dense numbers (matrix
       cells, bit patterns) at 12 px; em-relative above that, so a larger --quant-font-size scales it. */
    --_text-small: max(13px, 0.93em);
    --_scroll-shadow: light-dark(rgb(0 0 0 / 0.28), rgb(255 255 255 / 0.3));
    --_text-num: max(12px, 0.86em);
    display: block;
    box-sizing: border-box;
    color: var(--_fg);
    font-family: var(--_font);
    font-size: var(--quant-font-size, 14px);
    line-height: 1.45;
  }
  /* Forced colours (Windows contrast themes): the reader's system colours, page tokens included,
     so canvases, which the browser does not adjust, draw in them too. */
  @media (forced-colors: active) {
    :host {
      --_fg: CanvasText;
      --_muted: GrayText;
      --_bg: Canvas;
      --_surface: Canvas;
      --_border: CanvasText;
      --_accent: Highlight;
      --_accent-fg: HighlightText;
      --_error: CanvasText;
      --_error-bg: Canvas;
      --_focus: Highlight;
    }
  }
  :host(:state(light)) {
    color-scheme: light;
  }
  :host(:state(dark)) {
    color-scheme: dark;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  /* Colour keys (.swatch, .chip, .key, in every element) keep the colours of the canvas they
     explain: canvases are not forced, so a forced key would no longer match. */
  .swatch,
  .chip,
  .key {
    forced-color-adjust: none;
  }
  [part~='base'] {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
    display: grid;
    /* minmax(0, …): wide content (a 16-column matrix) scrolls inside its box instead of widening the widget */
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_space);
    min-width: 0;
  }
  /* Until the first result the frame keeps the element's room (QuantBase.reservedHeight), the same
     as the loader's :not(:defined) rule, narrow below 600 px like it: the page does not move. */
  [part~='base'].reserving {
    min-height: var(--_reserve-wide);
    /* The rows it has stay where they will be: controls at the top, the status line at the bottom. */
    align-content: space-between;
  }
  @media (max-width: 599px) {
    [part~='base'].reserving {
      min-height: var(--_reserve-narrow);
    }
  }
  /* A result shown while a newer one is computed (a slider being dragged): dimmed, after a moment,
     so a quick update does not flicker; aria-busy says the same to assistive technology. */
  .stale {
    opacity: 0.55;
    transition: opacity 0.15s 0.12s;
  }
  @media (forced-colors: active) {
    .stale {
      opacity: 1;
      outline: 1px dashed GrayText;
    }
  }
  [part~='error'] {
    color: var(--_error);
    background: var(--_error-bg);
    border-radius: calc(var(--_radius) / 2);
    padding: 6px 10px;
    margin: 0;
  }
  [part~='error'] p {
    margin: 0;
  }
  [part~='status'] {
    color: var(--_muted);
    font-size: var(--_text-small);
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  /* A box that scrolls shows it: a shadow at an edge with more content past it. The covers
     (background-attachment: local) scroll with the content and hide each shadow (scroll) at the
     end it has reached. Content with its own opaque background hides them too: keep cells translucent. */
  .scroll-x {
    overflow-x: auto;
    background:
      linear-gradient(to right, var(--_bg) 30%, transparent) left / 32px 100% no-repeat local,
      linear-gradient(to left, var(--_bg) 30%, transparent) right / 32px 100% no-repeat local,
      radial-gradient(farthest-side at 0 50%, var(--_scroll-shadow), transparent) left / 12px 100% no-repeat
        scroll,
      radial-gradient(farthest-side at 100% 50%, var(--_scroll-shadow), transparent) right / 12px 100%
        no-repeat scroll;
  }
  .scroll-y {
    overflow-y: auto;
    background:
      linear-gradient(var(--_bg) 30%, transparent) top / 100% 32px no-repeat local,
      linear-gradient(to top, var(--_bg) 30%, transparent) bottom / 100% 32px no-repeat local,
      radial-gradient(farthest-side at 50% 0, var(--_scroll-shadow), transparent) top / 100% 12px no-repeat
        scroll,
      radial-gradient(farthest-side at 50% 100%, var(--_scroll-shadow), transparent) bottom / 100% 12px
        no-repeat scroll;
  }
  /* Read by assistive technology, not drawn. Put it on a wrapper, never on a table: a table
     ignores width and overflow, keeps its content's width and scrolls a phone's page sideways. */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    border: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
