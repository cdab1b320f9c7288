/**
 * dist/lib in bundlers (issue 18): examples/esbuild and examples/webpack, production builds of a
 * page with <quant-inference> importing `quant-widgets` (dist/lib through the package's exports),
 * and the esbuild example's page built by Vite with no config, each rendered in Chromium. The element's quant-result arrives (the model files load from where each
 * bundler put them, jax-js runs), and quantization-aware training runs in the kit's worker, started
 * from the bundle's own same-origin URL; no page error, no failed request. Builds dist/lib first
 * when it is missing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serveFolder } from './built-site.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every file under `dir`, relative to it. */
const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile());

/** The JavaScript an example's build wrote: bytes and gzip bytes. */
function jsBytes(dir: string): { raw: number; gzip: number; files: number } {
  const js = filesIn(dir).filter((f) => f.endsWith('.js'));
  const bodies = js.map((f) => readFileSync(join(dir, f)));
  return {
    raw: bodies.reduce((t, b) => t + b.length, 0),
    gzip: bodies.reduce((t, b) => t + gzipSync(b).length, 0),
    files: js.length,
  };
}

before(() => {
  if (!existsSync(join(root, 'dist/lib/index.js')))
    execFileSync('npm', ['run', 'build:lib'], { cwd: root, stdio: 'ignore' });
});

type Build = (outdir: string) => Promise<unknown>;
const example = async (name: string) =>
  (
    (await import(`../../examples/${name}/build.mjs`)) as {
      buildExample(outdir: string, options?: { minimize?: boolean }): Promise<unknown>;
    }
  ).buildExample;

const BUILDS: Record<string, Build> = {
  esbuild: async (outdir) => (await example('esbuild'))(outdir),
  // webpack's terser pass alone takes half a minute on a busy 2-core machine: skipped here.
  webpack: async (outdir) => (await example('webpack'))(outdir, { minimize: false }),
  // Vite needs nothing either: the same page as examples/esbuild.
  vite: async (outdir) =>
    (await import('vite')).build({
      configFile: false,
      root: join(root, 'examples/esbuild'),
      logLevel: 'warn',
      build: { outDir: outdir, emptyOutDir: true, target: 'es2022' },
    }),
};

