// examples/esbuild: a production esbuild build of a page with <quant-inference>, from the npm
// package (`quant-widgets` as installed; in this repository, dist/lib: `npm run build` first).
//
//   node examples/esbuild/build.mjs [outdir]   (default examples/esbuild/dist)
//
// esbuild bundles the page but leaves `new URL('./…', import.meta.url)` alone, so what the kit
// fetches relative to the bundle must be put beside it: its two workers, built as entries at
// workers/*.worker.js, and the model files, copied to models/. Chunks stay beside the bundle too
// (no chunkNames folder): the kit's URLs are relative to the file that holds them.
// test/node/bundler-examples.test.ts builds it and renders it in Chromium.
import { copyFileSync, cpSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

export async function buildExample(outdir = join(here, 'dist')) {
  const lib = join(dirname(fileURLToPath(import.meta.resolve('quant-widgets/package.json'))), 'dist/lib');
  const result = await esbuild.build({
    absWorkingDir: here,
    entryPoints: {
      main: join(here, 'main.js'),
      'workers/qat.worker': join(lib, 'workers/qat.worker.js'),
      'workers/arena.worker': join(lib, 'workers/arena.worker.js'),
    },
    outdir,
    bundle: true,
    // ES modules, and jax-js shared by the page and the workers instead of a copy each.
    format: 'esm',
    splitting: true,
    minify: true,
    target: 'es2022',
    logLevel: 'warning',
    metafile: true,
  });
  cpSync(join(lib, 'models'), join(outdir, 'models'), { recursive: true });
  copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const outdir = resolve(process.argv[2] ?? join(here, 'dist'));
  await buildExample(outdir);
  console.log(`built ${outdir}: serve it, e.g. \`npx vite preview --outDir ${outdir}\``);
}
