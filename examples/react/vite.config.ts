// The React example (Vite + React 19): `npx vite examples/react` serves it, `npx vite build
// examples/react` builds it (test/node/react-example.test.ts builds and renders it).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // An app installs quant-widgets from npm; the example builds the package from this repository's
  // sources (what dist/lib is compiled from), so it needs no `npm run build` first.
  resolve: { alias: [{ find: /^quant-widgets\/react$/, replacement: src('react/index.ts') }] },
  // JSX with React 19's automatic runtime (no @vitejs/plugin-react needed to build).
  oxc: { jsx: { runtime: 'automatic' } },
  optimizeDeps: { exclude: ['@jax-js/jax'] },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
});
