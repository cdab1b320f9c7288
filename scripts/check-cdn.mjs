// Smoke test of the built CDN bundle (run after `npm run build`; used by .ci/run).
//
// 1. dist/cdn/quant-widgets.js has the same named exports as dist/lib/index.js (SPEC §1), and
//    no static import: it works alone; only jax-js (and the engine) load later, from chunks/.
// 2. In Chromium, on a plain page with no import map, served WITHOUT and WITH COOP/COEP
//    (jax-js uses its wasm worker pool only when crossOriginIsolated), the bundle loads, defines
//    every element whose folder exists in src/components, and — if the core API is exported —
//    runs quantizeArray through the lazily loaded jax-js chunks. Fails on any page error, failed
//    request, or quant-error event.
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { ensureBrowser } from './browser.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cdnFile = join(root, 'dist/cdn/quant-widgets.js');
const libFile = join(root, 'dist/lib/index.js');
const executablePath = ensureBrowser();
const TAGS = ['quant-simulator', 'quant-histogram', 'quant-heatmap', 'quant-arena', 'quant-inference'];

let failures = 0;
const fail = (msg) => {
  failures++;
  console.error(`✗ ${msg}`);
};
const pass = (msg) => console.log(`✓ ${msg}`);

for (const f of [cdnFile, libFile]) {
  if (!existsSync(f)) {
    console.error(`${f} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}

/** Named exports of an ES module, following `export *` through its local imports. */
async function exportNames(entry) {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry, formats: ['es'], fileName: 'x' },
      rolldownOptions: {
        external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
      },
    },
  });
  const outputs = Array.isArray(out) ? out.flatMap((o) => o.output) : out.output;
  const chunk = outputs.find((o) => o.type === 'chunk' && o.isEntry);
  return [...chunk.exports].sort();
}

const [cdnExports, libExports] = await Promise.all([exportNames(cdnFile), exportNames(libFile)]);
const missing = libExports.filter((n) => !cdnExports.includes(n));
const extra = cdnExports.filter((n) => !libExports.includes(n));
if (missing.length || extra.length) {
  fail(`CDN exports differ from dist/lib/index.js: missing [${missing}] extra [${extra}]`);
} else {
  pass(`CDN bundle has the same ${cdnExports.length} named exports as dist/lib/index.js`);
}

const staticImports = readFileSync(cdnFile, 'utf8').match(
  /\bimport\s*[\w{*$][^;]*?from\s*["'][^"']+["']|\bimport\s*["'][^"']+["']/g,
);
if (staticImports) fail(`CDN bundle is not self-contained; it imports ${staticImports.join(', ')}`);
else pass('CDN bundle has no static import (self-contained until numerics are needed)');

const tags = TAGS.filter((t) => existsSync(join(root, 'src/components', t)));
const cdnDir = join(root, 'dist/cdn');
const types = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.gz': 'application/octet-stream',
  '.html': 'text/html',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};
const page = (base) => `<!doctype html><html><head><meta charset="utf-8"><title>cdn check</title>
<script type="module" src="${base}quant-widgets.js"></script></head><body></body></html>`;
/** SPEC §4: the elements work under this policy with no violation. */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self'";
/** Attributes that make an element produce a result on its own (the arena waits for Run otherwise). */
const ATTRIBUTES = {
  'quant-arena': { autorun: '', size: '16', iterations: '1', devices: 'wasm', paths: 'float32 i8-simd' },
  'quant-inference': { bits: '4', granularity: 'channel' },
};

/**
 * Serves the page and (unless `assets` is another server's base URL) the CDN folder. `cors`: the
 * folder is a CDN on another origin (CORS and CORP headers, as CDNs that mirror npm send them).
 */
function serve({ isolated, csp = false, base = '/', cors = false }) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const headers = {
      ...(isolated
        ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
        : {}),
      ...(cors ? { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } : {}),
    };
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (path === '/' || path === '/index.html') {
      const policy = csp ? { 'Content-Security-Policy': CSP } : {};
      res.writeHead(200, { ...headers, ...policy, 'Content-Type': 'text/html' }).end(page(base));
      return;
    }
    const file = normalize(join(cdnDir, path));
    if (!file.startsWith(cdnDir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--enable-unsafe-webgpu'],
});
try {
  const cdn = await serve({ isolated: false, cors: true });
  const cdnBase = `http://localhost:${cdn.address().port}/`; // another origin than 127.0.0.1
  const scenarios = [
    { label: 'without COOP/COEP', isolated: false },
    { label: 'with COOP/COEP', isolated: true },
    { label: 'with COOP/COEP and the CSP of SPEC §4', isolated: true, csp: true },
    { label: 'served from a CDN on another origin', isolated: false, base: cdnBase },
    { label: 'served from a CDN on another origin, with COOP/COEP', isolated: true, base: cdnBase },
  ];
  for (const { label, isolated, csp, base = '/' } of scenarios) {
    const server = await serve({ isolated, csp, base });
    const { port } = server.address();
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.addInitScript(() => {
      globalThis.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        globalThis.__violations.push(
          `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
        ),
      );
    });
    const problems = [];
    tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    tab.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    tab.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    tab.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await tab.goto(`http://127.0.0.1:${port}/`);
    const report = await tab.evaluate(
      async ({ tags, base, attributes }) => {
        const mod = await import(`${base}quant-widgets.js`);
        const out = { isolated: globalThis.crossOriginIsolated, undefinedTags: [], errors: [], core: null };
        for (const tag of tags) if (!customElements.get(tag)) out.undefinedTags.push(tag);
        if (typeof mod.quantizeArray === 'function') {
          const data = Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.7) * (i % 7));
          const configs = [
            {},
            { scheme: 'symmetric', granularity: 'channel' },
            { calibration: 'percentile' },
          ];
          out.core = [];
          for (const config of configs) {
            try {
              const r = await mod.quantizeArray(data, [8, 8], config);
              out.core.push({ config, codes: r.codes.length, mse: r.stats.mse });
            } catch (e) {
              out.errors.push(`quantizeArray(${JSON.stringify(config)}): ${e?.message ?? e}`);
            }
          }
        }
        // Each element alone: it must render and not report an error within a few seconds.
        for (const tag of tags) {
          if (!customElements.get(tag)) continue;
          const el = document.createElement(tag);
          el.setAttribute('loading', 'eager');
          for (const [name, value] of Object.entries(attributes[tag] ?? {})) el.setAttribute(name, value);
          const settled = new Promise((resolve) => {
            el.addEventListener('quant-result', () => resolve('result'), { once: true });
            el.addEventListener('quant-error', (e) => resolve(`error ${JSON.stringify(e.detail)}`), {
              once: true,
            });
            setTimeout(() => resolve('no result within 30s'), 30000);
          });
          document.body.append(el);
          const outcome = await settled;
          if (!el.shadowRoot) out.errors.push(`<${tag}> has no shadow root`);
          if (outcome !== 'result') out.errors.push(`<${tag}> ${outcome}`);
          out[tag] = outcome;
          // QAT runs in its own worker (bundled beside the module): it must start from here too.
          if (tag === 'quant-inference' && outcome === 'result') {
            el.setAttribute('qat-steps', '3');
            const qat = await Promise.race([
              el.trainQat().then(
                (r) => (r.qat?.steps === 3 ? 'qat' : `qat result without qat: ${JSON.stringify(r.qat)}`),
                (e) => `qat failed: ${e?.message ?? e}`,
              ),
              new Promise((resolve) => setTimeout(() => resolve('no QAT result within 60s'), 60000)),
            ]);
            if (qat !== 'qat') out.errors.push(`<${tag}> ${qat}`);
            out[tag] = `${outcome}, ${qat}`;
          }
          el.remove();
        }
        // the trained models sit beside the bundle, for the elements that fetch them
        const manifest = await fetch(`${base}models/digits.json`).then((r) => (r.ok ? r.json() : null));
        if (!manifest?.weights) out.errors.push('models/digits.json is not served beside the bundle');
        else {
          const weights = await fetch(`${base}models/${manifest.weights.file}`);
          const bytes = weights.ok ? (await weights.arrayBuffer()).byteLength : -1;
          // shipped gzipped: the file is the encoded size (the loader inflates it)
          const expected = manifest.weights.encodedBytes ?? manifest.weights.bytes;
          if (bytes !== expected)
            out.errors.push(`models/${manifest.weights.file}: ${bytes} bytes, expected ${expected}`);
        }
        out.errors.push(...globalThis.__violations.map((v) => `CSP violation: ${v}`));
        return out;
      },
      { tags, base, attributes: ATTRIBUTES },
    );
    const before = failures;
    if (report.isolated !== isolated) fail(`${label}: crossOriginIsolated is ${report.isolated}`);
    for (const t of report.undefinedTags) {
      fail(`${label}: <${t}> is not defined by the bundle (is it imported by src/index.ts?)`);
    }
    for (const e of [...report.errors, ...problems]) fail(`${label}: ${e}`);
    if (failures === before) {
      const core = report.core ? `quantizeArray ok ×${report.core.length}` : 'no quantizeArray export';
      const els = tags.map((t) => `<${t}> ${report[t]}`).join(', ');
      pass(`${label}: loaded; ${core}; ${els || 'no element folders yet'}`);
    }
    await context.close();
    server.close();
  }
  cdn.close();
} finally {
  await browser.close();
}

if (failures) {
  console.error(`check-cdn: ${failures} problem(s)`);
  process.exit(1);
}
console.log('check-cdn: ok');
