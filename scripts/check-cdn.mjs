// Smoke test of the built CDN bundle (run after `npm run build`; used by .ci/run).
//
// 1. dist/cdn/quant-widgets.js is the autoloader of SPEC §1 (rev. 3): its named exports are the
//    core API's (dist/lib/core/index.js) plus discover, allDefined and define; each element's file
//    beside it has its class as default export; the byte budgets of scripts/cdn-budget.mjs hold.
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
import { BUDGETS, measure } from './cdn-budget.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cdnFile = join(root, 'dist/cdn/quant-widgets.js');
const libFile = join(root, 'dist/lib/core/index.js');
const executablePath = ensureBrowser();
const TAGS = [
  'quant-simulator',
  'quant-histogram',
  'quant-heatmap',
  'quant-arena',
  'quant-inference',
  'quant-outliers',
];

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

const LOADER_EXPORTS = ['allDefined', 'define', 'discover'];
const [cdnExports, libExports] = await Promise.all([exportNames(cdnFile), exportNames(libFile)]);
const wanted = [...libExports, ...LOADER_EXPORTS];
const missing = wanted.filter((n) => !cdnExports.includes(n));
const extra = cdnExports.filter((n) => !wanted.includes(n));
if (missing.length || extra.length) {
  fail(
    `CDN entry exports differ from the core API + ${LOADER_EXPORTS}: missing [${missing}] extra [${extra}]`,
  );
} else {
  pass(`CDN entry exports the ${libExports.length} names of the core API and ${LOADER_EXPORTS.join(', ')}`);
}

for (const row of measure(join(root, 'dist/cdn'))) {
  const budget = BUDGETS[row.what];
  const line = `${row.what}: ${(row.bytes / 1024).toFixed(1)} KB gzip in ${row.files.size} files (budget ${budget / 1024} KB)`;
  if (row.bytes > budget || row.missing) fail(`${line}${row.missing ? `: ${row.missing}` : ''}`);
  else pass(line);
}

