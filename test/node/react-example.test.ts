/**
 * examples/react (Vite + React 19) built with Vite and rendered in Chromium: the `onQuantResult`
 * handler of the @lit/react wrapper and the `onquant-result` listener of the raw tag receive the
 * elements' results, and a prop change from React re-renders the elements with a new result.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveFolder } from './built-site.js';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(root, `.tmp/react-example-${process.pid}`);

let server: { origin: string; close(): void };
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** The text and handler call count of a result line. */
const line = (id: string) =>
  page.$eval(`#${id}`, (p) => ({ text: p.textContent ?? '', count: Number(p.getAttribute('data-count')) }));

describe('examples/react', { timeout: 60000 }, () => {
  before(async () => {
    await build({
      configFile: join(root, 'examples/react/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, sourcemap: false, minify: false },
    });
    server = await serveFolder(outDir);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('response', (r) => {
      // Chromium asks for /favicon.ico by itself; every other request must succeed.
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) pageErrors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${server.origin}/`);
  });

  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('delivers each element’s quant-result to its React handler', async () => {
    await page.waitForFunction(
      () =>
        ['simulator-result', 'histogram-result'].every((id) =>
          /^8 bits/.test(document.getElementById(id)!.textContent!),
        ),
      undefined,
      { timeout: 30000 },
    );
    for (const id of ['simulator-result', 'histogram-result']) {
      const { text, count } = await line(id);
      assert.match(text, /^8 bits: SQNR \d+\.\d dB$/, id);
      assert.ok(count >= 1, `${id}: handler called`);
    }
    assert.deepEqual(pageErrors, []);
  });

  it('re-renders the elements with a new result when a prop changes', async () => {
    const before = await Promise.all([line('simulator-result'), line('histogram-result')]);
    await page.click('button');
    await page.waitForFunction(
      () =>
        ['simulator-result', 'histogram-result'].every((id) =>
          /^4 bits/.test(document.getElementById(id)!.textContent!),
        ),
      undefined,
      { timeout: 20000 },
    );
    const [simulator, histogram] = await Promise.all([line('simulator-result'), line('histogram-result')]);
    assert.ok(simulator.count > before[0].count && histogram.count > before[1].count, 'a new result each');
    // The property reached the elements, and what they show was computed from it.
    const shown = await page.evaluate(() =>
      ['quant-simulator', 'quant-histogram'].map((tag) => {
        const el = document.querySelector(tag) as HTMLElement & {
          bits: number;
          result: { config: { bits: number } };
        };
        return { bits: el.bits, resultBits: el.result.config.bits, attribute: el.getAttribute('bits') };
      }),
    );
    assert.deepEqual(shown, [
      { bits: 4, resultBits: 4, attribute: '4' },
      { bits: 4, resultBits: 4, attribute: '4' },
    ]);
    // The simulator's own controls show the new bit width.
    const output = await page.$eval(
      'quant-simulator',
      (el) => el.shadowRoot!.querySelector('output')?.textContent,
    );
    assert.equal(output?.trim(), '4');
    assert.deepEqual(pageErrors, []);
  });
});
