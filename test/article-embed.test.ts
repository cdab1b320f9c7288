/**
 * "Embed this widget" and "Use it on your page" (demo/embed.ts, demo/reference.ts): every widget of
 * the article has a snippet that reproduces it as the reader has set it up, the Copy button copies
 * it, and the attribute reference lists every element and attribute of custom-elements.json.
 */
import { expect } from '@open-wc/testing';
import { openArticle, widgets, type Article } from './helpers/article.js';
import { sleep } from './helpers/wait.js';
import { manifestElements } from './helpers/manifest.js';

/** The README's script line (its first code sample): the snippets must load the kit the same way. */
async function readmeScriptLine(): Promise<string> {
  const readme = await (await fetch('/README.md')).text();
  const line = /<script type="module" src="[^"]*quant-widgets\.js"><\/script>/.exec(readme);
  expect(line, 'the README has a script line').to.not.equal(null);
  return line![0];
}

/** Attributes that wire a widget into the article, not into a reader's page. */
const WIRING = ['aria-label', 'aria-labelledby', 'group', 'group-fields'];

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

type Widget = HTMLElement & Record<string, unknown>;

/** The snippet shown under a widget (its "Embed this widget" disclosure). */
function snippetOf(w: Element): { details: HTMLDetailsElement; code: HTMLElement; text: string } {
  const details = w.nextElementSibling as HTMLDetailsElement;
  expect(details?.matches('details.embed'), `${w.localName}: a details.embed follows it`).to.equal(true);
  const code = details.querySelector<HTMLElement>('pre code')!;
  return { details, code, text: code.textContent ?? '' };
}

/** Snippet text parsed as HTML in the article's document, its kit element upgraded (not connected). */
function parse(article: Article, text: string): { scripts: HTMLScriptElement[]; element: Widget } {
  const holder = article.doc.createElement('div');
  holder.innerHTML = text;
  article.win.customElements.upgrade(holder);
  const element = [...holder.children].find((e) => e.localName.startsWith('quant-')) as Widget;
  return { scripts: [...holder.querySelectorAll('script')], element };
}

/** Resolves once `check` holds (MutationObserver callbacks run in a microtask; a frame is plenty). */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