const tags = TAGS.filter((t) => existsSync(join(root, 'src/components', t)));
// Served: dist/ (the CDN folder finds the models in dist/lib/models, shipped once).
const cdnDir = join(root, 'dist');
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
  'quant-outliers': { tokens: '64', channels: '64' },
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
  const cdnBase = `http://localhost:${cdn.address().port}/cdn/`; // another origin than 127.0.0.1
  const scenarios = [
    { label: 'without COOP/COEP', isolated: false },
    { label: 'with COOP/COEP', isolated: true },
    { label: 'with COOP/COEP and the CSP of SPEC §4', isolated: true, csp: true },
    { label: 'served from a CDN on another origin', isolated: false, base: cdnBase },
    { label: 'served from a CDN on another origin, with COOP/COEP', isolated: true, base: cdnBase },
  ];
  for (const { label, isolated, csp, base = '/cdn/' } of scenarios) {
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
        if (customElements.get(tags[0])) out.errors.push('an element was defined before any was asked for');
        await mod.define();
        for (const tag of tags) {
          if (!customElements.get(tag)) out.undefinedTags.push(tag);
          else if ((await import(`${base}${tag}.js`)).default !== customElements.get(tag))
            out.errors.push(`${tag}.js: its default export is not the class defined as <${tag}>`);
        }
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
        const manifest = await fetch(`${base}../lib/models/digits.json`).then((r) =>
          r.ok ? r.json() : null,
        );
        if (!manifest?.weights) out.errors.push('lib/models/digits.json is not served beside the CDN folder');
        else {
          const weights = await fetch(`${base}../lib/models/${manifest.weights.file}`);
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
      fail(`${label}: <${t}> is not defined by define() (is it in src/cdn/elements.ts?)`);
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
  await checkAutoloader();
  cdn.close();
} finally {
  await browser.close();
}

/**
 * The autoloader on a page with widgets in its markup: only what is near loads; a far widget keeps
 * its reserved room until it nears, then loads and computes; discover(shadowRoot) finds tags there.
 */
async function checkAutoloader() {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>autoloader</title>
<style>.spacer{height:6000px}</style><script type="module" src="/cdn/quant-widgets.js"></script></head>
<body><quant-simulator></quant-simulator><div class="spacer"></div><quant-heatmap></quant-heatmap>
<div class="spacer"></div><div id="host"></div></body></html>`;
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/') return res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
    const file = normalize(join(cdnDir, path));
    if (!file.startsWith(cdnDir) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const tab = await context.newPage();
  const requested = [];
  const problems = [];
  tab.on('request', (r) => requested.push(new URL(r.url()).pathname.slice(1)));
  tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const before = failures;
  try {
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const el = document.querySelector('quant-simulator');
          el.addEventListener('quant-result', resolve, { once: true });
          setTimeout(() => reject(new Error('the near simulator gave no result within 30 s')), 30000);
        }),
    );
    await tab.waitForTimeout(500);
    const far = await tab.evaluate(() => {
      const el = document.querySelector('quant-heatmap');
      return { defined: !!customElements.get('quant-heatmap'), minHeight: getComputedStyle(el).minHeight };
    });
    if (!requested.includes('cdn/quant-simulator.js')) fail('autoloader: the near simulator was not loaded');
    if (requested.includes('cdn/quant-heatmap.js') || far.defined)
      fail('autoloader: the far heatmap loaded before it came near');
    if (far.minHeight === '0px') fail('autoloader: no room reserved for the undefined heatmap');
    // The heatmap's file fails to arrive the first time it nears: back near later, it loads.
    let refused = 0;
    await tab.route('**/cdn/quant-heatmap.js*', (r) => (refused++ === 0 ? r.abort() : r.continue()));
    await tab.evaluate(() => document.querySelector('quant-heatmap').scrollIntoView());
    await tab.waitForTimeout(1000);
    if (refused !== 1 || (await tab.evaluate(() => !!customElements.get('quant-heatmap'))))
      fail(`autoloader: the refused heatmap file (${refused} requests) should leave it undefined`);
    await tab.evaluate(() => scrollTo(0, 0));
    await tab.waitForTimeout(300);
    await tab.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const el = document.querySelector('quant-heatmap');
          el.addEventListener('quant-result', resolve, { once: true });
          el.scrollIntoView();
          setTimeout(() => reject(new Error('the heatmap gave no result within 30 s of nearing')), 30000);
        }),
    );
    const shadow = await tab.evaluate(async () => {
      const mod = await import('/cdn/quant-widgets.js');
      const root = document.getElementById('host').attachShadow({ mode: 'open' });
      root.innerHTML = '<quant-arena></quant-arena>';
      mod.discover(root);
      root.host.scrollIntoView();
      await Promise.race([mod.allDefined(), new Promise((r) => setTimeout(r, 15000))]);
      return !!customElements.get('quant-arena');
    });
    if (!shadow) fail('autoloader: discover(shadowRoot) did not load the arena inside it');
    // The reserved room is each element's real height (within 25%) at this width (1280 px).
    const heights = await tab.evaluate(async (attrs) => {
      const sheet = document.adoptedStyleSheets.find((s) =>
        s.cssRules[0]?.selectorText?.includes(':not(:defined)'),
      );
      const reserved = {};
      for (const r of sheet?.cssRules ?? [])
        if (r.selectorText) reserved[r.selectorText.split(':')[0]] = parseFloat(r.style.minHeight);
      const out = [];
      for (const tag of Object.keys(reserved)) {
        const el = document.createElement(tag);
        el.setAttribute('loading', 'eager');
        for (const [k, v] of Object.entries(attrs[tag] ?? {})) el.setAttribute(k, v);
        // (the arena computes nothing until Run: its frame is what shows)
        const done = new Promise((r) => {
          el.addEventListener('quant-result', r, { once: true });
          setTimeout(r, tag === 'quant-arena' ? 1500 : 20000);
        });
        document.body.prepend(el);
        await done;
        await new Promise((r) => setTimeout(r, 200));
        out.push({ tag, reserved: reserved[tag], rendered: el.getBoundingClientRect().height });
        el.remove();
      }
      return out;
    }, {});
    if (heights.length < tags.length)
      fail(`autoloader: reserved heights for ${heights.length} of ${tags.length} elements`);
    for (const h of heights)
      if (Math.abs(h.rendered - h.reserved) > 0.25 * h.rendered)
        fail(
          `autoloader: <${h.tag}> reserves ${h.reserved}px but renders ${Math.round(h.rendered)}px (src/cdn/elements.ts)`,
        );
    for (const p of problems) fail(`autoloader: ${p}`);
  } catch (e) {
    fail(`autoloader: ${e.message}`);
  } finally {
    await context.close();
    server.close();
  }
  if (failures === before)
    pass(
      'autoloader: near loads, far waits in its reserved room until near, a refused file loads when next near, discover(shadowRoot) works',
    );
}

if (failures) {
  console.error(`check-cdn: ${failures} problem(s)`);
  process.exit(1);
}
console.log('check-cdn: ok');
