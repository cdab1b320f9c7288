/**
 * The article as a publication (issue 19, "The page itself"): a reading column of at most 75
 * characters at 1280 px, axe's colour-contrast and scrollable-region-focusable rules clean on the page in light and in dark
 * (the page's own toggle), widgets started.
 */
import { expect } from '@open-wc/testing';
import { openArticle, startAll, type Article } from './helpers/article.js';

interface AxeResult {
  violations: { id: string; nodes: { target: string[]; failureSummary?: string }[] }[];
}

/** axe-core's rules `ids` on the article (the script loaded into it once). */
async function runAxe({ doc, win }: Article, ids: string[]): Promise<AxeResult> {
  type Axe = { run(ctx: unknown, o: unknown): Promise<AxeResult> };
  if (!(win as unknown as { axe?: Axe }).axe) {
    const script = doc.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    await new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = reject;
      doc.head.append(script);
    });
  }
  return (win as unknown as { axe: Axe }).axe.run(doc, { runOnly: ids });
}

describe('the article looks like a publication', function () {
  this.timeout(300_000);
  let article: Article | undefined;
  after(() => article?.remove());

  it('keeps its prose to 75 characters a line at 1280 px', async () => {
    article = await openArticle(1280);
    const { doc, win } = article;
    const probe = doc.createElement('span');
    probe.textContent = '0'.repeat(100);
    doc.querySelector('main p')!.append(probe);
    const ch = probe.getBoundingClientRect().width / 100;
    probe.remove();
    const wide = [...doc.querySelectorAll<HTMLElement>('main p, main li')]
      .filter((p) => p.getBoundingClientRect().width / ch > 75)
      .map(
        (p) => `${Math.round(p.getBoundingClientRect().width / ch)}ch: ${p.textContent!.trim().slice(0, 40)}`,
      );
    expect(wide, 'lines wider than 75 characters').to.deep.equal([]);
    expect(win.innerWidth).to.equal(1280);
  });

  it('lets the keyboard reach every region that scrolls at 375 px (axe)', async () => {
    article?.remove();
    article = await openArticle(375);
    await startAll(article);
    const { violations } = await runAxe(article, ['scrollable-region-focusable']);
    const found = violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`));
    expect(found, 'scrollable regions the keyboard cannot reach').to.deep.equal([]);
    article.remove();
    article = undefined;
  });

  it('passes axe colour contrast and keyboard-reachable scrolling in light and in dark', async () => {
    article ??= await openArticle(1280);
    await startAll(article);
    const { doc } = article;
    for (const theme of ['light', 'dark']) {
      doc.documentElement.dataset.theme = theme;
      await new Promise((r) => setTimeout(r, 300));
      const { violations } = await runAxe(article, ['color-contrast', 'scrollable-region-focusable']);
      const found = violations.flatMap((v) =>
        v.nodes.map((n) => `${v.id} ${n.target.join(' ')}: ${n.failureSummary}`),
      );
      expect(found, `${theme}: contrast, scrollable regions`).to.deep.equal([]);
    }
  });
});
