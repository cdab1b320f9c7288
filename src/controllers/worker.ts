/**
 * A dedicated module worker for long work, started on demand and terminated on cancel or
 * disconnect. Two ways to start one: the worker's URL itself, which browsers allow only on the
 * page's origin (and under `worker-src 'self'`), or a `blob:` module that imports the URL, which
 * also works when the kit comes from a CDN on another origin (browsers refuse a cross-origin
 * worker URL, not a cross-origin import) but needs `worker-src blob:`. So: the URL when it is
 * same-origin, else the blob; if that way does not start (an `error` before the worker's first
 * message, or a `securitypolicyviolation` naming it), the other way once; if neither starts, a
 * runtime error naming what the page's Content-Security-Policy must allow. The URL and options are
 * the ones a bundler gave the worker's `new Worker(new URL(…), …)` (src/worker-sources.ts): webpack
 * may make it a classic worker, whose bootstrap then uses importScripts.
 *
 * Protocol: the worker says `{type: 'ready'}` once its module has evaluated (a worker silent for
 * START_TIMEOUT_MS fails the run: a hung import would otherwise leave it pending forever); the
 * host posts `{type: 'run', id, input}`; the worker answers `{type: 'progress', id,
 * detail}` any number of times, then `{type: 'result', id, value}` or `{type: 'error', id, message}`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { blocksBlob } from '../core/worker-probe.js';
import type { WorkerSource } from '../worker-sources.js';

export type WorkerMessage<P, R> =
  | { type: 'ready' }
  | { type: 'progress'; id: number; detail: P }
  | { type: 'result'; id: number; value: R }
  | { type: 'error'; id: number; message: string; name?: string };

export interface WorkerRequest<I> {
  type: 'run';
  id: number;
  input: I;
}

type Way = 'url' | 'blob';

/** How long a new worker may take to say `ready` (its module and jax-js's load on a slow network). */
export const START_TIMEOUT_MS = 30000;

const wait = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

/** The way that last started a kit worker on this page: a page's CSP does not change. */
let working: Way | null = null;

/**
 * The URL and options `source` starts its worker with, without starting one: its `new Worker(…)`
 * must stay literal for bundlers, so it runs once against a stand-in `Worker` (synchronously: no
 * other code sees the stand-in).
 */
function readSource(source: WorkerSource): { url: URL; options: WorkerOptions } {
  const scope = globalThis as { Worker: typeof Worker };
  const real = scope.Worker;
  let read: { url: URL; options: WorkerOptions } | null = null;
  scope.Worker = class {
    constructor(url: string | URL, options?: WorkerOptions) {
      read = { url: new URL(url, document.baseURI), options: { ...options } };
    }
  } as unknown as typeof Worker;
  try {
    source();
  } finally {
    scope.Worker = real;
  }
  if (!read) throw new Error('a worker source started no worker');
  return read;
}

interface Pending<I, P, R> {
  request: WorkerRequest<I>;
  onProgress?(detail: P): void;
  resolve(value: R): void;
  reject(e: unknown): void;
}

export class WorkerController<I, P, R> implements ReactiveController {
  readonly #source: WorkerSource;
  /** What the worker does, for messages ("the benchmark worker failed: …"). */
  readonly #name: string;
  #worker: Worker | null = null;
  #bootstrap: string | null = null;
  /** Whether the worker has answered once: before that, an error means it did not start. */
  #started = false;
  /** The ways tried for this start, and whether the page's CSP refused one of them. */
  #tried: Way[] = [];
  #blocked = false;
  #unwatch: (() => void) | null = null;
  #startTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #startTimeout: number;
  #next = 1;
  /** The pending request: re-posted to a worker started the other way, settled on terminate. */
  #pending: Pending<I, P, R> | null = null;

