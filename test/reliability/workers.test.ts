/**
 * The kit's own workers (src/controllers/worker.ts: <quant-arena>'s benchmark, <quant-inference>'s
 * QAT) under the CSP pages of csp.test.ts and when their element leaves mid-run (issue 21). Every
 * kit worker is counted by wrapping the page's `Worker` (jax-js's own thread pool, not named
 * `quant-widgets`, is left out): constructed, terminated, and alive = constructed − terminated.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/quant-arena/quant-arena.js';
import '../../src/components/quant-inference/quant-inference.js';
import type { ArenaResult, QuantArena } from '../../src/components/quant-arena/quant-arena.js';
import type {
  InferenceResult,
  QuantInference,
} from '../../src/components/quant-inference/quant-inference.js';
import type { QatResponse } from '../../src/core/qat/protocol.js';
import { count } from '../helpers/soak.js';
import { nextEvent, sleep } from '../helpers/wait.js';
import { openCspFrame } from './csp-frame.js';

type Win = Window & typeof globalThis & { violations: string[] };

interface WorkerCounts {
  constructed: number;
  terminated: number;
  /** The URL each kit worker was started from. */
  urls: string[];
  readonly alive: number;
}

/** Puts back each page's own `Worker` after a test. */
const restores: (() => void)[] = [];
afterEach(() => restores.splice(0).forEach((restore) => restore()));

/** Counts the kit's workers of `win` from now on; `redirect` may swap the URL a worker starts from. */
function countWorkers(win: Win, redirect: (url: string) => string = (u) => u): WorkerCounts {
  const Original = win.Worker;
  restores.push(() => (win.Worker = Original));
  const counts: WorkerCounts = {
    constructed: 0,
    terminated: 0,
    urls: [],
    get alive() {
      return this.constructed - this.terminated;
    },
  };
  win.Worker = class extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      const ours = options?.name === 'quant-widgets';
      super(ours ? redirect(String(url)) : url, options);
      if (!ours) return;
      counts.constructed++;
      counts.urls.push(String(url));
      let ended = false;
      const terminate = this.terminate.bind(this);
      this.terminate = () => {
        if (!ended) counts.terminated++;
        ended = true;
        terminate();
      };
    }
  };
  return counts;
}

/** A CSP page with the kit loaded and no element yet. */
async function cspPage(policy: string): Promise<{ win: Win; frame: HTMLIFrameElement }> {
  const { win, frame } = await openCspFrame<Win>(policy);
  await win.customElements.whenDefined('quant-arena');
  await win.customElements.whenDefined('quant-inference');
  return { win, frame };
}

/** test/reliability/worker-page.ts, loaded into a CSP page (a same-origin module script). */
async function workerPage(win: Win): Promise<{ trainQat(steps: number): Promise<QatResponse> }> {
  const script = win.document.createElement('script');
  script.type = 'module';
  script.src = new URL('./worker-page.ts', import.meta.url).pathname;
  const loaded = new Promise((r) => script.addEventListener('load', r, { once: true }));
  win.document.head.append(script);
  await loaded;
  return win as unknown as { trainQat(steps: number): Promise<QatResponse> };
}

