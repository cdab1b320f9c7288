/**
 * The kit's tags and how to load each (the per-element files beside the CDN entry). A new
 * element is one line here (test/node/cdn-entry.test.ts checks every folder of src/components is).
 */
import { retryableImport } from '../core/memo.js';
import { NARROW_BELOW, RESERVED_HEIGHTS } from '../internal/reserve.js';

type Loader = () => Promise<{ default: CustomElementConstructor }>;
// A failed download is retried under a new URL (browsers remember a failed module URL).
const retryable = (first: Loader): Loader =>
  retryableImport(first, (url) => import(/* @vite-ignore */ url) as ReturnType<Loader>);

export const ELEMENTS = {
  'quant-simulator': retryable(() => import('./quant-simulator.js')),
  'quant-histogram': retryable(() => import('./quant-histogram.js')),
  'quant-heatmap': retryable(() => import('./quant-heatmap.js')),
  'quant-arena': retryable(() => import('./quant-arena.js')),
  'quant-inference': retryable(() => import('./quant-inference.js')),
  'quant-outliers': retryable(() => import('./quant-outliers.js')),
} satisfies Record<string, Loader>;

export type Tag = keyof typeof ELEMENTS;

export const TAGS = Object.keys(ELEMENTS) as Tag[];

/**
 * Room each element takes before it is defined (src/internal/reserve.ts: the elements keep the same
 * room until their first result). The loader adopts this as a constructable stylesheet (no inline
 * style: SPEC §4's CSP); the README shows it.
 */
export const UNDEFINED_HEIGHTS: Record<Tag, { narrow: number; wide: number }> = RESERVED_HEIGHTS;

/** The stylesheet of UNDEFINED_HEIGHTS (laid out as prettier lays out CSS: the README quotes it). */
export function undefinedCss(): string {
  const rule = (t: Tag, body: string[], indent = '') =>
    [`${indent}${t}:not(:defined) {`, ...body.map((b) => `${indent}  ${b};`), `${indent}}`].join('\n');
  return [
    ...TAGS.map((t) => rule(t, ['display: block', `min-height: ${UNDEFINED_HEIGHTS[t].wide}px`])),
    `@media (max-width: ${NARROW_BELOW - 1}px) {`,
    ...TAGS.map((t) => rule(t, [`min-height: ${UNDEFINED_HEIGHTS[t].narrow}px`], '  ')),
    '}',
  ].join('\n');
}
