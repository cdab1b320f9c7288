/**
 * How a tensor splits into independently scaled blocks (SPEC §3): the whole
 * tensor, a row, or `groupSize` consecutive elements of a row, where a row whose
 * length is not a multiple of `groupSize` ends with a shorter group. Plain
 * numbers only: the reference oracle and the jax-js engine both read it.
 */
import { MAX_DIM, MAX_ELEMENTS, type QuantConfig } from './config.js';
import { QuantError } from './errors.js';

/**
 * `rows` rows of `cols` values, each cut into `perRow` blocks of `length`
 * values; the last block of a row holds `tail` values (`tail = length` when
 * `length` divides `cols`). Blocks are numbered row-major: block `b` of row `r`
 * is `r · perRow + b`, its first value `r · cols + b · length`.
 */
export interface Blocks {
  /** Number of blocks, so of scales and zero-points: rows · perRow. */
  groups: number;
  /** Values in a block (the last block of a row may have fewer, `tail`). */
  length: number;
  rows: number;
  cols: number;
  perRow: number;
  tail: number;
}

/** Checks a shape and returns its element count; throws `invalid-shape`. */
export function checkShape(shape: readonly number[]): number {
  if (!Array.isArray(shape) || shape.length < 1 || shape.length > 2) {
    throw new QuantError('invalid-shape', `shape must have 1 or 2 dimensions, got ${JSON.stringify(shape)}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1 || d > MAX_DIM) {
      throw new QuantError(
        'invalid-shape',
        `each dimension must be an integer from 1 to ${MAX_DIM}, got ${JSON.stringify(shape)}`,
      );
    }
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > MAX_ELEMENTS) {
    throw new QuantError('invalid-shape', `at most ${MAX_ELEMENTS} elements, got ${n}`);
  }
  return n;
}

/** OCP Microscaling: every MX format shares one scale per 32 consecutive values of a row. */
export const MX_BLOCK = 32;

/**
 * The granularity a config's blocks really have: the format overrides it where it fixes its own
 * (SPEC §3.1): MX formats use groups of 32, fp16/bf16 are plain casts (one block).
 */
export function blockGranularity(
  config: Pick<QuantConfig, 'granularity' | 'groupSize'> & Partial<Pick<QuantConfig, 'format'>>,
): Pick<QuantConfig, 'granularity' | 'groupSize'> {
  const format = config.format ?? 'int';
  if (format.startsWith('mx')) return { granularity: 'group', groupSize: MX_BLOCK };
  if (format === 'fp16' || format === 'bf16') return { granularity: 'tensor', groupSize: config.groupSize };
  return { granularity: config.granularity, groupSize: config.groupSize };
}

/**
 * Block layout of a shape for `config.granularity` (checks the shape). A 1-D
 * shape is one row, so `channel` on it is the same as `tensor`; a `groupSize`
 * of at least the row length makes each row one group, the same as `channel`.
 * The format overrides the granularity where it fixes its own blocks (SPEC
 * §3.1): MX formats use groups of 32, fp16/bf16 are plain casts (one scale, 1).
 */
export function blocksFor(
  shape: readonly number[],
  config: Pick<QuantConfig, 'granularity' | 'groupSize'> & Partial<Pick<QuantConfig, 'format'>>,
): Blocks {
  const n = checkShape(shape);
  const cols = shape[shape.length - 1];
  const rows = n / cols;
  const { granularity, groupSize } = blockGranularity(config);
  switch (granularity) {
    case 'tensor':
      return { groups: 1, length: n, rows: 1, cols: n, perRow: 1, tail: n };
    case 'channel':
      return { groups: rows, length: cols, rows, cols, perRow: 1, tail: cols };
    case 'group': {
      const length = Math.min(groupSize, cols);
      const perRow = Math.ceil(cols / length);
      return { groups: rows * perRow, length, rows, cols, perRow, tail: cols - (perRow - 1) * length };
    }
  }
}

/** Whether the last block of each row is shorter than the others. */
export function isRagged(blocks: Blocks): boolean {
  return blocks.tail !== blocks.length;
}

/** Values the zero-padded layout [groups, length] adds at the end of each row. */
export function rowPadding(blocks: Blocks): number {
  return blocks.length - blocks.tail;
}

/** Where block `g` lies in the row-major data: [start, end). */
export function blockSpan(blocks: Blocks, g: number): [number, number] {
  const row = Math.floor(g / blocks.perRow);
  const b = g - row * blocks.perRow;
  const start = row * blocks.cols + b * blocks.length;
  return [start, start + (b === blocks.perRow - 1 ? blocks.tail : blocks.length)];
}