describe('the article: embedding (demo/embed.ts, demo/reference.ts)', function () {
  this.timeout(120_000);
  let article: Article | undefined;
  afterEach(() => article?.remove());

  it('every widget has an Embed snippet that reproduces it: its tag, its state, no page wiring, the script line once', async () => {
    article = await openArticle(1280);
    const script = await readmeScriptLine();
    const manifest = new Map((await manifestElements()).map((e) => [e.tagName, e]));
    const all = widgets(article.doc) as unknown as Widget[];
    expect(all.length).to.be.above(10);
    expect(article.doc.querySelectorAll('details.embed').length, 'one disclosure per widget').to.equal(
      all.length,
    );
    const buttons = [...article.doc.querySelectorAll('details.embed button')].map((b) => b.ariaLabel);
    expect(new Set(buttons).size, 'each Copy button says whose tag it copies').to.equal(all.length);
    for (const w of all) {
      const { text } = snippetOf(w);
      const label = `${w.localName} "${w.getAttribute('aria-label')}"`;
      expect(text.split('\n')[0], `${label}: starts with the README's script line`).to.equal(script);
      const { scripts, element } = parse(article, text);
      expect(scripts.length, `${label}: one script line`).to.equal(1);
      expect(element?.localName, `${label}: its own tag`).to.equal(w.localName);
      const attributes = manifest.get(w.localName)!.attributes!;
      const known = attributes.map((a) => a.name);
      const fresh = article.doc.createElement(w.localName) as Widget;
      for (const { name } of element.attributes) {
        expect(known, `${label}: snippet attribute ${name} is in custom-elements.json`).to.include(name);
        expect(WIRING, `${label}: no page wiring`).to.not.include(name);
        const prop = attributes.find((a) => a.name === name)!.fieldName ?? camel(name);
        expect(JSON.stringify(element[prop]), `${label}: ${name} is not the default`).to.not.equal(
          JSON.stringify(fresh[prop]),
        );
      }
      // The copy reads as the widget does: every attribute's property, default or set.
      for (const a of attributes.filter((x) => !WIRING.includes(x.name))) {
        const prop = a.fieldName ?? camel(a.name);
        expect(JSON.stringify(element[prop]), `${label}: ${a.name} (property ${prop})`).to.equal(
          JSON.stringify(w[prop]),
        );
      }
    }
  });

  it('has no hand-written widget snippet left to drift (each is generated under its widget)', async () => {
    article = await openArticle(1280);
    const handWritten = [...article.doc.querySelectorAll('pre')]
      .filter((pre) => /^\s*<quant-/.test(pre.textContent ?? ''))
      .filter((pre) => !pre.closest('details.embed, #use-it'))
      .map((pre) => pre.textContent!.trim().slice(0, 60));
    expect(handWritten).to.deep.equal([]);
  });

  it('the snippet follows the controls: the bits slider, and a group partner', async () => {
    article = await openArticle(1280);
    const sims = widgets(article.doc).filter((w) => w.localName === 'quant-simulator') as unknown as Widget[];
    const intro = sims.find((w) => (w.getAttribute('controls') ?? '').includes('rounding'))!;
    const [affine, symmetric] = sims.filter((w) => w.getAttribute('group') === 'pair');
    expect(intro && affine && symmetric, 'the intro simulator and the pair').to.be.ok;

    const slide = async (w: Widget, bits: number) => {
      w.scrollIntoView();
      await (w as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      await until(() => !!w.shadowRoot?.querySelector('input[type=range]'), 'a bits slider');
      const range = w.shadowRoot!.querySelector<HTMLInputElement>('input[type=range]')!;
      range.value = String(bits);
      range.dispatchEvent(new Event('input', { bubbles: true }));
      range.dispatchEvent(new Event('change', { bubbles: true }));
    };
    const bitsIn = (w: Widget) => parse(article!, snippetOf(w).text).element.getAttribute('bits');

    expect(bitsIn(intro)).to.equal(null); // 8, the default
    await slide(intro, 3);
    await until(() => bitsIn(intro) === '3', 'the intro snippet says bits="3"');
    await slide(intro, 8);
    await until(() => bitsIn(intro) === null, 'back at the default, the snippet leaves bits out');

    expect([bitsIn(affine), bitsIn(symmetric)]).to.deep.equal(['3', '3']);
    await slide(affine, 5);
    await until(() => bitsIn(symmetric) === '5', "the partner's snippet follows the group");
    expect(bitsIn(affine)).to.equal('5');
    expect(snippetOf(symmetric).text, 'the partner keeps its own scheme').to.contain('scheme="symmetric"');
  });

  it('Copy copies the snippet and says so; without the Clipboard API it selects it', async () => {
    article = await openArticle(1280);
    const w = widgets(article.doc)[0];
    const { details, code, text } = snippetOf(w);
    details.open = true;
    const button = details.querySelector('button')!;
    const status = details.querySelector('[role=status]')!;
    let copied: string | null = null;
    Object.defineProperty(article.win.navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (t: string) => ((copied = t), Promise.resolve()) },
    });
    button.click();
    await until(() => status.textContent === 'Copied', 'status "Copied"');
    expect(copied).to.equal(text);
    expect(code.textContent).to.equal(text);

    Object.defineProperty(article.win.navigator, 'clipboard', {
      configurable: true,
      value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
    status.textContent = '';
    button.click();
    await until(() => status.textContent !== '', 'a status');
    expect(article.win.getSelection()!.toString(), 'the snippet is selected').to.equal(text);
  });

  it('the reference lists every element of custom-elements.json and every attribute of each', async () => {
    article = await openArticle(1280);
    const ref = article.doc.getElementById('attribute-reference')!;
    await until(() => ref.dataset.state === 'done', 'the reference rendered');
    const elements = await manifestElements();
    expect(elements.length).to.be.at.least(6);
    const shown = [...ref.querySelectorAll<HTMLElement>('[data-tag]')].map((e) => e.dataset.tag);
    expect(shown).to.deep.equal(elements.map((e) => e.tagName));
    for (const el of elements) {
      const block = ref.querySelector<HTMLElement>(`[data-tag="${el.tagName}"]`)!;
      const rows = [...block.querySelectorAll<HTMLElement>('tbody tr')].map((r) => r.dataset.attribute);
      expect(rows, el.tagName).to.deep.equal((el.attributes ?? []).map((a) => a.name));
      for (const row of block.querySelectorAll('tbody tr'))
        expect(row.children.length, `${el.tagName}: attribute, type, default, description`).to.equal(4);
    }
    // Defaults as the descriptions state them.
    const cellOf = (tag: string, attr: string, col: number) =>
      ref.querySelector(`[data-tag="${tag}"] tr[data-attribute="${attr}"]`)!.children[col].textContent;
    expect(cellOf('quant-simulator', 'bits', 2)).to.equal('8');
    expect(cellOf('quant-heatmap', 'thresholds', 2)).to.equal('0.001 0.01');
    expect(cellOf('quant-simulator', 'group-fields', 2)).to.equal('all');
  });

  it('"Use it on your page" loads the kit with the same script line as the snippets', async () => {
    article = await openArticle(1280);
    const script = await readmeScriptLine();
    const html = article.doc.querySelector('#use-it code[data-use="html"]')!.textContent!;
    expect(html.split('\n')[0]).to.equal(script);
    for (const use of ['bundler', 'react', 'docs'])
      expect(article.doc.querySelector(`#use-it code[data-use="${use}"]`), use).to.not.equal(null);
    const links = [...article.doc.querySelectorAll<HTMLAnchorElement>('#use-it a')].map((a) =>
      a.getAttribute('href'),
    );
    expect(links).to.include.members([
      'readme.html#use-it',
      'readme.html#what-a-bundler-needs',
      'readme.html#use-in-react',
      'readme.html#use-in-a-docs-site',
    ]);
  });

  it('at 375 px, every snippet and the reference open: no sideways scroll, text ≥ 13 px', async () => {
    article = await openArticle(375);
    const { doc, win } = article;
    const ref = doc.getElementById('attribute-reference')!;
    await until(() => ref.dataset.state === 'done', 'the reference rendered');
    for (const d of doc.querySelectorAll<HTMLDetailsElement>('details.embed, details.reference-element'))
      d.open = true;
    await sleep(100);
    expect(doc.documentElement.scrollWidth).to.be.at.most(375);
    const small: string[] = [];
    const walker = doc.createTreeWalker(doc.getElementById('use-it')!, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    for (const d of doc.querySelectorAll('details.embed')) {
      const w = doc.createTreeWalker(d, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) texts.push(n as Text);
    }
    for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
    for (const t of texts) {
      if (!t.textContent!.trim()) continue;
      const px = parseFloat(win.getComputedStyle(t.parentElement!).fontSize);
      if (px < 13 - 0.01)
        small.push(`${px}px <${t.parentElement!.localName}> ${t.textContent!.slice(0, 30)}`);
    }
    expect(small).to.deep.equal([]);
    // The snippets wrap: nothing of them is out of sight.
    for (const pre of doc.querySelectorAll('details.embed pre'))
      expect(pre.scrollWidth, pre.textContent!.slice(80, 120)).to.be.at.most(pre.clientWidth);
  });
});
