/** Loads the article (demo/index.html) in an iframe of a given width and starts its widgets. */
import { sleep } from './wait.js';

export interface Article {
  frame: HTMLIFrameElement;
  win: Window;
  doc: Document;
  remove(): void;
}

const TAGS = [
  'quant-simulator',
  'quant-histogram',
  'quant-heatmap',
  'quant-arena',
  'quant-inference',
  'quant-outliers',
];

/** Every widget of the kit the reader sees on the page (any `quant-*` element not hidden). */
export function widgets(doc: Document): (HTMLElement & { result: unknown; error: unknown })[] {
  // Not the hidden ones demo/figures-widgets.ts adds for a moment to compute a figure: not the reader's.
  return [...doc.querySelectorAll<HTMLElement>('*')].filter(
    (e) => e.localName.startsWith('quant-') && !e.hidden,
  ) as (HTMLElement & { result: unknown; error: unknown })[];
}

export async function openArticle(width: number, height = 800): Promise<Article> {
  const frame = document.createElement('iframe');
  frame.style.width = `${width}px`;
  frame.style.height = `${height}px`;
  frame.style.border = '0';
  document.body.append(frame);
  await new Promise<void>((resolve, reject) => {
    frame.addEventListener('load', () => resolve(), { once: true });
    frame.addEventListener('error', () => reject(new Error('demo/index.html did not load')), { once: true });
    frame.src = '/demo/index.html';
  });
  const win = frame.contentWindow!;
  const doc = frame.contentDocument!;
  await Promise.all(TAGS.map((t) => win.customElements.whenDefined(t)));
  return { frame, win, doc, remove: () => frame.remove() };
}

/**
 * Scrolls the article top to bottom, a viewport at a time, until every widget that computes on
 * sight has its first result (the arena waits for its Run button: it counts once rendered).
 */
export async function startAll(article: Article, ms = 180_000): Promise<void> {
  const { win, doc } = article;
  const deadline = performance.now() + ms;
  const pending = () =>
    widgets(doc).filter((w) => w.localName !== 'quant-arena' && w.result === null && w.error === null);
  for (let y = 0; y < doc.documentElement.scrollHeight; y += win.innerHeight / 2) {
    win.scrollTo(0, y);
    await sleep(150);
  }
  while (pending().length > 0) {
    if (performance.now() > deadline)
      throw new Error(
        `not started: ${pending()
          .map((w) => w.outerHTML.slice(0, 80))
          .join(' | ')}`,
      );
    // Bring the next one into view (lazy widgets start near the viewport).
    pending()[0].scrollIntoView();
    await sleep(200);
  }
  win.scrollTo(0, 0);
}
