/**
 * Can this page start `blob:` workers? jax-js's wasm backend runs its kernels on a pool of blob:
 * module workers whenever `SharedArrayBuffer` exists (a crossOriginIsolated page). Under a
 * Content-Security-Policy whose `worker-src` lacks `blob:` those workers never start, fire no
 * error, and every kernel waits forever (jax-js 0.1.25 decides on threads from the globals alone,
 * so it cannot be told to use one thread). So the kit asks once, before jax-js's first kernel, with
 * a trial worker of the same kind, and keeps jax-js off wasm when the answer is no.
 */
import { memoizeRetry } from './memo.js';

/**
 * How long the trial worker may take to answer before the page counts as blocking it. Chromium
 * reports a refusal at once (a securitypolicyviolation or an error event), so this is only the
 * backstop for a browser that refuses silently; a short one would move a slow device (CPU
 * throttled ×40: 2 s was too short) to cpu for the page's life.
 */
const PROBE_TIMEOUT_MS = 8000;

/** Whether a CSP violation is the refusal of a `blob:` URL (browsers report `blob` or the URL). */
export const blocksBlob = (blockedURI: string): boolean =>
  blockedURI === 'blob' || blockedURI.startsWith('blob:');

/** Whether jax-js would start worker threads here (its own test: SharedArrayBuffer and Worker). */
export function wantsWorkerThreads(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && typeof Worker !== 'undefined';
}

async function probe(): Promise<boolean> {
  if (!wantsWorkerThreads() || typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function')
    return true;
  const url = URL.createObjectURL(
    new Blob(['self.onmessage = (e) => self.postMessage(e.data);'], { type: 'text/javascript' }),
  );
  let worker: Worker | null = null;
  let cleanup = () => {};
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
      const onViolation = (e: Event) => {
        const v = e as SecurityPolicyViolationEvent;
        if (blocksBlob(v.blockedURI)) resolve(false);
      };
      const target = typeof document !== 'undefined' ? document : null;
      target?.addEventListener('securitypolicyviolation', onViolation);
      cleanup = () => {
        clearTimeout(timer);
        target?.removeEventListener('securitypolicyviolation', onViolation);
      };
      try {
        worker = new Worker(url, { type: 'module' });
      } catch {
        resolve(false);
        return;
      }
      worker.onmessage = () => resolve(true);
      worker.onerror = () => resolve(false);
      worker.postMessage(1);
    });
  } finally {
    cleanup();
    (worker as Worker | null)?.terminate();
    URL.revokeObjectURL(url);
  }
}

/** Whether blob: workers start on this page (asked once; a page's CSP does not change). */
export const blobWorkersAllowed = memoizeRetry(probe);

/** The `runtime` message for a page that blocks them, naming the rule to change. */
export const BLOB_WORKERS_BLOCKED =
  "this page's Content-Security-Policy blocks blob: workers, which jax-js's multi-threaded " +
  'WebAssembly needs on a crossOriginIsolated page: add blob: to worker-src (or script-src)';
