import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Headers that make pages crossOriginIsolated (SharedArrayBuffer → multi-threaded jax-js wasm). */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ mode }) => ({
  root,
  // jax-js builds its wasm workers from blob URLs and loads its webgpu/webgl backends via
  // relative dynamic imports; keep it out of the dep optimizer so those chunks stay intact.
  optimizeDeps: { exclude: ['@jax-js/jax'] },
  server: { headers: crossOriginIsolation, open: '/demo/' },
  preview: { headers: crossOriginIsolation, open: mode === 'demo' ? '/demo/' : false },
  build:
    mode === 'demo'
      ? // `vite build --mode demo`: the demo page as a static site in dist/demo (for `npm run preview`).
        {
          outDir: 'dist/demo',
          emptyOutDir: true,
          target: 'es2022',
          rolldownOptions: { input: { demo: resolve(root, 'demo/index.html') } },
        }
      : // `vite build`: the self-contained CDN module in dist/cdn.
        {
          outDir: 'dist/cdn',
          emptyOutDir: true,
          target: 'es2022',
          minify: true,
          sourcemap: true,
          copyPublicDir: false,
          lib: {
            entry: resolve(root, 'src/index.ts'),
            formats: ['es'],
            fileName: () => 'quant-widgets.js',
          },
          rolldownOptions: {
            output: {
              // Vite only mangles+compresses ES libraries (no whitespace removal); a CDN file is final.
              minify: true,
              comments: { legal: true, annotation: false, jsdoc: false },
              chunkFileNames: 'chunks/[name]-[hash].js',
              assetFileNames: 'assets/[name]-[hash][extname]',
            },
          },
        },
}));
