/**
 * The worker side of src/controllers/worker.ts: answers `run` requests with progress, then a
 * result or an error. Cancelling is the host's `terminate()`: a benchmark mid-kernel cannot be
 * interrupted any other way.
 */
import type { WorkerMessage, WorkerRequest } from '../controllers/worker.js';

export function serveRuns<I, P, R>(
  handler: (input: I, progress: (detail: P) => void) => Promise<R>,
  /** Buffers of a result to transfer rather than copy (e.g. trained weights). */
  transfer: (result: R) => Transferable[] = () => [],
): void {
  const post = (m: WorkerMessage<P, R>) =>
    self.postMessage(m, m.type === 'result' ? { transfer: transfer(m.value) } : {});
  // Said once the module (jax-js included) has evaluated: the host's sign that the worker started.
  post({ type: 'ready' });
  self.addEventListener('message', (e: MessageEvent<WorkerRequest<I>>) => {
    if (e.data?.type !== 'run') return;
    const { id, input } = e.data;
    handler(input, (detail) => post({ type: 'progress', id, detail })).then(
      (value) => post({ type: 'result', id, value }),
      (err: unknown) =>
        post({
          type: 'error',
          id,
          message: err instanceof Error ? err.message : String(err),
          name: err instanceof Error ? err.name : undefined,
        }),
    );
  });
}
