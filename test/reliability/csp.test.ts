/**
 * The kit under Content-Security-Policies (SPEC §4), each page in an iframe served with its
 * policy (web-test-runner.config.mjs `/__csp/NAME`), crossOriginIsolated like every test page:
 * the strict policy with no violation; without `blob:` workers jax-js's threads cannot start, so
 * the kit runs on cpu, never hanging (issue 21 item 1); without 'wasm-unsafe-eval' a `runtime`
 * error names it.
 */
import { expect } from '@open-wc/testing';
import { sleep } from '../helpers/wait.js';
import { openCspFrame } from './csp-frame.js';

interface CspWindow extends Window {
  violations: string[];
  events: {
    tag: string;
    type: string;
    detail: { code?: string; message?: string; device?: string } | null;
    at: number;
  }[];
}

const TAGS = ['quant-simulator', 'quant-heatmap', 'quant-histogram'];

/** Opens a CSP page and waits until every element has a result or an error (or `ms` passed). */
async function openPage(
  policy: string,
  ms = 8000,
): Promise<{ win: CspWindow; frame: HTMLIFrameElement; elapsed: number }> {
  const { win, frame, t0 } = await openCspFrame<CspWindow>(policy, TAGS);
  const settled = () =>
    TAGS.every((tag) =>
      win.events?.some((e) => e.tag === tag && (e.type === 'quant-result' || e.type === 'quant-error')),
    );
  while (!settled() && performance.now() - t0 < ms) await sleep(50);
  return { win, frame, elapsed: performance.now() - t0 };
}

describe('Content-Security-Policy pages', () => {
  it('the strict policy: every element computes on wasm, with no violation', async () => {
    const { win, frame } = await openPage('strict', 15000);
    expect(win.crossOriginIsolated).to.equal(true);
    for (const tag of TAGS) {
      const ready = win.events.find((e) => e.tag === tag && e.type === 'quant-ready');
      expect(ready?.detail?.device, tag).to.equal('wasm');
    }
    expect(win.events.filter((e) => e.type === 'quant-error')).to.deep.equal([]);
    expect(win.violations).to.deep.equal([]);
    frame.remove();
  });

  it('no blob: workers, crossOriginIsolated: the elements compute on cpu within 5 s, none hangs', async () => {
    const { win, frame } = await openPage('no-blob');
    expect(win.crossOriginIsolated).to.equal(true);
    for (const tag of TAGS) {
      const result = win.events.find((e) => e.tag === tag && e.type === 'quant-result');
      expect(result, `${tag}: a result`).to.not.equal(undefined);
      expect(result!.at, `${tag}: within 5 s of the page`).to.be.below(5000);
      const ready = win.events.find((e) => e.tag === tag && e.type === 'quant-ready');
      expect(ready?.detail?.device, tag).to.equal('cpu');
    }
    // An explicit wasm says why it cannot start, names the rule, and falls back.
    const el = win.document.createElement('quant-simulator');
    el.setAttribute('loading', 'eager');
    el.setAttribute('device', 'wasm');
    const error = new Promise<CustomEvent>((r) =>
      el.addEventListener('quant-error', (e) => r(e as CustomEvent), { once: true }),
    );
    win.document.body.append(el);
    const { detail } = await error;
    expect(detail.message).to.contain('worker-src');
    expect(detail.message).to.contain('blob:');
    expect(detail.message, 'names only the rule this page lacks').not.to.contain('wasm-unsafe-eval');
    frame.remove();
  });

  it('no blob: workers: <quant-inference> runs spirals on cpu, and says within 5 s why digits cannot run', async function () {
    this.timeout(60000);
    const { win, frame } = await openPage('no-blob');
    const start = (model: string) => {
      const el = win.document.createElement('quant-inference');
      el.setAttribute('loading', 'eager');
      el.setAttribute('model', model);
      const t0 = performance.now();
      const settled = new Promise<{ type: string; detail: { message?: string }; ms: number }>((r) => {
        for (const type of ['quant-result', 'quant-error'])
          el.addEventListener(
            type,
            (e) => r({ type, detail: (e as CustomEvent).detail, ms: performance.now() - t0 }),
            {
              once: true,
            },
          );
      });
      win.document.body.append(el);
      return settled;
    };
    // digits: 217 M multiply-adds a pass, minutes on cpu — the page would freeze (it did).
    const digits = await start('digits');
    expect(digits.type).to.equal('quant-error');
    expect(digits.ms).to.be.below(5000);
    expect(digits.detail.message).to.contain('worker-src');
    expect(digits.detail.message).to.contain('blob:');
    expect(digits.detail.message, 'names only the rule this page lacks').not.to.contain('wasm-unsafe-eval');
    const spirals = await start('spirals');
    expect(spirals.type, JSON.stringify(spirals.detail?.message)).to.equal('quant-result');
    expect((spirals.detail as { device?: string }).device).to.equal('cpu');
    frame.remove();
  });

  it("no 'wasm-unsafe-eval': every element reports a runtime error naming it within 5 s, none a result", async () => {
    const { win, frame } = await openPage('no-wasm');
    for (const tag of TAGS) {
      const error = win.events.find((e) => e.tag === tag && e.type === 'quant-error');
      expect(error, `${tag}: an error`).to.not.equal(undefined);
      expect(error!.detail?.code, tag).to.equal('runtime');
      expect(error!.detail?.message, tag).to.contain('wasm-unsafe-eval');
      expect(error!.at, `${tag}: within 5 s of the page`).to.be.below(5000);
    }
    // A silent result (on some fallback) would hide why the page cannot run wasm.
    expect(
      win.events.filter((e) => e.type === 'quant-result').map((e) => e.tag),
      'results',
    ).to.deep.equal([]);
    frame.remove();
  });
});
