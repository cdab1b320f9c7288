/**
 * A page of its own (an iframe of bench/first-result.bench.ts), so jax-js is not loaded yet:
 * `?tag=` is put on screen at its default size twice, and each time from visible (appended in
 * the viewport, `loading` lazy) to its first quant-result is posted to the parent: cold (jax-js
 * loads, its device starts) and warm (everything loaded, a new element and session).
 */
import '../src/components/quant-simulator/quant-simulator.js';
import '../src/components/quant-histogram/quant-histogram.js';
import '../src/components/quant-heatmap/quant-heatmap.js';

async function firstResult(tag: string): Promise<number> {
  const el = document.createElement(tag);
  const done = new Promise<void>((resolve) =>
    el.addEventListener('quant-result', () => resolve(), { once: true }),
  );
  const t = performance.now();
  document.body.append(el);
  await done;
  const ms = performance.now() - t;
  el.remove();
  return ms;
}

const tag = new URLSearchParams(location.search).get('tag') ?? 'quant-simulator';
const cold = await firstResult(tag);
const warm = await firstResult(tag);
parent.postMessage({ tag, cold, warm, isolated: crossOriginIsolated }, '*');
