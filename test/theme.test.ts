/**
 * Light and dark (SPEC §5, issue 18 item 1): an element follows the page's scheme — an ancestor's
 * `color-scheme`, VitePress's `.dark`, `[data-theme]` of Docusaurus and Starlight, the nearest one
 * winning — else the reader's `prefers-color-scheme`; and its canvases repaint when the scheme or
 * a page token changes, with no call to redraw().
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';
import '../src/index.js';
import { part } from './helpers/element.js';
import { whenReady } from './helpers/wait.js';

type Widget = HTMLElement & { result: unknown };

/** Relative luminance of a computed `rgb(…)` colour. */
function luminance(colour: string): number {
  const [r, g, b] = colour
    .match(/[\d.]+/g)!
    .slice(0, 3)
    .map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const base = (el: Element) => getComputedStyle(part(el, 'base')!);
const isDark = (el: Element) => luminance(base(el).backgroundColor) < 0.1 && luminance(base(el).color) > 0.5;
const isLight = (el: Element) => luminance(base(el).backgroundColor) > 0.9 && luminance(base(el).color) < 0.1;
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
/** Whether `cond` holds within 3 s (a media change reaches the page a little after the command). */
async function until(cond: () => boolean): Promise<boolean> {
  for (const t0 = performance.now(); performance.now() - t0 < 3000; await frames()) if (cond()) return true;
  return cond();
}

/** A fingerprint of a canvas's pixels. */
function pixels(canvas: HTMLCanvasElement): string {
  const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let h = 0;
  for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) | 0;
  return `${canvas.width}x${canvas.height}:${h}`;
}

const root = document.documentElement;
afterEach(async () => {
  root.className = '';
  root.removeAttribute('data-theme');
  root.style.removeProperty('color-scheme');
  root.style.removeProperty('--quant-heatmap-low');
  await emulateMedia({ colorScheme: 'light' });
});

describe('colour scheme', () => {
  it('light by default, dark under prefers-color-scheme: dark', async () => {
    const el = await fixture<Widget>(html`<quant-simulator></quant-simulator>`);
    expect(isLight(el)).to.equal(true);
    await emulateMedia({ colorScheme: 'dark' });
    expect(await until(() => isDark(el))).to.equal(true);
  });

  it("follows the page's color-scheme over the reader's preference, both ways", async () => {
    root.style.setProperty('color-scheme', 'dark');
    const el = await fixture<Widget>(html`<quant-simulator></quant-simulator>`);
    expect(isDark(el), 'color-scheme: dark on <html>').to.equal(true);
    await emulateMedia({ colorScheme: 'dark' });
    root.style.setProperty('color-scheme', 'light');
    expect(await until(() => isLight(el)), 'color-scheme: light on <html>, reader prefers dark').to.equal(
      true,
    );
    root.style.setProperty('color-scheme', 'light dark');
    expect(await until(() => isDark(el)), "'light dark' leaves it to the reader").to.equal(true);
  });

  it('follows .dark (VitePress) and [data-theme] (Docusaurus, Starlight); the nearest ancestor wins', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <section data-theme="light"><quant-simulator></quant-simulator></section>
        <quant-heatmap></quant-heatmap>
      </div>`,
    );
    const [inner, outer] = [wrap.querySelector('quant-simulator')!, wrap.querySelector('quant-heatmap')!];
    root.classList.add('dark');
    expect(await until(() => isDark(outer)), '.dark on <html>').to.equal(true);
    expect(isLight(inner), 'data-theme="light" nearer than .dark').to.equal(true);
    root.classList.remove('dark');
    root.setAttribute('data-theme', 'dark');
    expect(await until(() => isDark(outer)), 'data-theme="dark" on <html>').to.equal(true);
    root.removeAttribute('data-theme');
    expect(await until(() => isLight(outer)), 'back to light').to.equal(true);
  });

  it('a page token wins over both schemes', async () => {
    const el = await fixture<Widget>(
      html`<quant-simulator style="--quant-bg: rgb(250, 0, 0)"></quant-simulator>`,
    );
    root.classList.add('dark');
    await frames();
    expect(base(el).backgroundColor).to.equal('rgb(250, 0, 0)');
  });
});

describe('canvases repaint on a theme change, unasked', () => {
  it('histogram charts and the spirals regions follow a .dark toggle', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div>
        <quant-histogram loading="eager" bits="3"></quant-histogram>
        <quant-inference loading="eager" model="spirals" bits="3"></quant-inference>
      </div>`,
    );
    const [hist, inf] = [...wrap.children] as Widget[];
    await Promise.all([whenReady(hist), whenReady(inf, 30000)]);
    const canvases = () => [
      ...hist.shadowRoot!.querySelectorAll('canvas'),
      ...inf.shadowRoot!.querySelectorAll('canvas'),
    ];
    expect(canvases().length).to.be.at.least(3);
    const before = canvases().map(pixels);
    root.classList.add('dark');
    await until(() => canvases().every((c, i) => pixels(c) !== before[i]));
    const after = canvases().map(pixels);
    before.forEach((b, i) => expect(after[i], `canvas ${i}`).to.not.equal(b));
  });

  it('the heatmap repaints when a class brings a new --quant-heatmap-low', async () => {
    const style = document.createElement('style');
    style.textContent = '.alt { --quant-heatmap-low: rgb(0, 200, 0); }';
    document.head.append(style);
    try {
      const el = await fixture<Widget>(html`<quant-heatmap loading="eager" bits="8"></quant-heatmap>`);
      await whenReady(el);
      const canvas = el.shadowRoot!.querySelector('canvas')!;
      const before = pixels(canvas);
      root.classList.add('alt');
      expect(await until(() => pixels(canvas) !== before)).to.equal(true);
    } finally {
      style.remove();
    }
  });
});