  constructor(
    host: ReactiveControllerHost,
    source: WorkerSource,
    name: string,
    { startTimeout = START_TIMEOUT_MS }: { startTimeout?: number } = {},
  ) {
    this.#source = source;
    this.#name = name;
    this.#startTimeout = startTimeout;
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
    const request: WorkerRequest<I> = { type: 'run', id: this.#next++, input };
    return new Promise<R>((resolve, reject) => {
      const onAbort = () => this.terminate(signal!.reason ?? new DOMException('cancelled', 'AbortError'));
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        if (this.#pending?.request === request) this.#pending = null;
      };
      this.#pending = {
        request,
        onProgress,
        resolve: (value) => (settle(), resolve(value)),
        reject: (e) => (settle(), reject(e)),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.#worker) this.#worker.postMessage(request);
      else this.#start();
    });
  }

  /** Stops the worker now (whatever it is doing); a pending run rejects with `reason`. */
  terminate(reason?: unknown): void {
    const pending = this.#pending;
    this.#pending = null;
    this.#stop();
    this.#tried = [];
    this.#blocked = false;
    pending?.reject(reason ?? new DOMException('cancelled', 'AbortError'));
  }

  /** Whether a worker is running. */
  get running(): boolean {
    return this.#worker !== null;
  }

  /** Ends the current worker (and its bootstrap, and the CSP watch) without settling anything. */
  #stop(): void {
    this.#worker?.terminate();
    this.#worker = null;
    if (this.#bootstrap) URL.revokeObjectURL(this.#bootstrap);
    this.#bootstrap = null;
    this.#unwatch?.();
    this.#unwatch = null;
    clearTimeout(this.#startTimer);
  }

  /** Starts a worker `way` (by default the one that worked, else by origin) and posts the pending request. */
  #start(way?: Way): void {
    let url: URL, options: WorkerOptions;
    try {
      ({ url, options } = readSource(this.#source));
    } catch (e) {
      this.terminate(new Error(`the ${this.#name} worker could not start: ${(e as Error).message}`));
      return;
    }
    way ??= working ?? (url.origin === location.origin ? 'url' : 'blob');
    this.#tried.push(way);
    this.#started = false;
    let worker: Worker;
    try {
      let src = url.href;
      if (way === 'blob') {
        // A static import: a module that does not load fails the worker's start (`error`).
        const href = JSON.stringify(url.href);
        const load = options.type === 'module' ? `import ${href};` : `importScripts(${href});`;
        this.#bootstrap = URL.createObjectURL(new Blob([`${load}\n`], { type: 'text/javascript' }));
        src = this.#bootstrap;
      }
      worker = new Worker(src, { ...options, name: 'quant-widgets' });
    } catch {
      // A cross-origin URL (or, in some browsers, a CSP) refuses the worker right away.
      this.#failed(url);
      return;
    }
    this.#worker = worker;
    worker.addEventListener('message', (e: MessageEvent<WorkerMessage<P, R>>) => {
      if (worker !== this.#worker) return;
      if (!this.#started) {
        this.#started = true;
        working = way;
        this.#unwatch?.();
        this.#unwatch = null;
        clearTimeout(this.#startTimer);
      }
      this.#answer(e.data);
    });
    // A worker that fails to load (blocked by CSP, a chunk that did not arrive) fires `error`.
    worker.addEventListener('error', (e: ErrorEvent) => {
      if (worker !== this.#worker) return;
      if (!this.#started) return this.#failed(url);
      this.terminate(new Error(`the ${this.#name} worker failed: ${e.message || 'it stopped'}`));
    });
    // Chromium reports a CSP refusal on the document too (and, with it, the `error`).
    const onViolation = (e: SecurityPolicyViolationEvent) => {
      const blob = blocksBlob(e.blockedURI);
      if (worker !== this.#worker || this.#started || (way === 'blob' ? !blob : e.blockedURI !== url.href))
        return;
      this.#blocked = true;
      this.#failed(url);
    };
    document.addEventListener('securitypolicyviolation', onViolation);
    this.#unwatch = () => document.removeEventListener('securitypolicyviolation', onViolation);
    this.#startTimer = setTimeout(() => {
      if (worker !== this.#worker || this.#started) return;
      this.terminate(new Error(`the ${this.#name} worker did not start within ${wait(this.#startTimeout)}`));
    }, this.#startTimeout);
    if (this.#pending) worker.postMessage(this.#pending.request);
  }

  /** The worker did not start: the other way once, then a runtime error naming the rule. */
  #failed(url: URL): void {
    this.#stop();
    const other: Way = this.#tried.at(-1) === 'url' ? 'blob' : 'url';
    if (!this.#tried.includes(other)) return this.#start(other);
    // Chromium checks a worker's imports against worker-src too: from a CDN both must be allowed.
    const allow = url.origin === location.origin ? "'self'" : `blob: and ${url.origin}`;
    this.terminate(
      new Error(
        this.#blocked
          ? `this page's Content-Security-Policy blocks the ${this.#name} worker: add ${allow} to worker-src`
          : `the ${this.#name} worker could not start: it did not load, or the page's ` +
              `Content-Security-Policy does not allow ${allow} in worker-src`,
      ),
    );
  }

  #answer(m: WorkerMessage<P, R>): void {
    const pending = this.#pending;
    if (m.type === 'ready' || !pending || m.id !== pending.request.id) return;
    if (m.type === 'progress') pending.onProgress?.(m.detail);
    else if (m.type === 'result') pending.resolve(m.value);
    else
      pending.reject(
        m.name === 'AbortError' ? new DOMException(m.message, 'AbortError') : new Error(m.message),
      );
  }
}
