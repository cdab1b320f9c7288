import { numpy as np } from '@jax-js/jax';
import { blocksFor, resolveConfig, type QuantConfig } from './config.js';
import { QuantError } from './errors.js';
import { resolveDevice } from './runtime.js';
import type { DeviceChoice } from './config.js';

/** scale · (codes − zeroPoint) per block, on jax-js; inverse of the quantizer's layout. */
export async function dequantize(
  codes: Int32Array,
  scale: Float32Array,
  zeroPoint: Int32Array,
  shape: readonly number[],
  partial: Partial<QuantConfig> = {},
  options: { device?: DeviceChoice } = {},
): Promise<Float32Array> {
  const { groups, length } = blocksFor(shape, resolveConfig(partial));
  if (codes.length !== groups * length || scale.length !== groups || zeroPoint.length !== groups) {
    throw new QuantError(
      'invalid-data',
      `expected ${groups * length} codes and ${groups} scales and zero-points, got ${codes.length}, ${scale.length}, ${zeroPoint.length}`,
    );
  }
  const device = await resolveDevice(options.device);
  const q = np.array(codes, { shape: [groups, length], device }).astype(np.float32);
  const z = np.array(zeroPoint, { shape: [groups, 1], device }).astype(np.float32);
  const s = np.array(scale, { shape: [groups, 1], device });
  return (await q.sub(z).mul(s).data()) as Float32Array;
}
