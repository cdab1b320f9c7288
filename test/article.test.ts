/**
 * The article (demo/index.html) as a reader gets it: loaded in an iframe at phone and desktop
 * widths with every widget started.
 */
import { expect } from '@open-wc/testing';
import { openArticle, startAll, widgets, type Article } from './helpers/article.js';
import { outside } from './helpers/overflow.js';

describe('the article (demo/index.html)', function () {
  this.timeout(300_000);
  let article: Article | undefined;
  afterEach(() => article?.remove());

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
});
