/**
 * Everything in the core that needs jax-js, behind one module so the facade
 * (index.ts) can load it lazily: importing the kit never fetches jax-js.
 */
import { numpy as np, type Device } from '@jax-js/jax';
import { blocksFor } from './blocks.js';
import { MlpSession, type MlpLayer } from './inference/mlp.js';
import { resolveConfig, type DeviceChoice, type QuantConfig } from './config.js';
import { toFloat32 } from './data.js';
import type { QuantResult } from './result.js';
import { resolveDevice, wasmRunnable } from './runtime.js';
import { roundHalfEven } from './round.js';
import { QuantSession, type SessionOptions } from './session.js';
import { roundingNoise } from './weights.js';

export { availableDevices, ensureDevice, resolveDevice, wasmBlockedBy } from './runtime.js';

/** Before any kernel: keeps jax-js off wasm on a page where its worker threads cannot start. */
export async function checkWasmRunnable(): Promise<void> {
  await wasmRunnable();
}
export { generateWeights } from './weights.js';
export { quantizedMatmul } from './matmul.js';
export { dequantize } from './dequantize.js';
export { QuantSession } from './session.js';
export { histogramCounts } from './histogram.js';
export { MlpSession, type MlpLayer } from './inference/mlp.js';

/** The one signature of the public `quantizeArray` (index.ts documents it). */
export async function quantizeArray(
  data: ArrayLike<number>,
  shape: readonly number[],
  config: Partial<QuantConfig> = {},
  options: { device?: DeviceChoice } = {},
): Promise<QuantResult> {
  // Validate before touching a device, so bad input rejects fast and cleanly.
  const resolved = resolveConfig(config);
  const x = toFloat32(data, shape);
  blocksFor(shape, resolved);
  const device = await resolveDevice(options.device);
  // One session per device for the page: a config used again runs its compiled quantizer
  // (compiling costs more than one eager run, so only from the second call on).
  let session = shared.get(device);
  if (!session) shared.set(device, (session = new QuantSession(device, { jit: 'reused' })));
  // A call takes its own reference of the data before any await: the next call may replace it.
  pending++;
  session.setData(x, shape);
  try {
    return await session.quantize(resolved);
  } finally {
    if (--pending === 0) shared.forEach((s) => s.clearData());
  }
}
const shared = new Map<Device, QuantSession>();
/** quantizeArray calls in flight: the last one to finish frees the shared sessions' data. */
let pending = 0;

/** Creates a session on a resolved device. */
export async function createSession(
  device: DeviceChoice = 'auto',
  options: SessionOptions = {},
): Promise<QuantSession> {
  return new QuantSession(await resolveDevice(device), options);
}

/** The stochastic-rounding draws of `seed` for n elements (what the reference needs). */
export async function roundingNoiseData(seed: number, n: number): Promise<Float32Array> {
  return (await roundingNoise(seed, n).data()) as Float32Array;
}

/** Exact round-half-even of float32 values on a device (exposed for tests). */
export async function roundHalfEvenData(
  values: Float32Array,
  choice: DeviceChoice = 'auto',
): Promise<Float32Array> {
  const device = await resolveDevice(choice);
  return (await roundHalfEven(np.array(values, { device })).data()) as Float32Array;
}

/** An MLP session (src/core/inference/mlp.ts) on a resolved device, for <quant-inference>. */
export async function createMlpSession(choice: DeviceChoice, layers: MlpLayer[]): Promise<MlpSession> {
  return new MlpSession(await resolveDevice(choice), layers);
}