function create<T extends HTMLElement>(doc: Document, tag: string, attrs: Record<string, string>): T {
  const el = doc.createElement(tag) as T;
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** A small benchmark: one path pair, one iteration, 16×16 (about a second on wasm). */
const SMALL_ARENA = {
  loading: 'eager',
  size: '16',
  iterations: '1',
  mode: 'matvec',
  devices: 'wasm',
  paths: 'f32-simd i8-simd',
};

async function arenaRun(el: QuantArena): Promise<ArenaResult> {
  const r = await el.run();
  expect(r.runs.length, 'arena runs').to.be.greaterThan(0);
  return r;
}

/** The element's first result, then a short quantization-aware training. */
async function qatRun(el: QuantInference): Promise<InferenceResult> {
  if (!el.result) await nextEvent(el, 'quant-result', 60000);
  const r = await el.trainQat();
  expect(r.qat?.steps, 'QAT steps').to.equal(Number(el.getAttribute('qat-steps')));
  return r;
}

/** The URLs the kit's workers started from, a bootstrap as `blob` (how a violation names it). */
const workerUrls = (counts: WorkerCounts) => counts.urls.map((u) => (u.startsWith('blob:') ? 'blob' : u));

describe('the kit workers under Content-Security-Policies', function () {
  this.timeout(180000);

  it('the strict policy: the arena and QAT give results from same-origin workers, with no violation', async () => {
    const { win, frame } = await cspPage('strict');
    const counts = countWorkers(win);
    const t0 = performance.now();
    const arena = create<QuantArena>(win.document, 'quant-arena', SMALL_ARENA);
    win.document.body.append(arena);
    await arenaRun(arena);
    const arenaMs = performance.now() - t0;
    const inference = create<QuantInference>(win.document, 'quant-inference', {
      loading: 'eager',
      bits: '2',
      'qat-steps': '5',
    });
    win.document.body.append(inference);
    await qatRun(inference);
    console.log(
      `strict: arena ${arenaMs.toFixed(0)} ms, arena + QAT ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expect(win.violations).to.deep.equal([]);
    expect(counts.urls.length, 'kit workers started').to.be.at.least(2);
    expect(
      counts.urls.filter((u) => u.startsWith('blob:')),
      'blob: bootstraps',
    ).to.deep.equal([]);
    arena.remove();
    inference.remove();
    expect(counts.alive, 'alive after removal').to.equal(0);
    frame.remove();
  });

  it('no blob: workers: the arena and QAT still run, from their same-origin URLs', async () => {
    const { win, frame } = await cspPage('no-blob');
    const counts = countWorkers(win);
    const arena = create<QuantArena>(win.document, 'quant-arena', SMALL_ARENA);
    win.document.body.append(arena);
    await arenaRun(arena);
    // The QAT worker through the kit's controller in this page: <quant-inference>'s own
    // numerics run on the main thread, here on jax-js cpu (csp.test.ts), which this test is not about.
    const qat = await (await workerPage(win)).trainQat(5);
    expect(qat.steps, 'QAT steps').to.equal(5);
    expect(
      counts.urls.filter((u) => u.startsWith('blob:')),
      'blob: bootstraps',
    ).to.deep.equal([]);
    expect(
      counts.urls.some((u) => u.includes('/src/workers/qat.worker')),
      'a QAT worker',
    ).to.equal(true);
    // The kit's blob: probe for jax-js's threads is refused (csp.test.ts); no kit worker is.
    for (const u of workerUrls(counts))
      expect(win.violations.filter((v) => v.endsWith(` ${u}`))).to.deep.equal([]);
    arena.remove();
    expect(counts.alive, 'alive after removal').to.equal(0);
    frame.remove();
  });

  it("worker-src blob: only: neither way starts; a runtime error names 'self' within 5 s, no worker left", async () => {
    // Chromium checks a module worker's imports against worker-src too: the blob: bootstrap of a
    // same-origin URL is refused like the URL itself.
    const { win, frame } = await cspPage('no-self');
    const counts = countWorkers(win);
    const arena = create<QuantArena>(win.document, 'quant-arena', SMALL_ARENA);
    const error = nextEvent<{ code: string; message: string }>(arena, 'quant-error', 5000);
    win.document.body.append(arena);
    const { detail } = await error;
    expect(detail.code).to.equal('runtime');
    // The page reported the refusal (securitypolicyviolation): the message says so.
    expect(detail.message).to.contain(
      "this page's Content-Security-Policy blocks the benchmark worker: add 'self' to worker-src",
    );
    const run = await arena.run().then(
      () => null,
      (e: Error) => e,
    );
    expect(run?.message).to.contain('worker-src');
    // Each start tried both ways once (the URL, then the blob:), and ended both.
    expect(workerUrls(counts).slice(0, 2)).to.deep.equal([counts.urls[0], 'blob']);
    expect(counts.urls[0]).to.contain('/src/workers/arena.worker');
    expect(counts.constructed).to.equal(4);
    expect(counts.alive).to.equal(0);
    arena.remove();
    frame.remove();
  });
});

describe('a kit worker whose element leaves mid-run', function () {
  this.timeout(180000);

  it('the arena removed mid-run: its worker is terminated, run() rejects, and put back it runs again', async () => {
    const counts = countWorkers(window as Win);
    const el = await fixture<QuantArena>(
      html`<quant-arena loading="eager" size="256" iterations="20" devices="wasm"></quant-arena>`,
    );
    const firstProgress = nextEvent(el, 'quant-progress', 60000);
    const run = el.run().then(
      () => null,
      (e: unknown) => e as DOMException,
    );
    await firstProgress;
    expect(counts.alive, 'alive mid-run').to.equal(1);
    const wrapper = el.parentElement!;
    const results: unknown[] = [];
    el.addEventListener('quant-result', (e) => results.push(e));
    el.remove();
    expect(counts.alive, 'alive after removal').to.equal(0);
    expect((await run)?.name).to.equal('AbortError');
    await sleep(300);
    expect(results, 'results while detached').to.deep.equal([]);
    // Put back: the next run gives a result, from one new worker.
    wrapper.append(el);
    el.size = 16;
    el.iterations = 1;
    el.paths = ['f32-simd', 'i8-simd'];
    await arenaRun(el);
    expect(counts.alive).to.equal(1);
    el.remove();
    expect(counts.alive).to.equal(0);
    console.log(`arena: ${counts.constructed} workers constructed, ${counts.terminated} terminated`);
  });

  it(`the arena removed at ${count(6, 40)} moments of a run (0–400 ms in): never a worker left, then a result`, async () => {
    const counts = countWorkers(window as Win);
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = create<QuantArena>(document, 'quant-arena', { ...SMALL_ARENA, size: '128', iterations: '10' });
    const t0 = performance.now();
    for (let i = 0; i < count(6, 40); i++) {
      wrapper.append(el);
      const run = el.run().catch((e: unknown) => e as DOMException);
      await sleep((i * 67) % 400);
      el.remove();
      expect(counts.alive, `alive after removal ${i}`).to.equal(0);
      const outcome = await run;
      // A run that finished before the removal resolved; any other was aborted.
      if (outcome instanceof Error) expect(outcome.name, `run ${i}`).to.equal('AbortError');
    }
    const cyclesMs = performance.now() - t0;
    wrapper.append(el);
    await arenaRun(el);
    el.remove();
    expect(counts.alive).to.equal(0);
    console.log(
      `arena, ${count(6, 40)} removals: ${counts.constructed} workers constructed, ` +
        `${counts.terminated} terminated, ${cyclesMs.toFixed(0)} ms`,
    );
  });

  it('QAT removed mid-training: its worker is terminated, trainQat() rejects, and put back it trains again', async () => {
    const counts = countWorkers(window as Win);
    const el = await fixture<QuantInference>(
      html`<quant-inference loading="eager" bits="2" qat-steps="2000"></quant-inference>`,
    );
    if (!el.result) await nextEvent(el, 'quant-result', 60000);
    const training = new Promise<void>((resolve) =>
      el.addEventListener(
        'quant-progress',
        (e) => (e as CustomEvent).detail.phase === 'training' && resolve(),
      ),
    );
    const run = el.trainQat().then(
      () => null,
      (e: unknown) => e as DOMException,
    );
    await training;
    expect(counts.alive, 'alive mid-training').to.equal(1);
    const wrapper = el.parentElement!;
    el.remove();
    expect(counts.alive, 'alive after removal').to.equal(0);
    expect((await run)?.name).to.equal('AbortError');
    wrapper.append(el);
    el.qatSteps = 5;
    const t0 = performance.now();
    await qatRun(el);
    console.log(`QAT put back: 5 steps in ${(performance.now() - t0).toFixed(0)} ms`);
    el.remove();
    expect(counts.alive).to.equal(0);
    console.log(`QAT: ${counts.constructed} workers constructed, ${counts.terminated} terminated`);
  });

  // In a page of its own: a start that needed the blob: way makes it that page's first choice
  // from then on (src/controllers/worker.ts `working`, one per page), and this page's tests must
  // not inherit it, nor this test theirs. The strict policy allows both ways.
  it('a URL way that does not load: the blob: way starts the worker instead', async () => {
    const { win, frame } = await cspPage('strict');
    // As if the URL way were refused: the kit's URL (not its bootstrap) points at a missing file.
    const counts = countWorkers(win, (u) =>
      u.startsWith('blob:') ? u : u.replace('arena.worker', 'missing.worker'),
    );
    const el = create<QuantArena>(win.document, 'quant-arena', SMALL_ARENA);
    win.document.body.append(el);
    await arenaRun(el);
    expect(workerUrls(counts).slice(0, 2)).to.deep.equal([counts.urls[0], 'blob']);
    expect(counts.urls[0]).to.not.match(/^blob:/);
    el.remove();
    expect(counts.alive).to.equal(0);
    frame.remove();
  });
});
