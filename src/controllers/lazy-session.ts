/**
 * The lazy gate: nothing from jax-js is loaded until the host nears the
 * viewport (or at once for loading="eager"). Owns the host's QuantSession and
 * disposes it on disconnect; a reconnect starts a fresh one.
 * Modelled on @lit-labs/observers' IntersectionController.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeviceChoice } from '../core/config.js';
import { createSession, type QuantSession } from '../core/index.js';

export interface LazySessionOptions {
  /** How far outside the viewport counts as near. */
  rootMargin?: string;
  eager(): boolean;
  device(): DeviceChoice;
  /**
   * Called once the session exists. `error` says why it is not on the asked
   * device (it fell back to auto), or, with a null session, why there is none.
   */
  onSession(session: QuantSession | null, error?: unknown): void;
}

export class LazySessionController implements ReactiveController {
  readonly #host: ReactiveControllerHost & Element;
  readonly #options: LazySessionOptions;
  #observer: IntersectionObserver | null = null;
  #session: QuantSession | null = null;
  /** Bumped on every start/stop so a late createSession() from an old start is dropped. */
  #generation = 0;
  #starting = false;

  constructor(host: ReactiveControllerHost & Element, options: LazySessionOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get session(): QuantSession | null {
    return this.#session;
  }

  /** Whether numerics have been asked to start (visible or eager). */
  get started(): boolean {
    return this.#starting || this.#session !== null;
  }

  hostConnected(): void {
    if (this.#options.eager()) {
      void this.start();
      return;
    }
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.#unobserve();
          void this.start();
        }
      },
      { rootMargin: this.#options.rootMargin ?? '200px' },
    );
    this.#observer.observe(this.#host);
  }

  hostDisconnected(): void {
    this.#unobserve();
    this.stop();
  }

  /** Starts the session now (idempotent). */
  async start(): Promise<void> {
    if (this.started) return;
    this.#unobserve();
    this.#starting = true;
    const generation = ++this.#generation;
    this.#host.requestUpdate();
    try {
      const asked = this.#options.device();
      let fallbackReason: unknown;
      let session: QuantSession;
      try {
        session = await createSession(asked);
      } catch (e) {
        // An explicit device this browser lacks: keep working on the automatic choice.
        if (asked === 'auto') throw e;
        fallbackReason = e;
        session = await createSession('auto');
      }
      if (generation !== this.#generation) {
        session.dispose();
        return;
      }
      this.#session = session;
      this.#options.onSession(session, fallbackReason);
    } catch (e) {
      if (generation === this.#generation) this.#options.onSession(null, e);
    } finally {
      if (generation === this.#generation) this.#starting = false;
      this.#host.requestUpdate();
    }
  }

  /** Disposes the session (on disconnect, or to restart on another device). */
  stop(): void {
    this.#generation++;
    this.#starting = false;
    this.#session?.dispose();
    this.#session = null;
  }

  /** Restarts on a new device if numerics were running. */
  async restart(): Promise<void> {
    if (!this.started) return;
    this.stop();
    await this.start();
  }

  #unobserve(): void {
    this.#observer?.disconnect();
    this.#observer = null;
  }
}
