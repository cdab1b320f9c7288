/**
 * Where an element of a result sits: its row and column, and the scale / zero-point block it
 * belongs to (SPEC §3: a row's last group may be shorter). Pure; views use it with a result's
 * recorded `config` and `shape`, never with live attributes.
 */
import { blockGranularity } from '../core/blocks.js';
import type { QuantConfig } from '../core/config.js';

/** The inputs a block layout depends on (a result records them). */
export interface Layout {
  config: Pick<QuantConfig, 'granularity' | 'groupSize'> & Partial<Pick<QuantConfig, 'format'>>;
  shape: readonly number[];
}

/** `[rows, cols]` of a 1-D or 2-D shape (a 1-D tensor is one row). */
export function rowsCols(shape: readonly number[]): [number, number] {
  return shape.length === 2 ? [shape[0], shape[1]] : [1, shape[0]];
}

/** Index of the scale / zero-point block of element `i` (row-major). */
export function blockOf(i: number, { config, shape }: Layout): number {
  const [, cols] = rowsCols(shape);
  const row = Math.floor(i / cols);
  const { granularity, groupSize } = blockGranularity(config);
  switch (granularity) {
    case 'tensor':
      return 0;
    case 'channel':
      return row;
    case 'group':
      return row * Math.ceil(cols / groupSize) + Math.floor((i % cols) / groupSize);
  }
}

/** The block of every element, for loops over large results (filled a row at a time). */
export function blockIndex(layout: Layout): Int32Array {
  const [rows, cols] = rowsCols(layout.shape);
  const out = new Int32Array(rows * cols);
  // The format's own blocks (MX: 32 per row; fp16/bf16: one) win over the granularity.
  const { granularity, groupSize } = blockGranularity(layout.config);
  if (granularity === 'tensor') return out;
  const perRow = granularity === 'channel' ? 1 : Math.ceil(cols / groupSize);
  for (let row = 0; row < rows; row++) {
    const base = row * cols;
    if (granularity === 'channel') out.fill(row, base, base + cols);
    else
      for (let g = 0; g < perRow; g++)
        out.fill(row * perRow + g, base + g * groupSize, base + Math.min(cols, (g + 1) * groupSize));
  }
  return out;
}
