// @ts-check
import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';
import { chromeLauncher } from '@web/test-runner-chrome';
import { ensureBrowser } from './scripts/browser.mjs';
import { summaryFileReporter } from './scripts/wtr-summary-reporter.mjs';
import { hostileSources } from './scripts/wtr-hostile-src.mjs';
import { tsForJs } from './scripts/wtr-ts-for-js.mjs';
import { cdnCopies } from './scripts/wtr-cdn-copies.mjs';
import { axTreePlugin } from './scripts/wtr-ax-tree.mjs';

const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
const executablePath = ensureBrowser();

/** Serve every response crossOriginIsolated, like the demo/dev server does. */
function crossOriginIsolation(ctx, next) {
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Cross-Origin-Embedder-Policy', 'require-corp');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
  return next();
}

/**
 * Fault injection for tests of transient failures: each `GET /__faults/fail-once?path=P` makes one
 * more of the next requests whose path contains P answer 503 (e.g. the lazily imported engine).
 */
const failures = new Map();
function faults(ctx, next) {
  if (ctx.path === '/__faults/fail-once') {
    const path = String(ctx.query.path);
    failures.set(path, (failures.get(path) ?? 0) + 1);
    ctx.body = 'armed';
    return undefined;
  }
  for (const [path, count] of failures) {
    if (ctx.path.includes(path)) {
      if (count > 1) failures.set(path, count - 1);
      else failures.delete(path);
      ctx.status = 503;
      ctx.body = 'Service Unavailable (injected by a test)';
      return undefined;
    }
  }
  return next();
}

/**
 * Slow responses for lifecycle tests: `?qw-delay=MS` on any URL holds the answer that long
 * (a `src` that is still in flight when its element is removed).
 */
async function delays(ctx, next) {
  const ms = Number(ctx.query['qw-delay']);
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 30000)));
  return next();
}

/**
 * `/__stall/headers`: answers 200 with headers and one byte, then never more (a stalled `src`);
 * `/__stall/stream`: streams JSON without a Content-Length, 1 MB a chunk, 64 MB (twice the kit's
 * byte limit), then stalls. Both stop when the client goes away. With `?id=ID`, what a response
 * has sent is kept: `/__stall/sent?id=ID` answers `{ sent, closed }` (bytes handed to the socket,
 * whether the client has gone), once the client has gone or 3 s after the call.
 */
const streamed = new Map();
async function stalls(ctx, next) {
  if (ctx.path === '/__stall/sent') {
    const record = streamed.get(String(ctx.query.id));
    for (let i = 0; record && !record.closed && i < 60; i++) await new Promise((r) => setTimeout(r, 50));
    ctx.body = record ?? null;
    return undefined;
  }
  const m = /^\/__stall\/(headers|stream)$/.exec(ctx.path);
  if (!m) return next();
  const chunk = Buffer.alloc(1 << 20, 0x30); // "000…": a number that never ends
  const record = { sent: 0, closed: false };
  if (ctx.query.id) streamed.set(String(ctx.query.id), record);
  const push = (body, bytes) => {
    if (record.closed) return;
    record.sent += bytes.length;
    body.push(bytes);
  };
  let reads = 0;
  const body = new Readable({
    read() {
      const n = reads++;
      if (n === 0) push(this, '[');
      if (m[1] === 'headers' || n >= 64) return; // nothing more, ever
      setTimeout(() => push(this, chunk), 5);
    },
  });
  ctx.res.on('close', () => {
    record.closed = true;
    body.destroy();
  });
  ctx.type = 'application/json';
  ctx.body = body;
  return undefined;
}

/**
 * `/__encoded/models/<file>`: src/models as a host that sends `.gz` files with
 * `Content-Encoding: gzip` (Apache's AddEncoding, some CDNs): the browser inflates them before the
 * loader sees them (test/models-gzip.test.ts).
 */
function encodedModels(ctx, next) {
  const m = /^\/__encoded\/models\/([\w.-]+)$/.exec(ctx.path);
  if (!m) return next();
  const file = new URL(`./src/models/${m[1]}`, import.meta.url);
  if (!existsSync(file)) return next();
  if (m[1].endsWith('.gz')) {
    ctx.set('Content-Encoding', 'gzip');
    ctx.type = 'application/octet-stream';
  } else {
    ctx.type = 'application/json';
  }
  ctx.body = readFileSync(file);
  return undefined;
}

/**
 * `executeServerCommand('media-features', [{ name, value }])`: any media feature, e.g.
 * `forced-colors` (the stock emulateMedia passes only colour scheme and motion to Chrome).
 */
