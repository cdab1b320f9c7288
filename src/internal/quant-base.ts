import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { ErrorsController } from '../controllers/errors.js';
import type { QuantErrorDetail, QuantEventDetails, QuantEventMap } from './events.js';
import { ATTRIBUTE_ERROR, fieldAccessor, type FieldDeclaration, type FieldHost } from './fields.js';
import { baseStyles } from './styles.js';
import { ThemeController } from './theme.js';

type Listener<E, T> = ((this: T, event: E) => unknown) | { handleEvent(event: E): unknown };

/**
 * The thin typed base of every element: typed `emit`, `result: R | null`, `error`, `redraw()`,
 * the status and error templates, and field properties (src/internal/fields.ts). No jax-js and
 * no attributes of its own: elements compose controllers for what they need.
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

  /** @internal Light or dark from the page or the reader; redraws the canvases when it changes. */
  protected readonly theme = new ThemeController(this, this.attachInternals());

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
