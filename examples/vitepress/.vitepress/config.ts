// The VitePress example: `npx vitepress dev examples/vitepress` serves it, `npx vitepress build
// examples/vitepress` builds it (SSR; test/node/vitepress-example.test.ts builds and renders it).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';

const src = (path: string) => fileURLToPath(new URL(`../../../src/${path}`, import.meta.url));

export default defineConfig({
  title: 'quant-widgets in VitePress',
  description: 'Three quant-widgets elements on a VitePress page',
  // The kit's tags are custom elements, not Vue components: Vue renders them as they are (in SSR
  // too) and sets their properties, instead of failing to resolve a component.
  vue: {
    template: {
      compilerOptions: {
        isCustomElement: (tag) => tag.startsWith('quant-'),
      },
    },
  },
  vite: {
    // A site installs quant-widgets from npm; the example builds the package from this
    // repository's sources (what dist/lib is compiled from), so it needs no `npm run build` first.
    resolve: {
      alias: [
        {
          find: /^quant-widgets\/(quant-[a-z]+)\.js$/,
          replacement: src('components/$1/$1.ts'),
        },
      ],
    },
    optimizeDeps: { exclude: ['@jax-js/jax'] },
    build: { target: 'es2022' },
  },
});
