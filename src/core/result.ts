import type { QuantConfig } from './config.js';
import type { QuantStats } from './stats.js';

/**
 * What a quantization produced (SPEC §3), with the inputs it was computed from. Scales and
 * zero-points are one per block, row-major. For formats other than `int` (SPEC §3.1), `codes`
 * hold bit patterns (uint16 for fp16/bf16, the byte for fp8 and MXINT8, the 4-bit index for fp4
 * and NF4) and `zeroPoint` is 0.
 */
export interface QuantResult {
  codes: Int32Array;
  dequantized: Float32Array;
  scale: Float32Array;
  zeroPoint: Int32Array;
  /** Code range for `int`; for other formats ∓ the largest finite value (SPEC §3.1). */
  qmin: number;
  qmax: number;
  /** Other formats: the sorted representable values at scale 1 (a block's grid is these · its scale). */
  levels?: Float32Array;
  /** MX formats: each block's E8M0 scale byte, sharedExp + 127. */
  scaleCodes?: Uint8Array;
  stats: QuantStats;
  /** The config it was computed with (defaults filled in). */
  config: QuantConfig;
  /** The shape of the data it was computed from. */
  shape: number[];
  /** Where it was computed: a jax-js device, or `reference` for the plain typed-array oracle. */
  device: string;
  /**
   * 1 where the unclamped code fell outside [qmin, qmax] (other formats: where |x / scale|
   * exceeded the largest finite value); only when asked for (`clipMask`).
   */
  clipped?: Uint8Array;
  /** |x − dequantized| per element in float32; only when asked for (`absError`). */
  absError?: Float32Array;
  /**
   * `int` at 8 bits or fewer, when asked for (`codeBytes`): each code − qmin in a byte, a quarter
   * of the Int32Array `codes` to copy back (the histogram bins the dequantized values from them).
   */
  codeBytes?: Uint8Array;
}

/**
 * `r` with `extra` fields, keeping its properties as they are: a result's lazily read arrays
 * (QuantizeOptions.read) are getters, which a spread would read at once.
 */
export function extendResult<R extends object, E extends object>(r: R, extra: E): R & E {
  return Object.defineProperties(
    Object.defineProperties({}, Object.getOwnPropertyDescriptors(r)),
    Object.getOwnPropertyDescriptors(extra),
  ) as R & E;
}
