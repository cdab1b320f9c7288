/**
 * examples/vitepress built with `vitepress build` (SSR: the page's HTML is rendered in Node, where
 * the kit's DOM code must not run) and rendered in Chromium: the three elements give results to
 * their `@quant-result` handlers with no page error, and VitePress's appearance switch (which
 * toggles `.dark` on <html>) turns the widgets dark and back.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveFolder } from './built-site.js';
import { build } from 'vitepress';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(root, `.tmp/vitepress-example-${process.pid}`);
const TAGS = ['quant-simulator', 'quant-histogram', 'quant-heatmap'] as const;

let server: { origin: string; close(): void };
let browser: Browser;
let page: Page;
let url: string;
const pageErrors: string[] = [];

/** Relative luminance (0 black … 1 white) of each widget's `[part=base]` background. */
function baseLuminance(): Promise<number[]> {
  return page.evaluate((tags) => {
    // Any CSS colour (rgb(), color(srgb …), oklch …) to sRGB bytes, through a 1×1 canvas.
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    return tags.map((tag) => {
      const base = document.querySelector(tag)!.shadowRoot!.querySelector('[part~="base"]')!;
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = getComputedStyle(base).backgroundColor;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b] = [...ctx.getImageData(0, 0, 1, 1).data].map((v) => {
        const c = v / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    });
  }, TAGS);
}

/** Click VitePress's appearance switch and wait for every widget's base to be dark (or light). */
async function toggleAppearance(dark: boolean) {
  await page.click('.VPNavBar .VPSwitchAppearance');
  await page.waitForFunction((dark) => document.documentElement.classList.contains('dark') === dark, dark, {
    timeout: 5000,
  });
  const deadline = Date.now() + 5000;
  let luminance = await baseLuminance();
  const done = () => luminance.every((l) => (dark ? l < 0.2 : l > 0.6));
  while (!done() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    luminance = await baseLuminance();
  }
  return luminance;
}

describe('examples/vitepress', { timeout: 60000 }, () => {
  before(async () => {
    await build(join(root, 'examples/vitepress'), { outDir });
    server = await serveFolder(outDir);
    url = `${server.origin}/quantization.html`;
    browser = await launchChromium();
    // The reader prefers light: dark can only come from the site's switch.
    page = await browser.newPage({ colorScheme: 'light', viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      // A failed request is logged too; the response listener below judges those.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        pageErrors.push(`console: ${m.text()}`);
      }
    });
    page.on('response', (r) => {
      // Chromium asks for /favicon.ico by itself; every other request must succeed.
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) pageErrors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(url);
  });

  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('never evaluates the kit in SSR (the theme imports it in the browser only)', () => {
    // VitePress renders the pages in this process. Lit's Node build would shim `customElements`
    // and let the elements register: a registry holding one means the kit's DOM code ran in SSR.
    const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
    assert.deepEqual(
      TAGS.filter((tag) => registry?.get(tag)),
      [],
    );
  });

  it('renders the tags in SSR as custom elements with their attributes', () => {
    // isCustomElement: Vue renders the tags as they are (a Vue component would be resolved or
    // dropped); the bound `:bits` is rendered as an attribute, so the element starts with it.
    const html = readFileSync(join(outDir, 'quantization.html'), 'utf8');
    assert.match(html, /<quant-simulator bits="8" scheme="symmetric">/);
    assert.match(html, /<quant-histogram bits="8" distribution="laplace" bins="48">/);
    assert.match(html, /<quant-heatmap bits="8" shape="16x16" thresholds="0\.001 0\.01">/);
  });

  it('delivers each element’s quant-result to its Vue handler, with no page error', async () => {
    // The widgets start near the viewport (loading="lazy"): scroll to each in turn.
    for (const tag of TAGS) {
      const id = `${tag.slice('quant-'.length)}-result`;
      await page.locator(tag).scrollIntoViewIfNeeded();
      await page.waitForFunction((id) => /^8 bits/.test(document.getElementById(id)!.textContent!), id, {
        timeout: 30000,
      });
    }
    assert.match((await page.textContent('#simulator-result')) ?? '', /^8 bits: SQNR \d+\.\d dB$/);
    assert.match((await page.textContent('#histogram-result')) ?? '', /^8 bits: SQNR \d+\.\d dB$/);
    assert.equal(await page.textContent('#heatmap-result'), '8 bits: 16×16 cells');
    const results = await page.evaluate(
      (tags) =>
        tags.map((tag) => {
          const el = document.querySelector(tag) as HTMLElement & { result: { config: object } | null };
          return el.result !== null && !!customElements.get(tag);
        }),
      TAGS,
    );
    assert.deepEqual(results, [true, true, true]);
    assert.deepEqual(pageErrors, []);
  });

  it('follows VitePress’s appearance switch: dark, then light again', async (t) => {
    const light = await baseLuminance();
    assert.ok(
      light.every((l) => l > 0.6),
      `light bases at first: ${light.map((l) => l.toFixed(2))}`,
    );
    const dark = await toggleAppearance(true);
    assert.ok(
      dark.every((l) => l < 0.2),
      `dark bases after the switch: ${dark.map((l) => l.toFixed(2))}`,
    );
    const back = await toggleAppearance(false);
    assert.ok(
      back.every((l) => l > 0.6),
      `light bases after switching back: ${back.map((l) => l.toFixed(2))}`,
    );
    const fmt = (ls: number[]) => ls.map((l) => l.toFixed(2)).join(' ');
    t.diagnostic(`base luminance: light ${fmt(light)}, dark ${fmt(dark)}, light ${fmt(back)}`);
    assert.deepEqual(pageErrors, []);
  });
});
