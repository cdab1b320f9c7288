import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { readmePage } from './demo/readme-page.js';

/** Headers that make pages crossOriginIsolated (SharedArrayBuffer → multi-threaded jax-js wasm). */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const root = fileURLToPath(new URL('.', import.meta.url));

/** Open a browser tab only where one can open: a desktop session (no `xdg-open` on a headless box). */
const canOpenBrowser =
  !process.env.CI &&
  (process.platform === 'darwin' ||
    process.platform === 'win32' ||
    Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY));

/** The project root has no page of its own: send `/` to the demo (dev server and preview). */
function rootToDemo(): Plugin {
  const redirect: Connect.NextHandleFunction = (req, res, next) => {
    if (req.url !== '/' && req.url !== '/index.html') return next();
    res.statusCode = 302;
    res.setHeader('Location', '/demo/');
    res.end();
  };
  return {
    name: 'quant-root-to-demo',
    configureServer(server) {
      server.middlewares.use(redirect);
      // Vite prints the root URL; the page a newcomer wants is the article.
      server.httpServer?.once('listening', () =>
        setTimeout(() => {
          for (const url of server.resolvedUrls?.local ?? [])
            server.config.logger.info(`  ➜  Article: ${new URL('demo/', url).href}`);
        }),
      );
    },
    configurePreviewServer: (server) => void server.middlewares.use(redirect),
  };
}

/** The README as `/demo/readme.html` (demo/readme-page.ts): served in dev, emitted by the demo build. */
function readmeAsPage(emit: boolean): Plugin {
  const page = () => readmePage(readFileSync(resolve(root, 'README.md'), 'utf8'));
  return {
    name: 'quant-readme-page',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split(/[?#]/)[0] !== '/demo/readme.html') return next();
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(page());
      });
    },
    generateBundle() {
      if (emit) this.emitFile({ type: 'asset', fileName: 'demo/readme.html', source: page() });
    },
  };
}

/**
 * Third-party code of the CDN build in chunks of its own (jax-js's core, Lit, uPlot), so that
 * vendorMapsDropped can keep source maps for our code only (jax-js's alone are 1.2 MB a copy).
 */
const VENDOR_CHUNKS = [
  { name: 'jax-js', test: /node_modules[\\/]@jax-js[\\/]jax[\\/]dist[\\/](index|backend-|rolldown-runtime)/ },
  { name: 'lit', test: /node_modules[\\/](lit|lit-html|lit-element|@lit[\\/]reactive-element)[\\/]/ },
  { name: 'uplot', test: /node_modules[\\/]uplot[\\/]/ },
  // The core's synchronous API, which the entry imports: one file compresses better than eight.
  {
    name: 'core',
    test: /src[\\/]core[\\/](index|config|fields|errors|reference|blocks|source|memo|worker-probe|engine-loader)\.ts$/,
  },
];
const VENDOR_FILE = /^(jax-js|lit|uplot|webgpu-[\w]+|webgl-[\w]+)-[\w-]+\.js$/;

/** Drops the source maps of third-party chunks (and their sourceMappingURL comment), and the sources' text from ours. */
function vendorMapsDropped(): Plugin {
  return {
    name: 'quant-vendor-maps-dropped',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.keys(bundle)) {
        const name = file.split('/').pop()!;
        const path = resolve(options.dir!, file);
        if (!VENDOR_FILE.test(name)) {
          // Our maps keep names and lines (stack traces, breakpoints by file) but not the sources'
          // text: that alone was ~60% of the maps, and the package budget is 2.2 MB (issue 18).
          if (!file.endsWith('.js') || !existsSync(`${path}.map`)) continue;
          const map = JSON.parse(readFileSync(`${path}.map`, 'utf8')) as { sourcesContent?: unknown };
          delete map.sourcesContent;
          writeFileSync(`${path}.map`, JSON.stringify(map));
          continue;
        }
        rmSync(`${path}.map`, { force: true });
        if (existsSync(path))
          writeFileSync(path, readFileSync(path, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n'));
      }
    },
  };
}

/** The kit's workers: entries of the CDN build, so they share its chunks (jax-js once per page). */
const WORKERS = readdirSync(resolve(root, 'src/workers'))
  .filter((f) => f.endsWith('.worker.ts'))
  .map((f) => f.slice(0, -3));

/**
 * CDN build: the sources' literal URLs, which Vite would otherwise follow, point elsewhere. Each
 * `new Worker(new URL('./workers/x.worker.js', import.meta.url), …)` (src/worker-sources.ts; a
 * worker bundle of its own, with its own jax-js, in dev and in the demo build) starts the
 * `x.worker.js` entry beside the chunk (the folder is flat), which imports jax-js from the chunk the
 * page's engine does; each `new URL('./models/f', import.meta.url)` (src/model-files.generated.ts)
 * is dist/lib/models/f, so the package ships the models once.
 */
