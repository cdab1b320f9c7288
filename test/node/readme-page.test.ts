/**
 * The article's links resolve where the article is deployed: every relative link of
 * demo/index.html is a page of the site, and each `readme.html#id` names an id of the README
 * page (demo/readme-page.ts) — the `../README.md` links it had 404 on a deployed site.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readmePage, slug } from '../../demo/readme-page.js';

const article = readFileSync('demo/index.html', 'utf8');
const page = readmePage(readFileSync('README.md', 'utf8'));
const ids = new Set([...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));

describe('the README page and the article links to it', () => {
  it('slug is GitHub’s anchor', () => {
    assert.equal(slug('Use in a docs site'), 'use-in-a-docs-site');
    assert.equal(slug('Use <code>method</code>, 2.0 & more'), 'use-method-20--more');
  });

  it('headings and bold lead-ins have ids', () => {
    for (const id of ['use-it', 'use-in-a-docs-site', 'performance', 'use-in-react', 'what-a-bundler-needs'])
      assert.ok(ids.has(id), `#${id} on the README page`);
  });

  it('every relative link of the article resolves on the deployed site', () => {
    const links = [...article.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((m) => m[1]);
    const relative = links.filter((h) => !/^(https?:|mailto:|#|data:)/.test(h));
    assert.ok(
      relative.some((h) => h.startsWith('readme.html#')),
      'the article links the README page',
    );
    for (const href of relative) {
      assert.ok(!href.startsWith('../'), `${href} leaves the site`);
      const [file, id] = href.split('#');
      if (file === 'readme.html') assert.ok(!id || ids.has(id), `${href}: no such id on the README page`);
      else assert.ok(existsSync(`demo/${file}`), `${href}: no such page`);
    }
  });

  it('the README page has no links to repository files (they are not on the site)', () => {
    const hrefs = [...page.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(
      hrefs.filter((h) => !/^(https?:|mailto:|#|\.\/$)/.test(h)),
      [],
    );
    assert.ok(!/<img[^>]+src="(?!https?:)/.test(page), 'no relative images');
  });
});
