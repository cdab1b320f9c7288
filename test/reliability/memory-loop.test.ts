/**
 * Memory under loops, per element that computes on the main thread (issue 21): changes of a
 * discrete attribute (bits cycling 2–8, each result awaited) and reconnect cycles keep the JS heap
 * (after a forced GC) and jax-js's wasm memory flat. Each loop is measured after a warm-up, per
 * step, against a bound: under `npm run test:soak`, 1,500 steps after 500 (the inference element:
 * 400–500 after 100–200) within 1 KB a step; in CI, shorter loops within the tightest bounds that
 * pass here reliably (PLANS). The figures are printed for the closing note.
 */
import '../helpers/wasm-memory.js'; // first: records jax-js's wasm memory when it is created
import { expect } from '@open-wc/testing';
import { heapAfterGc } from '../helpers/heap.js';
import { count } from '../helpers/soak.js';
import { wasmHeapBytes } from '../helpers/wasm-memory.js';
import { nextEvent } from '../helpers/wait.js';
import { SUBJECTS, mount, setAndWait, type Widget } from './subjects.js';

/** Steps before the first measurement, steps measured, and the bound a step (bytes of JS heap). */
interface Loop {
  warmUp: number;
  n: number;
  bound: number;
}

interface Plan {
  /** Extra attributes: weights large enough that one result kept per step (a leak) adds several times the bound. */
  attributes: Record<string, string>;
  changes: Loop;
  cycles: Loop;
}

const KB = 1024;

/**
 * The elements that compute on the main thread (the inference element without QAT). V8 settles
 * slowly (heap after GC every 10–100 steps, 2 cores): a reconnect cycle adds 10–60 KB in the first
 * 10, 1–5 KB until ~150–200, then < 1 KB; a bits change < 1 KB after ~25, but the histogram's first
 * 300 add ~2 KB each. So each loop is measured after its settling. CI bounds, over three runs
 * (2 cores, shared): changes 0.34–0.72 KB (bound 1.5), cycles 0.41–1.24 KB (bound 2), the
 * inference element 0.79–0.90 KB a change (2) and ~1.5 KB a cycle (3; 0.1–0.15 s a cycle, so a
 * short warm-up). A leak of 2.3 KB a result (the audit's reconnect figure) fails every loop of
 * the three others; one result kept per step adds 8–15 KB.
 */
const PLANS: Record<string, Plan> = {
  'quant-simulator': {
    attributes: { shape: '32x32' },
    changes: { warmUp: count(50, 500), n: count(150, 1500), bound: count(1.5, 1) * KB },
    cycles: { warmUp: count(100, 500), n: count(100, 1500), bound: count(2, 1) * KB },
  },
  'quant-histogram': {
    attributes: { shape: '32x32' },
    changes: { warmUp: count(300, 500), n: count(150, 1500), bound: count(1.5, 1) * KB },
    cycles: { warmUp: count(150, 500), n: count(100, 1500), bound: count(2, 1) * KB },
  },
  'quant-heatmap': {
    attributes: { shape: '32x32' },
    changes: { warmUp: count(50, 500), n: count(150, 1500), bound: count(1.5, 1) * KB },
    cycles: { warmUp: count(100, 500), n: count(100, 1500), bound: count(2, 1) * KB },
  },
  'quant-inference': {
    attributes: {},
    changes: { warmUp: count(25, 100), n: count(100, 500), bound: count(2, 1) * KB },
    cycles: { warmUp: count(25, 200), n: count(50, 400), bound: count(3, 1) * KB },
  },
  'quant-outliers': {
    attributes: { tokens: '64', channels: '64' },
    changes: { warmUp: count(50, 500), n: count(150, 1500), bound: count(1.5, 1) * KB },
    // Measured 1.9 KB a cycle at CI counts, close to the others' 2 KB bound.
    cycles: { warmUp: count(100, 500), n: count(100, 1500), bound: count(3, 1) * KB },
  },
};
/** Wasm memory the whole loop may add after the warm-up (it only grows, in 64 KiB pages). */
const WASM_GROWTH = 0;

interface Measured {
  heap: number;
  wasm: number;
}

async function measure(): Promise<Measured> {
  return { heap: await heapAfterGc(), wasm: wasmHeapBytes() };
}

/**
 * Runs the element's loop: `warmUp` steps, then `n` measured ones; the JS heap a step (printed)
 * stays under `bound`, wasm memory does not grow, and the element has no error.
 */
async function expectFlat(
  label: string,
  el: Widget,
  { warmUp, n, bound }: Loop,
  step: (i: number) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < warmUp; i++) await step(i);
  const before = await measure();
  const t0 = performance.now();
  for (let i = warmUp; i < warmUp + n; i++) await step(i);
  const ms = performance.now() - t0;
  const after = await measure();
  const perStep = (after.heap - before.heap) / n;
  console.log(
    `${label}: heap ${(before.heap / 1e6).toFixed(2)} → ${(after.heap / 1e6).toFixed(2)} MB over ${n} (${(perStep / 1024).toFixed(2)} KB each); wasm ${before.wasm} → ${after.wasm} bytes; ${(ms / n).toFixed(1)} ms each`,
  );
  expect(el.error).to.equal(null);
  expect(perStep, `JS heap per step (${label})`).to.be.below(bound);
  expect(after.wasm - before.wasm, 'wasm memory growth').to.be.at.most(WASM_GROWTH);
}

/** A connected element of `tag` with its cheap attributes and its plan's, its first result shown. */
function start(tag: string): Promise<{ el: Widget; wrapper: HTMLDivElement }> {
  const subject = SUBJECTS.find((s) => s.tag === tag)!;
  return mount(tag, { ...subject.attributes, ...PLANS[tag].attributes });
}

describe('memory under loops (issue 21)', function () {
  this.timeout(count(300000, 1800000));

  for (const [tag, { changes, cycles }] of Object.entries(PLANS)) {
    it(`${tag}: ${changes.n} bits changes add under ${changes.bound / KB} KB of JS heap each and no wasm memory`, async () => {
      const { el, wrapper } = await start(tag);
      try {
        // bits 2..8: a discrete attribute, 7 kernels at most, each met several times in the warm-up
        await expectFlat(`${tag} bits changes`, el, changes, (i) => setAndWait(el, 'bits', 2 + (i % 7)));
      } finally {
        wrapper.remove();
      }
    });

    it(`${tag}: ${cycles.n} reconnect cycles after ${cycles.warmUp} add under ${cycles.bound / KB} KB of JS heap each and no wasm memory`, async () => {
      const { el, wrapper } = await start(tag);
      try {
        await expectFlat(`${tag} reconnect cycles`, el, cycles, async () => {
          el.remove();
          const done = nextEvent(el, 'quant-result', 30000);
          wrapper.append(el);
          await done;
        });
      } finally {
        wrapper.remove();
      }
    });
  }
});
