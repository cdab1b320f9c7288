/**
 * How many bytes a quantized tensor takes, stored packed: the elements at their width, then the
 * per-block parameters (int: a float32 scale and, affine, a zero-point at the code width; other
 * formats: a float32 scale, or MX's E8M0 byte). Pure: the simulator's and the inference element's
 * "memory" figures, and the same count as `stats.bitsPerWeight` (SPEC §3).
 */
import type { QuantConfig } from './config.js';
import { elementBits, scaleBits } from './formats/tables.js';

export function packedBytes(
  n: number,
  blocks: number,
  config: Pick<QuantConfig, 'format' | 'bits' | 'scheme'>,
): number {
  const { format } = config;
  if (format !== 'int')
    return Math.ceil((n * elementBits(format)) / 8) + Math.ceil((blocks * scaleBits(format)) / 8);
  const zeroPoints = config.scheme === 'affine' ? Math.ceil((blocks * config.bits) / 8) : 0;
  return Math.ceil((n * config.bits) / 8) + 4 * blocks + zeroPoints;
}
