/**
 * The article (demo/index.html) as a reader gets it: loaded in an iframe at phone and desktop
 * widths with every widget started.
 */
import { expect } from '@open-wc/testing';
import { openArticle, startAll, widgets, type Article } from './helpers/article.js';
import { axControls, axTrees } from './helpers/ax.js';
import { outside } from './helpers/overflow.js';

/** Text as a reader hears it: whitespace collapsed. */
const said = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** WCAG contrast of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((v) => {
        const x = Number(v) / 255;
        return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Values that occur more than once. */
const repeated = (xs: string[]) => [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];

describe('the article (demo/index.html)', function () {
  this.timeout(300_000);
  let article: Article | undefined;
  afterEach(() => article?.remove());

  it("the page's links have 4.5:1 contrast in light and in dark (WCAG AA)", async () => {
    article = await openArticle(1280);
    const { doc } = article;
    const view = doc.defaultView!;
    const links = [...doc.querySelectorAll('main a, footer a')];
    expect(links.length).to.be.greaterThan(0);
    for (const theme of ['light', 'dark']) {
      doc.documentElement.dataset.theme = theme;
      const bg = view.getComputedStyle(doc.documentElement).backgroundColor;
      const low = links
        .map((a) => [a.textContent!.trim(), contrast(view.getComputedStyle(a).color, bg)] as const)
        .filter(([, c]) => c < 4.5);
      expect(low, `${theme}: links under 4.5:1`).to.deep.equal([]);
    }
  });

  it('does not scroll sideways at 375 px with every widget started', async () => {
    article = await openArticle(375);
    await startAll(article);
    const { doc } = article;
    const wide = [
      ...[...doc.querySelectorAll('main > *, main section > *')]
        .filter((e) => e.getBoundingClientRect().right > 375)
        .map((e) => e.localName),
      ...widgets(doc).flatMap((w) => outside(w).map((e) => `${w.localName} ${e}`)),
    ];
    expect(doc.documentElement.scrollWidth, `wider than 375: ${wide.join(', ')}`).to.be.at.most(375);
  });

  it('names every widget after its section heading, uniquely, and every control after its widget', async () => {
    article = await openArticle(1280);
    const all = widgets(article.doc);
    all.forEach((w, i) => w.setAttribute('data-ax', String(i)));
    await Promise.all(all.map((w) => (w as unknown as { updateComplete: Promise<unknown> }).updateComplete));
    const trees = await axTrees(
      all.map((_, i) => `[data-ax="${i}"]`),
      '/demo/index.html',
    );
    const regions = trees.map((t, i) => {
      const heading = said(all[i].closest('section')?.querySelector('h2')?.textContent);
      return { tag: all[i].localName, role: t?.role, name: said(t?.name), heading };
    });
    for (const r of regions) {
      expect(r.role, `${r.tag} "${r.name}"`).to.equal('region');
      expect(r.heading, `${r.tag} "${r.name}" is in a section with a heading`).to.not.equal('');
      expect(r.name, `${r.tag}: its section is "${r.heading}"`).to.contain(r.heading);
    }
    expect(repeated(regions.map((r) => r.name)), 'region names said twice').to.deep.equal([]);
    const controls = trees.flatMap((t) => (t ? axControls(t) : [])).map((c) => `${c.role} "${c.name}"`);
    expect(controls.length).to.be.above(all.length);
    expect(repeated(controls), 'control names said twice').to.deep.equal([]);
  });
});
