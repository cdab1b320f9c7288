import type { QuantStats } from './stats.js';

/** What a quantization produced (SPEC §3). Scales and zero-points are one per block, row-major. */
export interface QuantResult {
  codes: Int32Array;
  dequantized: Float32Array;
  scale: Float32Array;
  zeroPoint: Int32Array;
  qmin: number;
  qmax: number;
  stats: QuantStats;
  /** 1 where the unclamped code fell outside [qmin, qmax]; only when asked for (`clipMask`). */
  clipped?: Uint8Array;
}
