/**
 * Everything in the core that needs jax-js, behind one module so the facade
 * (index.ts) can load it lazily: importing the kit never fetches jax-js.
 */
import { numpy as np } from '@jax-js/jax';
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
  // One call: compiling a jit quantizer would cost more than it saves.
  const session = new QuantSession(await resolveDevice(options.device), { jit: false });
  try {
    session.setData(x, shape);
    return await session.quantize(resolved);
  } finally {
    session.dispose();
  }
}

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
