/**
 * What the simulator shows, computed from a result and its weights alone (no DOM, Node-tested):
 * memory, the block of an element, and the numbers of the formula for one element.
 */
export { packedBytes } from '../../core/memory.js';
import type { QuantConfig } from '../../core/config.js';
import { div32, rawCode } from '../../core/reference.js';
import { blockOf, rowsCols, type Layout } from '../../internal/layout.js';

export { blockOf, rowsCols } from '../../internal/layout.js';

export const CONTROL_NAMES = ['format', 'bits', 'scheme', 'granularity', 'rounding', 'calibration'] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];

/** How many blocks, in words: "per tensor", "4 rows (per channel)", "8 groups of 32", "12 groups of up to 3". */
export function blocksLabel(blocks: number, { config, shape }: Layout): string {
  if (blocks === 1) return 'per tensor';
  if (config.granularity === 'channel') return `${blocks} rows (per channel)`;
  if (config.granularity === 'group') {
    const cols = rowsCols(shape)[1];
    if (config.groupSize >= cols) return `${blocks} groups of ${cols} (one per row)`;
    const even = cols % config.groupSize === 0;
    return `${blocks} groups of ${even ? '' : 'up to '}${config.groupSize}`;
  }
  return `${blocks} blocks`;
}

export interface FormulaNumbers {
  x: number;
  scale: number;
  zeroPoint: number;
  /** x · fl(1/s), the engine's own division. */
  v: number;
  code: number;
  /** The code before clamping; null for stochastic rounding (its draw stays in the engine). */
  unclamped: number | null;
  clipped: boolean;
  /** A half-even tie (v exactly halfway). */
  tie: boolean;
  dequantized: number;
}

/** The numbers of q = round(x / s) + z for element `i`, in the engine's float32 steps. */
export function formulaFor(
  i: number,
  x: Float32Array,
  r: Layout & {
    config: Layout['config'] & Pick<QuantConfig, 'rounding'>;
    scale: Float32Array;
    zeroPoint: Int32Array;
    codes: Int32Array;
    dequantized: Float32Array;
  },
): FormulaNumbers {
  const b = blockOf(i, r);
  const scale = r.scale[b];
  const zeroPoint = r.zeroPoint[b];
  const v = div32(x[i], scale);
  const code = r.codes[i];
  const { rounding } = r.config;
  const unclamped = rounding === 'stochastic' ? null : rawCode(x[i], { scale, zeroPoint }, rounding, 0);
  return {
    x: x[i],
    scale,
    zeroPoint,
    v,
    code,
    unclamped,
    clipped: unclamped !== null && unclamped !== code,
    tie: rounding === 'half-even' && v - Math.floor(v) === 0.5,
    dequantized: r.dequantized[i],
  };
}
