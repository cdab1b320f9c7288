/**
 * The core API (`quant-widgets/core`): no DOM, no Lit, runs in Node. Functions
 * that need jax-js load it on first call, so importing this module is cheap.
 */
import type { Device } from '@jax-js/jax';
import type { DeviceChoice, Distribution, QuantConfig } from './config.js';
import type { MatmulResult } from './matmul.js';
import type { QuantResult } from './result.js';
import type { QuantSession, SessionOptions } from './session.js';
import type { WeightOptions } from './weights.js';

export * from './config.js';
export { QuantError, isQuantError, type QuantErrorCode } from './errors.js';
export {
  referenceQuantize,
  referenceHistogram,
  rawCode,
  roundHalfEven,
  percentileSorted,
  div32,
  MSE_ALPHAS,
  MIN_SCALE,
} from './reference.js';
export type { QuantResult } from './result.js';
export { finishStats, type QuantStats, type ErrorSums } from './stats.js';
export { toFloat32, checkFinite } from './data.js';
export type { MatmulResult } from './matmul.js';
export type { QuantSession, SessionOptions, QuantizeOptions } from './session.js';
export type { WeightOptions } from './weights.js';
export type { Device } from '@jax-js/jax';

let engine: Promise<typeof import('./engine.js')> | null = null;

/** Loads jax-js and the engine once (memoized for the page). */
export function loadEngine(): Promise<typeof import('./engine.js')> {
  engine ??= import('./engine.js');
  return engine;
}

/** Quantizes `data` of `shape` with `config` (SPEC §3). Rejects with QuantError on bad input. */
export async function quantizeArray(
  data: Float32Array | number[],
  shape: number[],
  config: Partial<QuantConfig> = {},
  options: { device?: DeviceChoice } = {},
): Promise<QuantResult> {
  return (await loadEngine()).quantizeArray(data, shape, config, options);
}

/** Integer-path matmul of two quantized operands with zero-point correction. */
export async function quantizedMatmul(
  a: ArrayLike<number>,
  aShape: [number, number],
  b: ArrayLike<number>,
  bShape: [number, number],
  config: Partial<QuantConfig> = {},
  options: { device?: DeviceChoice } = {},
): Promise<MatmulResult> {
  return (await loadEngine()).quantizedMatmul(a, aShape, b, bShape, config, options);
}

/** n seeded weights of a distribution with standard deviation `std`. */
export async function generateWeights(
  distribution: Distribution,
  n: number,
  options: WeightOptions = {},
): Promise<Float32Array> {
  return (await loadEngine()).generateWeights(distribution, n, options);
}

/** A session owning weights on a device; dispose() it when done. */
export async function createSession(
  device: DeviceChoice = 'auto',
  options: SessionOptions = {},
): Promise<QuantSession> {
  return (await loadEngine()).createSession(device, options);
}

/** The jax-js devices this environment has, initialised. */
export async function availableDevices(): Promise<Device[]> {
  return (await loadEngine()).availableDevices();
}

/** scale · (codes − zeroPoint) per block (the layout `config.granularity` gives `shape`). */
export async function dequantize(
  codes: Int32Array,
  scale: Float32Array,
  zeroPoint: Int32Array,
  shape: number[],
  config: Partial<QuantConfig> = {},
  options: { device?: DeviceChoice } = {},
): Promise<Float32Array> {
  return (await loadEngine()).dequantize(codes, scale, zeroPoint, shape, config, options);
}

/** Counts of `values` in `bins` equal-width bins over [lo, hi] (outside values count in the end bins), on jax-js. */
export async function histogramCounts(
  values: Float32Array,
  lo: number,
  hi: number,
  bins: number,
  device: DeviceChoice = 'auto',
): Promise<Int32Array> {
  return (await loadEngine()).histogramCounts(values, lo, hi, bins, device);
}

export { parseWeights, parseNpy, parseJsonWeights, MAX_SOURCE_BYTES, type Weights } from './source.js';