for (const [bundler, build] of Object.entries(BUILDS)) {
  describe(
    bundler === 'vite' ? 'examples/esbuild built by Vite' : `examples/${bundler}`,
    { timeout: 180000 },
    () => {
      const outDir = join(root, `.tmp/${bundler}-example-${process.pid}`);
      let server: { origin: string; close(): void };
      let browser: Browser;
      let page: Page;
      let origin: string;
      const pageErrors: string[] = [];
      const fetched: string[] = [];
      // A page error ends a wait at once (a module that throws defines no element: no result ever).
      let pageFailed: (e: Error) => void = () => {};
      const failed = new Promise<never>((_, reject) => (pageFailed = reject));
      failed.catch(() => {});
      const until = <T>(waiting: Promise<T>) => Promise.race([waiting, failed]);

      before(async () => {
        const t0 = performance.now();
        await build(outDir);
        const ms = performance.now() - t0;
        const js = jsBytes(outDir);
        console.log(
          `${bundler}: built in ${(ms / 1000).toFixed(1)} s; ${js.files} JS files, ` +
            `${(js.raw / 1024).toFixed(0)} KB (${(js.gzip / 1024).toFixed(0)} KB gzip)`,
        );
        server = await serveFolder(outDir);
        origin = server.origin;
        browser = await launchChromium();
        page = await browser.newPage();
        // The URL of each kit worker (the kit names them `quant-widgets`; jax-js's own are not).
        // On `?no-url-way`, the URL way points at a missing file, as if the page refused it.
        await page.addInitScript(() => {
          const urls: string[] = [];
          (window as unknown as { kitWorkers: string[] }).kitWorkers = urls;
          const Original = window.Worker;
          const broken = location.search === '?no-url-way';
          window.Worker = class extends Original {
            constructor(url: string | URL, options?: WorkerOptions) {
              const ours = options?.name === 'quant-widgets';
              const href = String(url);
              super(ours && broken && !href.startsWith('blob:') ? '/missing.worker.js' : url, options);
              if (ours) urls.push(href);
            }
          };
        });
        page.on('pageerror', (e) => {
          pageErrors.push(String(e));
          pageFailed(new Error(`page error: ${e}`));
        });
        page.on('response', (r) => {
          fetched.push(r.url());
          // Chromium asks for /favicon.ico by itself; every other request must succeed.
          if (r.status() >= 400 && !/\/(favicon\.ico|missing\.worker\.js)$/.test(r.url()))
            pageErrors.push(`${r.status()} ${r.url()}`);
        });
        await page.goto(`${origin}/`);
      });

      after(async () => {
        await browser?.close();
        server?.close();
        rmSync(outDir, { recursive: true, force: true });
      });

      it('<quant-inference> gives a quant-result: the model files load, jax-js runs', async () => {
        await until(
          page.waitForFunction(
            // A result, or the element's quant-error (examples' main.js writes either).
            () => /^(4 4 4 bits|error): /.test(document.getElementById('result')!.textContent!),
            undefined,
            { timeout: 90000 },
          ),
        );
        const text = await page.$eval('#result', (p) => p.textContent);
        assert.match(text!, /^4 4 4 bits: \d+\.\d% \(float 9\d\.\d%\)$/);
        // The manifest, weights and held-out images from the bundle's origin (esbuild: models/ as
        // copied; webpack, Vite: renamed assets; Vite inlines the small label files as data: URLs).
        const ours = fetched.filter((u) => u.startsWith(origin));
        assert.ok(
          ours.some((u) => u.endsWith('.json')),
          'a manifest fetched',
        );
        assert.ok(ours.filter((u) => u.endsWith('.gz')).length >= 2, 'weights and held-out images fetched');
        assert.deepEqual(pageErrors, []);
      });

      it('quantization-aware training runs in the kit worker, started from its same-origin URL', async () => {
        const steps = await until(
          page.evaluate(async () => {
            const el = document.querySelector('quant-inference') as HTMLElement & {
              trainQat(): Promise<{ qat?: { steps: number } }>;
            };
            return (await el.trainQat()).qat?.steps;
          }),
        );
        assert.equal(steps, 5);
        await page.waitForFunction(() =>
          /QAT 5 steps$/.test(document.getElementById('result')!.textContent!),
        );
        const urls = await page.evaluate(() => (window as unknown as { kitWorkers: string[] }).kitWorkers);
        assert.equal(urls.length, 1, urls.join(', '));
        assert.ok(urls[0].startsWith(`${origin}/`) && urls[0].endsWith('.js'), urls[0]);
        if (bundler === 'esbuild') assert.equal(urls[0], `${origin}/workers/qat.worker.js`);
        assert.deepEqual(pageErrors, []);
      });

      it('a URL way that does not load: the blob: bootstrap starts the worker instead', async () => {
        await page.goto(`${origin}/?no-url-way`);
        const steps = await until(
          page.evaluate(async () => {
            const el = document.querySelector('quant-inference') as HTMLElement & {
              trainQat(): Promise<{ qat?: { steps: number } }>;
            };
            return (await el.trainQat()).qat?.steps;
          }),
        );
        assert.equal(steps, 5);
        const urls = await page.evaluate(() => (window as unknown as { kitWorkers: string[] }).kitWorkers);
        assert.equal(urls.length, 2, urls.join(', '));
        assert.ok(urls[0].startsWith(`${origin}/`), urls[0]);
        assert.match(urls[1], /^blob:/);
        assert.deepEqual(pageErrors, []);
      });
    },
  );
}
