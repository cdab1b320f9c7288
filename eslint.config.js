// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import globals from 'globals';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.tmp/',
      // VitePress's dev cache and default build folder (`npx vitepress dev|build examples/vitepress`).
      'examples/vitepress/.vitepress/cache/',
      'examples/vitepress/.vitepress/dist/',
      'custom-elements.json',
      'package-lock.json',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // Browser code: sources, browser tests, demo, benchmarks. (For .ts files TypeScript itself checks
  // globals — typescript-eslint turns no-undef off — so these matter for plain JS.)
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.{js,ts}', 'bench/**/*.{js,ts}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Custom elements and Lit templates.
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.{js,ts}'],
    ...litConfigs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.{js,ts}'],
    ...wcConfigs['flat/recommended'],
  },
  // Chai property assertions (`expect(x).to.be.true`, `.to.exist`) are expressions by design.
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  // Tooling and config files run in Node.
  {
    files: ['*.{js,mjs,cjs,ts}', 'scripts/**/*.{js,mjs}', '.ci/**/*.{js,mjs}', 'test/node/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  // The bundler examples (examples/esbuild, examples/webpack): build scripts in Node, pages in the browser.
  {
    files: ['examples/*/build.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['examples/*/main.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Scripts drive Chromium (playwright-core): callbacks passed to page.evaluate() run in the page.
  {
    files: ['scripts/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
