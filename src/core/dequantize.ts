import { numpy as np } from '@jax-js/jax';
import { blocksFor } from './blocks.js';
import { resolveConfig, type DeviceChoice, type QuantConfig } from './config.js';
import { QuantError } from './errors.js';
import { fromBlocks, toBlocks } from './quantize.js';
import { resolveDevice } from './runtime.js';

/**
 * scale · (codes − zeroPoint) per block, on jax-js: the inverse of the
 * quantizer's layout (one scale and zero-point per block, row-major; a row's
 * shorter last group included).
 */
export async function dequantize(
  codes: Int32Array,
  scale: Float32Array,
  zeroPoint: Int32Array,
  shape: readonly number[],
  config: Partial<QuantConfig> = {},
  options: { device?: DeviceChoice } = {},
): Promise<Float32Array> {
  const resolved = resolveConfig(config);
  if (resolved.format !== 'int') {
    // scale · (codes − zeroPoint) is the integer grid; other formats' codes are bit patterns.
    throw new QuantError('invalid-config', `format = "${resolved.format}": dequantize takes int codes only`);
  }
  const blocks = blocksFor(shape, resolved);
  const { groups, rows, cols } = blocks;
  const n = rows * cols;
  if (codes.length !== n || scale.length !== groups || zeroPoint.length !== groups) {
    throw new QuantError(
      'invalid-data',
      `expected ${n} codes and ${groups} scales and zero-points, got ${codes.length}, ${scale.length}, ${zeroPoint.length}`,
    );
  }
  const device = await resolveDevice(options.device);
  const q = toBlocks(np.array(codes, { shape: [rows, cols], device }).astype(np.float32), blocks);
  const z = np.array(zeroPoint, { shape: [groups, 1], device }).astype(np.float32);
  const s = np.array(scale, { shape: [groups, 1], device });
  return (await fromBlocks(q.sub(z).mul(s), blocks).data()) as Float32Array;
}
