/**
 * A dedicated module worker for long work, started on demand and terminated on cancel or
 * disconnect. Started from a `blob:` module that imports the worker's URL, so it starts when the
 * kit is served from a CDN on another origin than the page (browsers refuse a cross-origin worker
 * URL, not a cross-origin import) and under `worker-src 'self' blob:`.
 *
 * Protocol: the host posts `{type: 'run', id, input}`; the worker answers `{type: 'progress', id,
 * detail}` any number of times, then `{type: 'result', id, value}` or `{type: 'error', id, message}`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type WorkerMessage<P, R> =
  | { type: 'progress'; id: number; detail: P }
  | { type: 'result'; id: number; value: R }
  | { type: 'error'; id: number; message: string; name?: string };

export interface WorkerRequest<I> {
  type: 'run';
  id: number;
  input: I;
}

export class WorkerController<I, P, R> implements ReactiveController {
  readonly #url: () => string;
  /** What the worker does, for messages ("the benchmark worker failed: …"). */
  readonly #name: string;
  #worker: Worker | null = null;
  #bootstrap: string | null = null;
  #next = 1;
  /** The pending request: how to settle it when the worker is terminated. */
  #pending: { id: number; reject(e: unknown): void } | null = null;

  constructor(host: ReactiveControllerHost, url: () => string, name: string) {
    this.#url = url;
    this.#name = name;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.terminate(new DOMException('the element was disconnected', 'AbortError'));
  }

  /**
   * Runs `input` in the worker. Resolves with its result; rejects with its error, with an
   * AbortError DOMException when `signal` aborts (the worker is terminated: it may be mid-kernel),
   * or with a runtime Error when the worker cannot start.
   */
  run(
    input: I,
    { signal, onProgress }: { signal?: AbortSignal; onProgress?(detail: P): void } = {},
  ): Promise<R> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // One request at a time: a new one stops the pending one (its worker may be mid-kernel);
    // otherwise the worker, with jax-js initialised, serves the next request too.
    if (this.#pending) this.terminate(new DOMException('superseded by a new run', 'AbortError'));
    const worker = this.#worker ?? this.#start();
    const id = this.#next++;
    return new Promise<R>((resolve, reject) => {
      const done = () => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        signal?.removeEventListener('abort', onAbort);
        if (this.#pending?.id === id) this.#pending = null;
      };
      const onMessage = (e: MessageEvent<WorkerMessage<P, R>>) => {
        const m = e.data;
        if (m.id !== id) return;
        if (m.type === 'progress') onProgress?.(m.detail);
        else if (m.type === 'result') {
          done();
          resolve(m.value);
        } else {
          done();
          reject(m.name === 'AbortError' ? new DOMException(m.message, 'AbortError') : new Error(m.message));
        }
      };
      // A worker that fails to load (blocked by CSP, a chunk that did not arrive) fires `error`.
      const onError = (e: ErrorEvent) => {
        done();
        this.terminate();
        reject(new Error(`the ${this.#name} worker failed: ${e.message || 'it could not be loaded'}`));
      };
      const onAbort = () => {
        done();
        this.terminate();
        reject(signal!.reason ?? new DOMException('cancelled', 'AbortError'));
      };
      this.#pending = {
        id,
        reject: (reason) => {
          done();
          reject(reason);
        },
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ type: 'run', id, input } satisfies WorkerRequest<I>);
    });
  }

  /** Stops the worker now (whatever it is doing); a pending run rejects with `reason`. */
  terminate(reason?: unknown): void {
    const pending = this.#pending;
    this.#pending = null;
    this.#worker?.terminate();
    this.#worker = null;
    if (this.#bootstrap) URL.revokeObjectURL(this.#bootstrap);
    this.#bootstrap = null;
    pending?.reject(reason ?? new DOMException('cancelled', 'AbortError'));
  }

  /** Whether a worker is running. */
  get running(): boolean {
    return this.#worker !== null;
  }

  #start(): Worker {
    const url = new URL(this.#url(), import.meta.url).href;
    this.#bootstrap = URL.createObjectURL(
      new Blob([`import ${JSON.stringify(url)};\n`], { type: 'text/javascript' }),
    );
    this.#worker = new Worker(this.#bootstrap, { type: 'module', name: 'quant-widgets' });
    return this.#worker;
  }
}
