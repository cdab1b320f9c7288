// examples/webpack: a production webpack 5 build of a page with <quant-inference>, from the npm
// package (`quant-widgets` as installed; in this repository, dist/lib: `npm run build` first).
//
//   node examples/webpack/build.mjs [outdir]   (default examples/webpack/dist)
//
// The kit needs no loader, plugin or copy step: webpack bundles each `new Worker(new URL('./…',
// import.meta.url))` as a worker and emits each `new URL('./models/…', import.meta.url)` as an
// asset. The config below is what a webpack.config.js would hold.
// test/node/bundler-examples.test.ts builds it and renders it in Chromium.
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const here = fileURLToPath(new URL('.', import.meta.url));

/** @returns {import('webpack').Configuration} */
export const config = (outdir = join(here, 'dist')) => ({
  mode: 'production',
  context: here,
  entry: './main.js',
  output: { path: outdir, filename: 'main.js', clean: true },
  // jax-js alone is past webpack's 244 KB advice.
  performance: { hints: false },
});

/**
 * Builds the example into `outdir`; resolves with webpack's stats. `minimize: false` skips terser
 * (most of the build's time; the test's builds skip it).
 */
export function buildExample(outdir, { minimize = true } = {}) {
  return new Promise((done, fail) =>
    webpack({ ...config(outdir), optimization: { minimize } }, (err, stats) => {
      if (err || stats.hasErrors()) return fail(err ?? new Error(stats.toString('errors-only')));
      copyFileSync(join(here, 'index.html'), join(stats.compilation.outputOptions.path, 'index.html'));
      done(stats);
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const stats = await buildExample(process.argv[2] && resolve(process.argv[2]));
  console.log(stats.toString({ colors: false, modules: false }));
}
