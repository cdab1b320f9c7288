import type { QuantConfig } from './config.js';
import { elementBits, scaleBits } from './formats/tables.js';

/** Error metrics of one quantization (SPEC §3). */
export interface QuantStats {
  mse: number;
  mae: number;
  maxAbsError: number;
  sqnrDb: number;
  clippedFraction: number;
  bitsPerWeight: number;
}

/** The sums a backend measures; everything in QuantStats follows from them. */
export interface ErrorSums {
  n: number;
  sumSqError: number;
  sumAbsError: number;
  maxAbsError: number;
  sumSqSignal: number;
  clipped: number;
}

/** Bits per weight: element bits plus each block's scale (and int affine's zero-point), over n. */
export function bitsPerWeight(config: QuantConfig, blocks: number, n: number): number {
  const format = config.format ?? 'int';
  if (format !== 'int') return elementBits(format) + (scaleBits(format) * blocks) / n;
  const overhead = 32 * blocks + (config.scheme === 'affine' ? config.bits * blocks : 0);
  return config.bits + overhead / n;
}

export function finishStats(s: ErrorSums, config: QuantConfig, blocks: number): QuantStats {
  return {
    mse: s.sumSqError / s.n,
    mae: s.sumAbsError / s.n,
    maxAbsError: s.maxAbsError,
    sqnrDb: s.sumSqError === 0 ? Infinity : 10 * Math.log10(s.sumSqSignal / s.sumSqError),
    clippedFraction: s.clipped / s.n,
    bitsPerWeight: bitsPerWeight(config, blocks, s.n),
  };
}