function mediaFeatures() {
  // Puppeteer checks feature names against an old list; CDP takes any. One session per page:
  // the emulation lasts as long as its session.
  const sessions = new WeakMap();
  return {
    name: 'qw-media-features',
    async executeCommand({ command, payload, session }) {
      if (command !== 'media-features') return undefined;
      const page = session.browser.getPage(session.id);
      if (!sessions.has(page)) sessions.set(page, await page.createCDPSession());
      await sessions.get(page).send('Emulation.setEmulatedMedia', { features: payload });
      return true;
    },
  };
}

/** Content-Security-Policies of the CSP pages (test/reliability/csp.test.ts). */
const policies = {
  strict:
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self'",
  'no-blob': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'",
  'no-wasm': "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self'",
  // The kit's own workers (test/reliability/workers.test.ts): blob: workers only.
  'no-self': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src blob:; style-src 'self'",
};

/**
 * `/__csp/NAME?tags=a,b`: a page served with the policy NAME that loads the kit
 * (test/reliability/csp-page.ts) and holds one eager element of each tag.
 */
function cspPages(ctx, next) {
  const m = /^\/__csp\/([\w-]+)$/.exec(ctx.path);
  if (!m) return next();
  const policy = policies[m[1]];
  if (!policy) return next();
  const tags = String(ctx.query.tags ?? 'quant-simulator')
    .split(',')
    .filter((t) => /^quant-[a-z]+$/.test(t));
  ctx.set('Content-Security-Policy', policy);
  ctx.type = 'html';
  ctx.body = `<!doctype html><html><head><script type="module" src="/test/reliability/csp-page.ts"></script></head><body>${tags
    .map((t) => `<${t} loading="eager"></${t}>`)
    .join('')}</body></html>`;
  return undefined;
}

/**
 * `/__copy/NAME/PATH` serves PATH: every module has a second URL, so importing the kit through it
 * evaluates all of its modules again (two copies of the kit on one page, test/reliability/two-bundles.test.ts).
 */
function copies(ctx, next) {
  const m = /^\/__copy\/[\w-]+(\/.+)$/.exec(ctx.path);
  if (m) ctx.path = m[1];
  return next();
}

/** Debian's Chromium, headless, with the flags of the kit's test machines. */
function chrome() {
  return chromeLauncher({
    launchOptions: {
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        // No real GPU here: WebGL runs on SwiftShader via ANGLE either way, and WebGPU gets a
        // SwiftShader (Vulkan) adapter only with --enable-unsafe-webgpu (navigator.gpu exists
        // without it, but requestAdapter() returns null).
        '--disable-gpu',
        '--enable-unsafe-webgpu',
        // Memory tests: window.gc() and unrounded performance.memory figures.
        '--js-flags=--expose-gc',
        '--enable-precise-memory-info',
      ],
    },
  });
}

/**
 * Tests that need a browser that has never loaded the engine (a page of the same browser takes
 * modules an earlier test file loaded from Chromium's cache, so an injected 503 never happens).
 */
const freshBrowserFiles = ['test/runtime-retry.test.ts'];

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/**/*.test.ts', '!test/node/**', ...freshBrowserFiles.map((f) => `!${f}`)],
  nodeResolve: true,
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  // a11ySnapshot: names and roles from Chromium's accessibility tree (not a default command);
  // ax-tree: the whole tree under elements, in any frame (scripts/wtr-ax-tree.mjs).
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig }),
    a11ySnapshotPlugin(),
    axTreePlugin(),
    mediaFeatures(),
  ],
  // tsForJs: the workers' `.js` URLs (src/worker-sources.ts) served from their `.ts` sources;
  // hostileSources: `/__src/<case>`, the bad `src` answers of test/reliability/bad-src.test.ts;
  // cdnCopies: `/__cdn/…`, the CDN bundle built on first use (test/reliability/two-bundles.test.ts).
  middleware: [
    crossOriginIsolation,
    copies,
    tsForJs(fileURLToPath(new URL('.', import.meta.url))),
    cdnCopies,
    faults,
    delays,
    cspPages,
    stalls,
    hostileSources,
    encodedModels,
  ],
  browsers: [chrome()],
  groups: [{ name: 'fresh-browser', files: freshBrowserFiles, browsers: [chrome()] }],
  reporters: [defaultReporter(), summaryFileReporter()],
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  // npm run bench: every bench file in one run; the arena's and QAT's take longer than a test file.
  testsFinishTimeout: process.env.QW_BENCH === '1' ? 1800000 : 300000,
  testFramework: { config: { timeout: 20000 } },
  // Lit's development build (chosen by nodeResolve's "development" condition) keeps its useful
  // warnings; only its once-per-page "dev mode" banner is silenced.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <head>
    <script>
      globalThis.litIssuedWarnings = new Set(['dev-mode']);
      // npm run test:soak: the reliability suite's loops at full counts (test/helpers/soak.ts).
      globalThis.QW_SOAK = ${process.env.QW_SOAK === '1'};
    </script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
