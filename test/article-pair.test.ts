/**
 * The article's symmetric/affine pair keeps comparing (issue 19, item 2): the two cards share a
 * group but take only `bits` from it, so a step of one card's slider leaves the other's scheme.
 */
import { expect } from '@open-wc/testing';
import { openArticle, type Article } from './helpers/article.js';

type Card = HTMLElement & {
  scheme: string;
  bits: number;
  result: { config: { scheme: string; bits: number }; codes: Int32Array } | null;
};

const settled = (card: Card, bits: number) =>
  new Promise<void>((resolve) => {
    const check = () => card.result?.config.bits === bits && resolve();
    card.addEventListener('quant-result', check);
    check();
  });

describe('the article: symmetric or affine', function () {
  this.timeout(120_000);
  let article: Article | undefined;
  afterEach(() => article?.remove());

  it('a step of the Affine card’s bits moves the Symmetric card’s bits and keeps its scheme', async () => {
    article = await openArticle(1280);
    const figures = [...article.doc.querySelectorAll('figure')].filter((f) =>
      f.querySelector('quant-simulator[group="pair"]'),
    );
    expect(figures.map((f) => f.querySelector('figcaption')?.textContent?.trim())).to.deep.equal([
      'Affine',
      'Symmetric',
    ]);
    const [affine, symmetric] = figures.map((f) => f.querySelector('quant-simulator') as Card);
    affine.scrollIntoView();
    await Promise.all([settled(affine, affine.bits), settled(symmetric, symmetric.bits)]);
    const next = affine.bits + 1;
    const slider = affine.shadowRoot!.querySelector<HTMLInputElement>('input[type=range]')!;
    slider.value = String(next);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    slider.dispatchEvent(new Event('change', { bubbles: true }));
    await Promise.all([settled(affine, next), settled(symmetric, next)]);
    expect([affine.result!.config.scheme, symmetric.result!.config.scheme]).to.deep.equal([
      'affine',
      'symmetric',
    ]);
    expect(Array.from(affine.result!.codes)).not.to.deep.equal(Array.from(symmetric.result!.codes));
  });
});
