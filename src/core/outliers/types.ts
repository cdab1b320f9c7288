/**
 * What <quant-outliers>'s core returns (SPEC §2.2): the session's result, one entry per method, and
 * the inspection of one method the tests compare with the reference. Types only.
 */
import type { OutlierMethod, OutlierMethodConfig } from './config.js';
import type { OutputError, StorageBits } from './metrics.js';

export interface OutlierMethodResult extends OutputError, StorageBits {
  method: OutlierMethod;
  /** llm-int8: the share of channels kept in float16. */
  floatShare?: number;
  /**
   * max |x| per channel of the activations the method quantizes (after its transform: the
   * int8 part for llm-int8 — outlier channels 0 —, X / s, X H with its n padded channels).
   */
  xMaxAfter: Float32Array;
  /** max |w| per input channel (row) of the weights it quantizes. */
  wMaxAfter: Float32Array;
}

export interface OutliersStats {
  kurtosisBefore: number | null;
  kurtosisAfterRotation: number | null;
  maxOverMeanBefore: number | null;
  maxOverMeanAfterRotation: number | null;
  /** max |X_j| per channel j of X, and max |W_j| per row j of W, before any method. */
  xMax: Float32Array;
  wMax: Float32Array;
  /** The channels whose max |x| exceeds the threshold (LLM.int8()'s outliers), ascending. */
  outlierChannels: number[];
  /** The rotation's padded width n (a power of two ≥ channels). */
  rotatedChannels: number;
}

export interface OutliersResult {
  config: OutlierMethodConfig;
  /** [tokens, channels, outputs]. */
  shape: [number, number, number];
  device: string;
  methods: OutlierMethodResult[];
  stats: OutliersStats;
}

/** Everything one method computed, read back (for tests and the reference comparison). */
export interface MethodInspection {
  method: OutlierMethod;
  /** Y' [T, O] and float Y. */
  output: Float32Array;
  expected: Float32Array;
  /** The quantized activations [T, C or n] and weights [C or n, O]: codes and scales. */
  xCodes: Float32Array;
  xScale: Float32Array;
  wCodes: Float32Array;
  wScale: Float32Array;
  /** llm-int8: 1 per channel kept in float16, and the float16 operands (zeros elsewhere). */
  outlier?: Float32Array;
  xHalf?: Float32Array;
  wHalf?: Float32Array;
  /** smoothquant: s [C]; smoothquant, rotation: the transformed float operands and their product. */
  s?: Float32Array;
  signs?: Float32Array;
  xTransformed?: Float32Array;
  wTransformed?: Float32Array;
  transformedProduct?: Float32Array;
}
