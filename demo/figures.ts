/**
 * The article's figures, each computed by the kit at the config its markup gives (demo/article.ts
 * reads the markup): the core API for everything about quantizing generated weights, and a
 * widget's `result` (an element the reader never sees, so no slider moves it) for the trained
 * models, QAT and the arena. Each computation is memoized per config: a sentence's figures and
 * its claim share one quantization.
 */
import { WEIGHT_FIGURES } from './figures-weights.js';
import { WIDGET_FIGURES } from './figures-widgets.js';
import type { Figure } from './figure-kit.js';

export type { Figure } from './figure-kit.js';

/** Every figure the article's markup may name (`data-figure`, and the names in `data-claim`). */
export const FIGURES: Record<string, Figure> = { ...WEIGHT_FIGURES, ...WIDGET_FIGURES };
