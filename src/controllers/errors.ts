/**
 * The element's errors, one slot per source (`attr:<name>`, `src`, `device`, `runtime`, …), so
 * clearing one never erases another. Setting a new error emits `quant-error` (held until the host
 * is connected, so listeners added before insertion see it); clearing emits nothing.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { QuantError, explainRuntimeMessage } from '../core/errors.js';
import type { QuantErrorDetail } from '../internal/events.js';

export type ErrorSource = `attr:${string}` | 'src' | 'device' | 'runtime' | (string & {});

type Host = ReactiveControllerHost & HTMLElement;

export class ErrorsController implements ReactiveController {
  readonly #host: Host;
  readonly #errors = new Map<ErrorSource, QuantErrorDetail>();
  /** Errors set while disconnected, emitted on connect if still current. */
  #pending: [ErrorSource, QuantErrorDetail][] = [];
  #connected = false;

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  /** Sets (or with null clears) the error of one source. An unchanged error is not re-emitted. */
  set(source: ErrorSource, detail: QuantErrorDetail | null): void {
    const old = this.#errors.get(source);
    if (!detail) {
      if (old && this.#errors.delete(source)) this.#host.requestUpdate();
      return;
    }
    if (old && same(old, detail)) return;
    // One cause can reach two slots (an engine that did not load fails the session and the
    // weights): it is shown and announced once.
    const known = this.all.some((e) => same(e, detail));
    // Re-inserted, so the newest error is last.
    this.#errors.delete(source);
    this.#errors.set(source, detail);
    this.#host.requestUpdate();
    if (known) return;
    if (this.#connected) this.#emit(detail);
    else this.#pending.push([source, detail]);
  }

  get(source: ErrorSource): QuantErrorDetail | undefined {
    return this.#errors.get(source);
  }

  /** Every current error, oldest first; one cause held by two slots is listed once. */
  get all(): QuantErrorDetail[] {
    const out: QuantErrorDetail[] = [];
    for (const e of this.#errors.values()) if (!out.some((o) => same(o, e))) out.push(e);
    return out;
  }

  /** The newest error, or null (the `error` property). */
  get latest(): QuantErrorDetail | null {
    return this.all.at(-1) ?? null;
  }

  hostConnected(): void {
    this.#connected = true;
    const pending = this.#pending;
    this.#pending = [];
    // Only what still stands: an error cleared before connecting is never announced.
    for (const [source, detail] of pending) if (this.#errors.get(source) === detail) this.#emit(detail);
  }

  hostDisconnected(): void {
    this.#connected = false;
  }

  #emit(detail: QuantErrorDetail): void {
    this.#host.dispatchEvent(new CustomEvent('quant-error', { detail, bubbles: true, composed: true }));
  }
}

function same(a: QuantErrorDetail, b: QuantErrorDetail): boolean {
  return a.code === b.code && a.message === b.message;
}

/** An unknown thrown value as an error detail; a QuantError keeps its code and attribute. */
export function toDetail(
  e: unknown,
  fallback: QuantErrorDetail['code'],
  attribute?: string,
): QuantErrorDetail {
  const coded = e instanceof QuantError;
  const message = explainRuntimeMessage(e instanceof Error ? e.message : String(e));
  const attr = attribute ?? (coded ? e.attribute : undefined);
  const code = coded ? e.code : fallback;
  return attr ? { code, message, attribute: attr } : { code, message };
}
