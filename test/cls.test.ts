/**
 * No layout shift while the article's elements start (issue 19, "The page itself"): the article is
 * scrolled top to bottom half a screen at a time, each step waiting until every widget and figure
 * near the viewport has computed, as a reader would; the layout shifts Chromium reports meanwhile
 * (PerformanceObserver 'layout-shift', buffered from navigation) add up to at most 0.02.
 */
import { expect } from '@open-wc/testing';
import { NEAR_MARGIN } from '../src/controllers/visibility.js';
import { widgets } from './helpers/article.js';
import { sleep } from './helpers/wait.js';

interface Shift {
  value: number;
  at: number;
  sources: string[];
}

/** A node as a reader would point at it: its element (and host) and where it was and went. */
function describeNode(node: Node | null): string {
  if (!node) return '(gone)';
  const el = node instanceof Element ? node : node.parentElement;
  const names: string[] = [];
  for (let e: Element | null = el; e && names.length < 3;) {
    const part = e.getAttribute('part');
    names.unshift(
      `${e.localName}${part ? `[part=${part}]` : ''}${e.classList.length ? `.${[...e.classList].join('.')}` : ''}`,
    );
    e = e.parentElement ?? ((e.getRootNode() as ShadowRoot).host || null);
  }
  const text = node.nodeType === Node.TEXT_NODE ? ` "${node.textContent!.trim().slice(0, 30)}"` : '';
  return names.join(' > ') + text;
}

/** The article in a window of its own: the reader's window, whose viewport the lazy gates see. */
interface Article {
  win: Window;
  doc: Document;
}

/**
 * Opens the article in a popup `width` px wide (not in an iframe: an iframe's elements are
 * observed against the test page's viewport, without the gate's margin, unlike a reader's page).
 */
async function openArticle(width: number): Promise<Article> {
  const win = window.open('/demo/index.html', '_blank', `popup,width=${width},height=900`);
  if (!win) throw new Error('the article did not open');
  await new Promise<void>((resolve) => {
    const check = () =>
      win.document.readyState === 'complete' && win.location.pathname.endsWith('/demo/index.html')
        ? resolve()
        : setTimeout(check, 20);
    check();
  });
  await Promise.all(
    ['quant-simulator', 'quant-histogram', 'quant-heatmap'].map((t) => win.customElements.whenDefined(t)),
  );
  return { win, doc: win.document };
}

/** Starts recording the frame's layout shifts (the buffer holds those since navigation). */
function record(win: Window): Shift[] {
  const shifts: Shift[] = [];
  const Observer = (win as unknown as typeof globalThis).PerformanceObserver;
  new Observer((list) => {
    for (const e of list.getEntries() as unknown as LayoutShift[]) {
      if (e.hadRecentInput) continue;
      shifts.push({
        value: e.value,
        at: Math.round(win.scrollY),
        sources: e.sources.map(
          (s) =>
            `${describeNode(s.node)} y ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}, x ${Math.round(s.previousRect.x)}→${Math.round(s.currentRect.x)}`,
        ),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  return shifts;
}

interface LayoutShift extends PerformanceEntry {
  value: number;
  hadRecentInput: boolean;
  sources: { node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[];
}

/** What started near the viewport (widgets, the prose's figures) and has not finished. */
function pending({ win, doc }: Article): string[] {
  const near = (e: Element) => {
    const r = e.getBoundingClientRect();
    return r.bottom > -NEAR_MARGIN && r.top < win.innerHeight + NEAR_MARGIN;
  };
  const computing = widgets(doc).filter(
    (w) => w.localName !== 'quant-arena' && near(w) && w.result === null && w.error === null,
  );
  const figures = [...doc.querySelectorAll<HTMLElement>('[data-figure]')].filter(
    (f) => near(f) && f.dataset.state === 'pending',
  );
  return [...computing, ...figures].map((e) => e.outerHTML.slice(0, 80));
}

const settled = (article: Article) => pending(article).length === 0;

async function scrollThrough(article: Article): Promise<void> {
  const { win, doc } = article;
  const deadline = performance.now() + 150_000;
  for (let y = 0; y < doc.documentElement.scrollHeight; y += win.innerHeight / 2) {
    win.scrollTo(0, y);
    await sleep(100);
    while (!settled(article)) {
      if (performance.now() > deadline)
        throw new Error(`not settled at y = ${y}: ${pending(article).join(' | ')}`);
      await sleep(100);
    }
    await sleep(100);
  }
}

describe('layout shift while the article starts (demo/index.html)', function () {
  this.timeout(300_000);
  let article: Article | undefined;
  afterEach(() => article?.win.close());

  // A phone, and the widest popup this headless browser opens (its screen is 800 px wide): the
  // desktop layout (the column's 920 px maximum aside), with the wide reservations.
  for (const width of [375, 800]) {
    it(`adds up to at most 0.02 at ${width} px, scrolled top to bottom`, async () => {
      article = await openArticle(width);
      expect(article.win.innerWidth).to.equal(width);
      const shifts = record(article.win);
      await scrollThrough(article);
      await sleep(300);
      const total = shifts.reduce((sum, s) => sum + s.value, 0);
      const largest = [...shifts].sort((a, b) => b.value - a.value).slice(0, 5);
      console.log(
        `layout shift at ${width} px: ${total.toFixed(4)} in ${shifts.length} shifts${largest
          .map((s) => `\n  ${s.value.toFixed(4)} at scroll ${s.at}: ${s.sources.join('; ')}`)
          .join('')}`,
      );
      expect(total, `layout shift at ${width} px (the largest above)`).to.be.at.most(0.02);
    });
  }
});
