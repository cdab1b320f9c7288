/**
 * The arena's Web Worker: jax-js and the SIMD kernels run here, so timing never blocks the page.
 * Started by <quant-arena> through src/controllers/worker.ts (a blob: bootstrap imports this URL).
 */
import { runArena } from '../core/arena/index.js';
import type { ArenaInput, ArenaProgress } from '../components/quant-arena/quant-arena.component.js';
import { serveRuns } from './serve.js';

serveRuns<ArenaInput, ArenaProgress, Awaited<ReturnType<typeof runArena>>>((input, progress) =>
  runArena(input, { onProgress: progress }),
);
