/**
 * The kit's workers, each written `new Worker(new URL('./workers/….js', import.meta.url), { type:
 * 'module' })`: the one form Vite and webpack 5 detect, bundle as a worker entry and rewrite to the
 * emitted file's URL (and webpack to its chunk format). Unbundled (dist/lib as published) it is the
 * file under workers/ beside this module; with esbuild, which leaves it alone, the app builds
 * `workers/*.worker.js` as entries beside its bundle (README "Use with a bundler"). The CDN build
 * points both at its own entries (vite.config.ts). WorkerController calls a source to read the URL
 * and options a bundler gave it, then starts the worker its own way (the URL, or a blob: bootstrap).
 * Here, at the root of src/, so the paths below are also the paths beside an esbuild bundle.
 */

/** Starts a kit worker: only the `Worker` it constructs is used (its URL and options). */
export type WorkerSource = () => Worker;

/** <quant-arena>'s benchmark worker (src/workers/arena.worker.ts). */
export const arenaWorker: WorkerSource = () =>
  new Worker(new URL('./workers/arena.worker.js', import.meta.url), { type: 'module' });

/** <quant-inference>'s quantization-aware training worker (src/workers/qat.worker.ts). */
export const qatWorker: WorkerSource = () =>
  new Worker(new URL('./workers/qat.worker.js', import.meta.url), { type: 'module' });