function cdnUrls(): Plugin {
  const SOURCES = /src[\\/](worker-sources|model-files\.generated)\.ts$/;
  const URL_RE = /new URL\(\s*'\.\/(workers|models)\/([\w.-]+)'\s*,\s*import\.meta\.url\s*\)/g;
  return {
    name: 'quant-cdn-urls',
    enforce: 'pre',
    apply: 'build',
    transform(code, id) {
      if (!SOURCES.test(id)) return null;
      let count = 0;
      const out = code.replace(URL_RE, (_, dir: string, file: string) => {
        if (dir === 'workers' && !WORKERS.includes(file.replace(/\.js$/, '')))
          this.error(`${file} is not an entry of the CDN build (src/workers/*.worker.ts)`);
        count++;
        // Not a literal `new URL('./…', import.meta.url)`: Vite would take that for a file to copy.
        const path = JSON.stringify(dir === 'workers' ? file : `../lib/models/${file}`);
        return `new URL(/* @vite-ignore */ ${path}, import.meta.url)`;
      });
      if (count === 0)
        this.error(`${id}: no new URL('./workers/…' or './models/…', import.meta.url) to point`);
      // Same lines, each changed only within itself: the mappings stay close enough.
      return { code: out, map: null };
    },
  };
}

/** The elements with a file of their own in dist/cdn (src/cdn/<tag>.ts). */
const CDN_ELEMENTS = readdirSync(resolve(root, 'src/cdn'))
  .filter((f) => /^quant-[a-z]+\.ts$/.test(f))
  .map((f) => f.slice(0, -3));

export default defineConfig(({ mode }) => ({
  root,
  // The demo build copies the models and bundles the workers as Vite does for an app.
  plugins: [
    rootToDemo(),
    readmeAsPage(mode === 'demo'),
    ...(mode === 'demo' ? [] : [cdnUrls(), vendorMapsDropped()]),
  ],
  // jax-js creates its wasm workers from blob URLs and loads its webgpu/webgl backends through
  // relative dynamic imports of its own dist chunks. Pre-bundling it works too (checked), but
  // serving it as published keeps that chunk layout and avoids an optimizer re-run + full page
  // reload the first time the lazily imported engine pulls it in.
  optimizeDeps: { exclude: ['@jax-js/jax'] },
  // Workers (`new Worker(new URL(…))`) are their own ES bundles (jax-js inside), emitted beside the
  // module and found relative to it (`base: './'`), so a CDN folder on another origin works.
  worker: { format: 'es' as const },
  base: mode === 'demo' ? '/' : './',
  server: { headers: crossOriginIsolation, open: canOpenBrowser ? '/demo/' : false },
  preview: { headers: crossOriginIsolation, open: canOpenBrowser && mode === 'demo' ? '/demo/' : false },
  build:
    mode === 'demo'
      ? // `vite build --mode demo`: the demo page as a static site in dist/demo (for `npm run preview`).
        {
          outDir: 'dist/demo',
          emptyOutDir: true,
          target: 'es2022',
          rolldownOptions: { input: { demo: resolve(root, 'demo/index.html') } },
        }
      : // `vite build`: the CDN folder dist/cdn — the autoloader entry quant-widgets.js and, beside
        // it, one file per element (its class the default export) and the chunks they share.
        {
          outDir: 'dist/cdn',
          emptyOutDir: true,
          target: 'es2022',
          minify: true,
          sourcemap: true,
          copyPublicDir: false,
          lib: {
            entry: {
              'quant-widgets': resolve(root, 'src/cdn/index.ts'),
              ...Object.fromEntries(CDN_ELEMENTS.map((t) => [t, resolve(root, `src/cdn/${t}.ts`)])),
              ...Object.fromEntries(WORKERS.map((w) => [w, resolve(root, `src/workers/${w}.ts`)])),
            },
            formats: ['es'],
            fileName: (_format, name) => `${name}.js`,
          },
          rolldownOptions: {
            // Entries export exactly their own API: what they share goes to chunks beside them.
            preserveEntrySignatures: 'strict',
            output: {
              // Vite only mangles+compresses ES libraries (no whitespace removal); a CDN file is final.
              minify: true,
              comments: { legal: true, annotation: false, jsdoc: false },
              // One flat folder: code finds models/ and workers relative to its own URL.
              chunkFileNames: '[name]-[hash].js',
              assetFileNames: 'assets/[name]-[hash][extname]',
              codeSplitting: { groups: VENDOR_CHUNKS },
            },
          },
        },
}));
