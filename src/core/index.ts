/**
 * The core API (`quant-widgets/core`): no DOM, no Lit, runs in Node. Functions
 * that need jax-js load it on first call, so importing this module is cheap.
 *
 * This is the public surface (SPEC §3 and the README's Core API); internals
 * stay in their own modules, which the elements and tests import directly.
 * Each function here has the engine's own signature (`Engine[...]`), so there
 * is one signature per function, not a hand-copied one.
 */

export {
  DEFAULT_CONFIG,
  SCHEMES,
  GRANULARITIES,
  ROUNDINGS,
  CALIBRATIONS,
  DISTRIBUTIONS,
  DEVICES,
  FORMATS,
  MIN_BITS,
  MAX_BITS,
  MAX_ELEMENTS,
  MAX_DIM,
  codeRange,
  type QuantConfig,
  type Scheme,
  type Granularity,
  type Rounding,
  type Calibration,
  type Distribution,
  type DeviceChoice,
  type Format,
} from './config.js';
export { QuantError, isQuantError, type QuantErrorCode } from './errors.js';
export { referenceQuantize, referenceHistogram } from './reference.js';
export { parseWeights, MAX_SOURCE_BYTES, type Weights } from './source.js';
export type { QuantResult } from './result.js';
export type { QuantStats } from './stats.js';
export type { MatmulResult } from './matmul.js';
export type { QuantSession, SessionOptions, QuantizeOptions } from './session.js';
export type { WeightOptions } from './weights.js';
export type { Device } from '@jax-js/jax';

import { engine, type Engine } from './engine-loader.js';

/**
 * Quantizes `data` (row-major) of `shape` (1-D or 2-D) with `config` (SPEC §3),
 * on `options.device` (default `auto`). Rejects with a QuantError on bad input.
 */
export const quantizeArray: Engine['quantizeArray'] = async (...args) =>
  (await engine()).quantizeArray(...args);

/**
 * Integer-path matmul of A [M, K] and B [K, N], each quantized per tensor:
 * int32 accumulation with zero-point correction, beside the float32 matmul of
 * the dequantized operands and their max difference.
 */
export const quantizedMatmul: Engine['quantizedMatmul'] = async (...args) =>
  (await engine()).quantizedMatmul(...args);

/**
 * scale · (codes − zeroPoint) per block: the layout `config.granularity` (and
 * `groupSize`) gives `shape`, one scale and zero-point per block, row-major.
 */
export const dequantize: Engine['dequantize'] = async (...args) => (await engine()).dequantize(...args);

/** n weights of a distribution with standard deviation `std`, reproducible from `seed`. */
export const generateWeights: Engine['generateWeights'] = async (...args) =>
  (await engine()).generateWeights(...args);

/**
 * A session owning weights on a device (`setData`, then `quantize(config)` as
 * often as the config changes); `dispose()` it when done.
 */
export const createSession: Engine['createSession'] = async (...args) =>
  (await engine()).createSession(...args);

/** The jax-js devices this environment has, initialised. */
export const availableDevices: Engine['availableDevices'] = async (...args) =>
  (await engine()).availableDevices(...args);

/**
 * Counts of `values` in `bins` equal-width bins over [lo, hi] (values outside
 * count in the end bins), on jax-js.
 */
export const histogramCounts: Engine['histogramCounts'] = async (...args) =>
  (await engine()).histogramCounts(...args);
