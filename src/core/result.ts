import type { QuantConfig } from './config.js';
import type { QuantStats } from './stats.js';

/**
 * What a quantization produced (SPEC §3), with the inputs it was computed from. Scales and
 * zero-points are one per block, row-major.
 */
export interface QuantResult {
  codes: Int32Array;
  dequantized: Float32Array;
  scale: Float32Array;
  zeroPoint: Int32Array;
  qmin: number;
  qmax: number;
  stats: QuantStats;
  /** The config it was computed with (defaults filled in). */
  config: QuantConfig;
  /** The shape of the data it was computed from. */
  shape: number[];
  /** Where it was computed: a jax-js device, or `reference` for the plain typed-array oracle. */
  device: string;
  /** 1 where the unclamped code fell outside [qmin, qmax]; only when asked for (`clipMask`). */
  clipped?: Uint8Array;
}
