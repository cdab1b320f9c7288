/**
 * Runs the host's async work: `args()` → `run(args, {signal, progress})`. A change of args (by
 * element identity) starts a new run and aborts the old one, whose late result is dropped; a run
 * whose result arrives is rendered first, then `onComplete` fires (so events come after the DOM
 * shows the value). `args()` returning null means "not ready" (gate closed, no session yet).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type TaskStatus = 'idle' | 'pending' | 'complete' | 'error';

export interface TaskContext<P> {
  signal: AbortSignal;
  /** Reports progress of long work (the host shows it; `onProgress` may emit it). */
  progress(detail: P): void;
}

export interface TaskOptions<A extends readonly unknown[], R, P> {
  args(): A | null;
  run(args: A, context: TaskContext<P>): Promise<R>;
  /** The host has rendered `value`. */
  onComplete?(value: R): void;
  onError?(error: unknown): void;
  onProgress?(detail: P): void;
  /** Run whenever the args change (default); false: only through `run()`. */
  autoRun?: boolean;
}

type Host = ReactiveControllerHost & Element;

export class TaskController<A extends readonly unknown[], R, P = never> implements ReactiveController {
  readonly #host: Host;
  readonly #options: TaskOptions<A, R, P>;
  #args: A | null = null;
  #abort: AbortController | null = null;
  #value: R | undefined;
  #status: TaskStatus = 'idle';
  #progress: P | undefined;

  constructor(host: Host, options: TaskOptions<A, R, P>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get value(): R | undefined {
    return this.#value;
  }

  get status(): TaskStatus {
    return this.#status;
  }

  /** Progress of the run in flight, if it reported any. */
  get progress(): P | undefined {
    return this.#status === 'pending' ? this.#progress : undefined;
  }

  hostUpdate(): void {
    if (this.#options.autoRun === false) return;
    const args = this.#options.args();
    if (args && !sameArgs(args, this.#args)) void this.run(args).catch(() => {});
  }

  hostDisconnected(): void {
    this.abort();
    // A reconnected host runs again (its session and data are new); the last value stays shown.
    this.#args = null;
  }

  /**
   * Runs now with `args` (default: the current ones). Resolves with the value once rendered;
   * rejects with the error, or with an AbortError DOMException when superseded or aborted.
   */
  async run(args: A | null = this.#options.args()): Promise<R> {
    if (!args) throw new DOMException('not ready to run', 'InvalidStateError');
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#args = args;
    this.#status = 'pending';
    this.#progress = undefined;
    this.#host.requestUpdate();
    const { signal } = abort;
    const aborted = () => signal.reason ?? new DOMException('aborted', 'AbortError');
    const progress = (detail: P) => {
      if (signal.aborted) return;
      this.#progress = detail;
      this.#options.onProgress?.(detail);
      this.#host.requestUpdate();
    };
    let value: R;
    try {
      value = await this.#options.run(args, { signal, progress });
    } catch (e) {
      if (signal.aborted) throw aborted();
      this.#abort = null;
      this.#status = 'error';
      this.#host.requestUpdate();
      this.#options.onError?.(e);
      throw e;
    }
    if (signal.aborted) throw aborted();
    this.#abort = null;
    this.#value = value;
    this.#status = 'complete';
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    // A newer run may have started while the DOM updated: it will report its own value.
    if (this.#abort === null && this.#value === value) this.#options.onComplete?.(value);
    return value;
  }

  /** Aborts the run in flight (its promise rejects with an AbortError). */
  abort(reason?: unknown): void {
    if (!this.#abort) return;
    this.#abort.abort(reason ?? new DOMException('cancelled', 'AbortError'));
    this.#abort = null;
    this.#status = this.#value === undefined ? 'idle' : 'complete';
    this.#host.requestUpdate();
  }
}

function sameArgs(a: readonly unknown[], b: readonly unknown[] | null): boolean {
  return b !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}