describe('forced colours', () => {
  afterEach(() => executeServerCommand('media-features', []));

  it('the frame and the charts take the system colours, and the charts repaint unasked', async () => {
    const el = await fixture<Widget>(html`<quant-histogram loading="eager" bits="3"></quant-histogram>`);
    await whenReady(el);
    // A rebuilt chart has a new canvas: query it each time.
    const canvas = () => el.shadowRoot!.querySelector('canvas')!;
    const before = pixels(canvas());
    await executeServerCommand('media-features', [{ name: 'forced-colors', value: 'active' }]);
    await until(() => pixels(canvas()) !== before);
    const probe = document.createElement('i');
    document.body.append(probe);
    probe.style.setProperty('color', 'CanvasText');
    probe.style.setProperty('background-color', 'Canvas');
    const system = getComputedStyle(probe);
    expect(base(el).color).to.equal(system.color);
    expect(base(el).backgroundColor).to.equal(system.backgroundColor);
    probe.remove();
    expect(pixels(canvas())).to.not.equal(before);
  });
});

describe('forced colours: keys and accent controls', () => {
  afterEach(() => executeServerCommand('media-features', []));

  /** The computed colour of `value` as the browser resolves it on a fresh element. */
  function resolved(property: 'color' | 'backgroundColor', value: string): string {
    const probe = document.createElement('i');
    probe.style.setProperty('forced-color-adjust', 'none');
    probe.style[property] = value;
    document.body.append(probe);
    const out = getComputedStyle(probe)[property];
    probe.remove();
    return out;
  }

  it("a heatmap key keeps its band's colour, and accent text is not put on a same-colour backplate", async () => {
    const heatmap = await fixture<Widget>(html`<quant-heatmap loading="eager"></quant-heatmap>`);
    const sim = await fixture<Widget>(html`<quant-simulator loading="eager"></quant-simulator>`);
    await Promise.all([whenReady(heatmap), whenReady(sim)]);
    const swatch = heatmap.shadowRoot!.querySelector('.swatch.low')!;
    const unforced = getComputedStyle(swatch).backgroundColor;
    await executeServerCommand('media-features', [{ name: 'forced-colors', value: 'active' }]);
    await until(() => matchMedia('(forced-colors: active)').matches);
    // A forced swatch would be Canvas; the canvas's cells are not forced: the key must match them.
    expect(getComputedStyle(swatch).backgroundColor).to.equal(unforced);
    expect(unforced).to.not.equal(resolved('backgroundColor', 'Canvas'));
    // HighlightText on Highlight, kept as authored (a forced element gets a Canvas backplate).
    const checked = sim.shadowRoot!.querySelector('.segmented label:has(input:checked)')!;
    expect(getComputedStyle(checked).forcedColorAdjust).to.equal('none');
    expect(getComputedStyle(checked).color).to.equal(resolved('color', 'HighlightText'));
  });
});
