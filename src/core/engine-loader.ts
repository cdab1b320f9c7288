/**
 * jax-js and the engine, loaded once for the page, for the public facade (index.ts) and the
 * elements' internal facades (inference/index.ts): importing the kit never fetches jax-js. A failed
 * load (a chunk that did not arrive) is not remembered: the next call loads again (see
 * retryableImport for how, in browsers that remember a failed module URL).
 */
import { QuantError } from './errors.js';
import { retryableImport } from './memo.js';
import { blobWorkersAllowed } from './worker-probe.js';

export type Engine = typeof import('./engine.js');

const loadEngine = retryableImport<Engine>(
  () => import('./engine.js'),
  (url) => import(/* @vite-ignore */ /* webpackIgnore: true */ url) as Promise<Engine>,
);

/** The engine, or a `runtime` QuantError naming why it did not load. */
export async function engine(): Promise<Engine> {
  // The trial worker runs while the chunk downloads; the engine's first kernel waits for it.
  const probing = blobWorkersAllowed();
  try {
    const loaded = await loadEngine();
    await probing;
    await loaded.checkWasmRunnable();
    return loaded;
  } catch (e) {
    const cause = e instanceof Error ? e.message : String(e);
    throw new QuantError('runtime', `the numerics engine (jax-js) did not load: ${cause}`);
  }
}
