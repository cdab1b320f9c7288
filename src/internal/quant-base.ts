import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { ErrorsController } from '../controllers/errors.js';
import { asRegion, controlName } from './a11y.js';
import type { QuantErrorDetail, QuantEventDetails, QuantEventMap } from './events.js';
import { ATTRIBUTE_ERROR, fieldAccessor, type FieldDeclaration, type FieldHost } from './fields.js';
import { RESERVED_HEIGHTS } from './reserve.js';
import { styleProps } from './style-props.js';
import { baseStyles } from './styles.js';
import { ThemeController } from './theme.js';

type Listener<E, T> = ((this: T, event: E) => unknown) | { handleEvent(event: E): unknown };

/**
 * The thin typed base of every element: typed `emit`, `result: R | null`, `error`, `redraw()`,
 * the status and error templates, and field properties (src/internal/fields.ts). No jax-js and no
 * attributes of its own beyond the `aria-label` it reads: elements compose controllers for what they need.
 *
 * The host is a region (ElementInternals), named by the page's `aria-label` or `aria-labelledby`
 * on the tag, or else by the element's own default; its controls are named after it.
 *
 * @attr {string} aria-label - Names the widget (a region) for assistive technology, and its controls after it: `aria-label="Affine simulator"` makes the bits slider "Affine simulator: bits". Default: the element's own name ("Quantization simulator").
 * @attr {string} aria-labelledby - Like `aria-label`, from the text of the elements with these ids (e.g. the section's heading).
 *
 * @csspart base - The element's frame.
 * @csspart status - Loading / device line.
 * @csspart error - The error messages (role="alert").
 *
 * @cssprop --quant-font - Font family.
 * @cssprop --quant-font-mono - Font for numbers.
 * @cssprop --quant-font-size - Base font size.
 * @cssprop --quant-fg - Text colour.
 * @cssprop --quant-muted - Secondary text colour.
 * @cssprop --quant-bg - Background.
 * @cssprop --quant-surface - Background of inner panels.
 * @cssprop --quant-border - Border colour.
 * @cssprop --quant-accent - Accent colour (controls, highlights).
 * @cssprop --quant-accent-fg - Text on the accent colour.
 * @cssprop --quant-error - Error text colour.
 * @cssprop --quant-error-bg - Error background.
 * @cssprop --quant-radius - Corner radius.
 * @cssprop --quant-space - Spacing unit.
 * @cssprop --quant-focus - Focus ring colour.
 */
// The interface of the same name below only adds typed overloads of addEventListener, which
// HTMLElement implements: merging is how DOM types type events (HTMLElementEventMap does the same).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class QuantBase<R> extends LitElement implements FieldHost {
  static override styles = [baseStyles];

  /**
   * Field properties (declared `noAccessor`) get the accessor of src/internal/fields.ts, once
   * per class that declares them.
   */
  protected static override finalize(): void {
    const own = (key: string) => Object.prototype.hasOwnProperty.call(this, key);
    const first = !own('finalized');
    super.finalize();
    if (!first || !own('properties')) return;
    for (const [name, options] of Object.entries(this.properties)) {
      if ((options as FieldDeclaration).field)
        Object.defineProperty(this.prototype, name, fieldAccessor(name, options as FieldDeclaration));
    }
  }

  /** @internal One error slot per source. */
  protected readonly errors = new ErrorsController(this);

  readonly #internals = asRegion(this.attachInternals());

  /** @internal Light or dark from the page or the reader; redraws the canvases when it changes. */
  protected readonly theme = new ThemeController(this, this.#internals);

  /** The page's name for the host renames the controls: watch it like a property. */
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'aria-label', 'aria-labelledby'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'aria-label' || name === 'aria-labelledby') this.requestUpdate();
  }

  /** The last result, or null (read-only). It records the inputs it was computed from. */
  abstract get result(): R | null;

  /** The last error `{code, message, attribute?}`, or null (read-only). */
  get error(): QuantErrorDetail | null {
    return this.errors.latest;
  }

  [ATTRIBUTE_ERROR](attribute: string, message: string | null): void {
    this.errors.set(
      `attr:${attribute}`,
      message === null ? null : { code: 'invalid-attribute', message, attribute },
    );
  }

  /** Draws the result again (canvases read the `--quant-*` tokens anew). */
  redraw(): void {
    this.requestUpdate();
    void this.updateComplete.then(() => this.draw());
  }

  /** Canvas and chart drawing from `result`; called after updates that change it and by redraw(). */
  protected draw(): void {}

  /** Dispatches a kit event (bubbles, composed); a detached element emits nothing (SPEC §4). */
  protected emit<K extends keyof QuantEventDetails<R>>(name: K, detail: QuantEventDetails<R>[K]): boolean {
    if (!this.isConnected) return false;
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  /** A control's (or inner region's) accessible name after the host's: "Affine simulator: bits". */
  protected named(name: string): string {
    return controlName(this, name);
  }

  /**
   * The room the frame keeps until the first result (or an error), so the page below does not move
   * when the views arrive: the default rendering's height by tag (src/internal/reserve.ts). An
   * element whose size depends on its attributes may give a closer figure; null keeps none.
   */
  protected reservedHeight(): { narrow: number; wide: number } | null {
    return (RESERVED_HEIGHTS as Record<string, { narrow: number; wide: number }>)[this.localName] ?? null;
  }

  /**
   * The element's frame, with `defaultName` as the host region's name when the page gives it none.
   * The frame itself is unnamed, so it is no second region.
   */
  protected region(defaultName: string, busy: boolean, content: unknown): TemplateResult {
    if (this.#internals.ariaLabel !== defaultName) this.#internals.ariaLabel = defaultName;
    const room = this.result === null && this.errors.all.length === 0 ? this.reservedHeight() : null;
    return html`<section
      part="base"
      class=${room ? 'reserving' : ''}
      aria-busy=${busy ? 'true' : 'false'}
      ${styleProps({
        '--_reserve-wide': room ? `${room.wide}px` : undefined,
        '--_reserve-narrow': room ? `${room.narrow}px` : undefined,
      })}
    >
      ${content}
    </section>`;
  }

  protected renderError(): TemplateResult | typeof nothing {
    const errors = this.errors.all;
    if (errors.length === 0) return nothing;
    return html`<div part="error" role="alert">${errors.map((e) => html`<p>${e.message}</p>`)}</div>`;
  }

  protected renderStatus(text: string): TemplateResult {
    return html`<p part="status" aria-live="polite">${text}</p>`;
  }
}

/* Typed listeners: `el.addEventListener('quant-result', e => e.detail)` is the element's result. */
export interface QuantBase<R> {
  addEventListener<K extends keyof QuantEventMap<R>>(
    type: K,
    listener: Listener<QuantEventMap<R>[K], this>,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: Listener<HTMLElementEventMap[K], this>,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof QuantEventMap<R>>(
    type: K,
    listener: Listener<QuantEventMap<R>[K], this>,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: Listener<HTMLElementEventMap[K], this>,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}
