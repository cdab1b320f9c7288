/**
 * The arena's Web Worker: jax-js and the SIMD kernels run here, so neither timing nor the engine's
 * start-up ever blocks the page. Started by <quant-arena> through src/controllers/worker.ts (from
 * its URL when same-origin, else a blob: bootstrap that imports it). In the CDN build it is an
 * entry beside the elements and shares the page's jax-js chunk. Two requests: `prepare` (the devices a run would use, and the
 * worked 4×4 example) and `run` (the benchmark).
 */
import { runArena, AUTO_DEVICES, type ArenaProgress } from '../core/arena/index.js';
import { availableDevices, quantizedMatmul } from '../core/index.js';
import type { ArenaRequest, ArenaResponse } from '../components/quant-arena/quant-arena.model.js';
import { serveRuns } from './serve.js';

serveRuns<ArenaRequest, ArenaProgress, ArenaResponse>(async (request, progress) => {
  if (request.kind === 'run')
    return { kind: 'run', result: await runArena(request.options, { onProgress: progress }) };
  const [devices, example] = await Promise.all([
    availableDevices(),
    quantizedMatmul(request.a, [4, 4], request.b, [4, 4], { bits: 8 }),
  ]);
  return { kind: 'prepare', devices: devices.filter((d) => AUTO_DEVICES.includes(d)), example };
});
