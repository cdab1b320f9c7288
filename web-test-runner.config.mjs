// @ts-check
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';
import { chromeLauncher } from '@web/test-runner-chrome';
import { ensureBrowser } from './scripts/browser.mjs';
import { summaryFileReporter } from './scripts/wtr-summary-reporter.mjs';
import { hostileSources } from './scripts/wtr-hostile-src.mjs';
import { workerUrlPlugin } from './scripts/wtr-worker-url.mjs';

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
  // a11ySnapshot: names and roles from Chromium's accessibility tree (not a default command).
  plugins: [workerUrlPlugin(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig }), a11ySnapshotPlugin()],
  // hostileSources: `/__src/<case>`, the bad `src` answers of test/reliability/bad-src.test.ts.
  middleware: [crossOriginIsolation, faults, hostileSources],
  browsers: [chrome()],
  groups: [{ name: 'fresh-browser', files: freshBrowserFiles, browsers: [chrome()] }],
  reporters: [defaultReporter(), summaryFileReporter()],
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 300000,
  testFramework: { config: { timeout: 20000 } },
  // Lit's development build (chosen by nodeResolve's "development" condition) keeps its useful
  // warnings; only its once-per-page "dev mode" banner is silenced.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <head>
    <script>
      globalThis.litIssuedWarnings = new Set(['dev-mode']);
    </script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
