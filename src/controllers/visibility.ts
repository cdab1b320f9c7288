/**
 * The lazy gate, and nothing else: `near` turns true once the host comes within `rootMargin` of
 * the viewport (or at once when `eager()`), and stays true until the host is disconnected.
 * Modelled on @lit-labs/observers' IntersectionController.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * How far outside the viewport (px) counts as near by default: about a screen ahead, so a widget
 * has usually computed and grown before the reader reaches it, and the text they read does not
 * move (like the browser's own lazy images, which start farther still).
 */
export const NEAR_MARGIN = 800;

export interface VisibilityOptions {
  /** How far outside the viewport counts as near. */
  rootMargin?: string;
  /** Start without waiting for the viewport (`loading="eager"`). */
  eager(): boolean;
}

export class VisibilityController implements ReactiveController {
  readonly #host: ReactiveControllerHost & Element;
  readonly #options: VisibilityOptions;
  #observer: IntersectionObserver | null = null;
  #near = false;
  #connected = false;
  /** start() before the host was connected: open the gate when it is. */
  #asked = false;

  constructor(host: ReactiveControllerHost & Element, options: VisibilityOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Whether work may start: the host is (or was, since it connected) near the viewport, or eager. */
  get near(): boolean {
    return this.#near;
  }

  hostConnected(): void {
    this.#connected = true;
    if (this.#asked || this.#options.eager()) this.trigger();
    else this.#observe();
  }

  /**
   * Re-checks `eager()` (after `loading` changed); a detached host stays closed. A request made
   * during an update is folded into it, and the host's willUpdate has already run: so one more
   * update after this one (`loading` set as a property before the element was defined arrives in
   * the first update, after hostConnected).
   */
  hostUpdate(): void {
    if (!this.#connected || this.#near || !this.#options.eager()) return;
    this.trigger();
    void this.#host.updateComplete.then(() => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#asked = false;
    this.#unobserve();
    this.#near = false;
  }

  /** Opens the gate now, whatever the viewport says (once connected: a detached host does no work). */
  trigger(): void {
    if (!this.#connected) {
      this.#asked = true;
      return;
    }
    this.#unobserve();
    if (this.#near) return;
    this.#near = true;
    this.#host.requestUpdate();
  }

  #observe(): void {
    if (this.#near || this.#observer) return;
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) this.trigger();
      },
      { rootMargin: this.#options.rootMargin ?? `${NEAR_MARGIN}px` },
    );
    this.#observer.observe(this.#host);
  }

  #unobserve(): void {
    this.#observer?.disconnect();
    this.#observer = null;
  }
}
