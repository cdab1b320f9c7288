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

  it('has a table of contents whose every link resolves to a section, and every section an id', async () => {
    article = await openArticle(1280);
    const { doc } = article;
    const sections = [...doc.querySelectorAll('main section')];
    expect(sections.length).to.be.above(10);
    expect(
      sections.filter((s) => !s.id).map((s) => s.querySelector('h2')?.textContent),
      'sections without an id',
    ).to.deep.equal([]);
    const links = [...doc.querySelectorAll<HTMLAnchorElement>('nav.toc a')];
    const targets = links.map((a) => a.getAttribute('href')!);
    expect(targets).to.include.members([
      '#intro',
      '#matmul',
      '#qat',
      '#guidelines',
      '#large-models',
      '#summary',
    ]);
    const broken = targets.filter(
      (h) => !h.startsWith('#') || doc.getElementById(h.slice(1))?.localName !== 'section',
    );
    expect(broken, 'TOC links that reach no section').to.deep.equal([]);
    expect(
      sections.map((s) => `#${s.id}`).filter((h) => !targets.includes(h)),
      'sections the TOC leaves out',
    ).to.deep.equal([]);
    // Every in-page link on the page lands somewhere.
    const dangling = [...doc.querySelectorAll<HTMLAnchorElement>('a[href^="#"]')]
      .map((a) => a.getAttribute('href')!)
      .filter((h) => !doc.getElementById(h.slice(1)));
    expect(dangling, 'in-page links to no element').to.deep.equal([]);
  });

  it('keeps prose in a column of at most 75ch at 1280 px', async () => {
    article = await openArticle(1280);
    const { doc } = article;
    const view = doc.defaultView!;
    const prose = [...doc.querySelectorAll<HTMLElement>('main p, main li, main h2, main h3')].filter(
      (e) =>
        !e.closest(
          '.wide, quant-simulator, quant-histogram, quant-heatmap, quant-arena, quant-inference, quant-outliers',
        ),
    );
    expect(prose.length).to.be.above(40);
    const tooWide = prose
      .map((e) => {
        // 75ch in the body font: the column the prose is set to (a heading's own ch is larger).
        const probe = doc.createElement('div');
        probe.style.width = '75ch';
        probe.style.font = view.getComputedStyle(doc.body).font;
        doc.body.append(probe);
        const limit = probe.getBoundingClientRect().width;
        probe.remove();
        return [
          e.localName,
          e.textContent!.trim().slice(0, 40),
          e.getBoundingClientRect().width,
          limit,
        ] as const;
      })
      .filter(([, , w, limit]) => w > limit + 0.5);
    expect(tooWide, 'prose wider than 75ch').to.deep.equal([]);
  });

  it('typesets the main formulas in native MathML', async () => {
    article = await openArticle(1280);
    const { doc } = article;
    const math = (id: string) => doc.querySelectorAll(`#${id} math`).length;
    for (const id of [
      'floats-to-integers',
      'symmetric-affine',
      'matmul',
      'distribution',
      'qat',
      'best-practices',
    ])
      expect(math(id), `#${id} has MathML`).to.be.above(0);
    // The zero-point-corrected sum: four terms under one scale, with ∑ operators.
    const matmul = doc.querySelector('#matmul math[display="block"]')!;
    expect(matmul.querySelectorAll('munder').length).to.equal(3);
    // Rendered as MathML (Chromium's MathML Core), not as inline text: the fraction has height.
    const frac = doc.querySelector('#floats-to-integers mfrac')!;
    expect(frac.getBoundingClientRect().height).to.be.above(20);
    // An inline formula sits in its line: no bracket stretched taller than the line around it.
    const tall = [...doc.querySelectorAll<Element>('main p math.inline')]
      .map((m) => {
        const line = parseFloat(doc.defaultView!.getComputedStyle(m.parentElement!).lineHeight);
        const ops = [...m.querySelectorAll('mo')].map((o) => o.getBoundingClientRect().height);
        return [m.textContent!.replace(/\s+/g, ''), Math.max(...ops) / line] as const;
      })
      .filter(([, h]) => h > 1.05)
      .map(([t, h]) => `${t}: brackets ${h.toFixed(2)} lines tall`);
    expect(tall, 'inline formulas with stretched brackets').to.deep.equal([]);
    // No formula left as code (an attribute, name="value", is code).
    const codeFormulas = [...doc.querySelectorAll('main p code, main li code')]
      .map((c) => c.textContent!.trim())
      .filter((t) => /[=≈]/.test(t) && !/^[a-z-]+="[^"]*"$/.test(t));
    expect(codeFormulas).to.deep.equal([]);
  });

  it('sets code, inline and in blocks, at 13 px or more', async () => {
    article = await openArticle(1280);
    const { doc } = article;
    const view = doc.defaultView!;
    const small = [...doc.querySelectorAll('main :is(p, li, pre, td) code')]
      .map(
        (c) => [c.textContent!.trim().slice(0, 30), parseFloat(view.getComputedStyle(c).fontSize)] as const,
      )
      .filter(([, px]) => px < 13);
    expect(small.slice(0, 5), `${small.length} code elements under 13 px`).to.deep.equal([]);
  });

  it('has a theme toggle in the header and in the footer, in sync, and canvases repaint', async () => {
    article = await openArticle(1280);
    const { doc, win } = article;
    const [top, bottom] = [
      doc.querySelector('header [data-theme-toggle]'),
      doc.querySelector('footer [data-theme-toggle]'),
    ];
    expect(top, 'a toggle in the header').to.exist;
    expect(bottom, 'a toggle in the footer').to.exist;
    const hist = doc.querySelector<HTMLElement & { result: unknown }>('#distribution quant-histogram')!;
    hist.scrollIntoView();
    for (let i = 0; i < 300 && !hist.result; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 300));
    const pixels = () => [...hist.shadowRoot!.querySelectorAll('canvas')].map((c) => c.toDataURL()).join();
    const light = (doc.documentElement.dataset.theme = 'light');
    await new Promise((r) => setTimeout(r, 300));
    const before = pixels();
    (top as HTMLButtonElement).click();
    expect(doc.documentElement.dataset.theme).to.equal('dark');
    expect([top!.getAttribute('aria-pressed'), bottom!.getAttribute('aria-pressed')]).to.deep.equal([
      'true',
      'true',
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(pixels(), 'the histogram repainted for dark').to.not.equal(before);
    (bottom as HTMLButtonElement).click();
    expect(doc.documentElement.dataset.theme).to.equal(light);
    expect([top!.getAttribute('aria-pressed'), bottom!.getAttribute('aria-pressed')]).to.deep.equal([
      'false',
      'false',
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(pixels(), 'and back for light').to.equal(before);
    expect(win.innerWidth).to.equal(1280);
  });

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
