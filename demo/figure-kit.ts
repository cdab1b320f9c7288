/**
 * What the article's figure modules share: the registry entry, the memo (a sentence's figures and
 * its claim share one computation) and the config keys that are a QuantConfig.
 */
import { CONFIG_KEYS } from '../src/internal/events.js';
import type { FigureConfig } from './claims-syntax.js';

export interface Figure {
  compute(c: FigureConfig): Promise<number>;
  /** How it is shown unless `data-format` says otherwise (claims-syntax.ts formatFigure). */
  format: string;
  /** Costs seconds: computed only when the reader presses the sentence's Measure button. */
  costly?: boolean;
}

/** The QuantConfig fields a figure's config may set (the rest describe the weights or the view). */
export const QUANT_KEYS: readonly string[] = [...CONFIG_KEYS, 'seed'];

const memo = new Map<string, Promise<unknown>>();
export function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = make();
    memo.set(key, p);
    // A failure is not remembered: the next look computes again.
    p.catch(() => memo.delete(key));
  }
  return p;
}

export function shapeOf(c: FigureConfig): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(String(c.shape));
  if (!m) throw new Error(`a figure's config needs "shape": "ROWSxCOLS" (got ${JSON.stringify(c.shape)})`);
  return [Number(m[1]), Number(m[2])];
}
