/** Inputs the core must reject with a QuantError (SPEC §3, last point), never NaN. */
import type { QuantErrorCode } from '../../src/core/errors.js';

export interface BadInput {
  name: string;
  data: unknown;
  shape: unknown;
  config: Record<string, unknown>;
  code: QuantErrorCode;
}

export function badInputs(): BadInput[] {
  const four = Float32Array.of(1, 2, 3, 4);
  return [
    { name: 'empty data', data: new Float32Array(0), shape: [0], config: {}, code: 'invalid-data' },
    { name: 'empty data with a valid shape', data: [], shape: [4], config: {}, code: 'invalid-data' },
    { name: 'length ≠ product of shape', data: four, shape: [2, 3], config: {}, code: 'invalid-data' },
    {
      name: 'NaN in data',
      data: Float32Array.of(1, NaN, 3, 4),
      shape: [4],
      config: {},
      code: 'invalid-data',
    },
    { name: 'Infinity in data', data: [1, 2, -Infinity, 4], shape: [4], config: {}, code: 'invalid-data' },
    { name: 'a value beyond float32', data: [1, 2, 1e39, 4], shape: [4], config: {}, code: 'invalid-data' },
    {
      name: 'a range wider than float32 (finite values, infinite scale)',
      data: [3e38, -3e38, 1, 0],
      shape: [4],
      config: {},
      code: 'invalid-data',
    },
    { name: 'null data', data: null, shape: [4], config: {}, code: 'invalid-data' },
    { name: 'a 3-D shape', data: four, shape: [1, 2, 2], config: {}, code: 'invalid-shape' },
    { name: 'a zero dimension', data: four, shape: [4, 0], config: {}, code: 'invalid-shape' },
    { name: 'a fractional dimension', data: four, shape: [2.5, 1.6], config: {}, code: 'invalid-shape' },
    { name: 'a dimension over 4096', data: four, shape: [5000], config: {}, code: 'invalid-shape' },
    { name: 'bits 1', data: four, shape: [4], config: { bits: 1 }, code: 'invalid-config' },
    { name: 'bits 17', data: four, shape: [4], config: { bits: 17 }, code: 'invalid-config' },
    { name: 'bits 4.5', data: four, shape: [4], config: { bits: 4.5 }, code: 'invalid-config' },
    { name: 'bits NaN', data: four, shape: [4], config: { bits: NaN }, code: 'invalid-config' },
    { name: 'unknown scheme', data: four, shape: [4], config: { scheme: 'asym' }, code: 'invalid-config' },
    {
      name: 'unknown granularity',
      data: four,
      shape: [4],
      config: { granularity: 'block' },
      code: 'invalid-config',
    },
    {
      name: 'unknown rounding',
      data: four,
      shape: [4],
      config: { rounding: 'nearest' },
      code: 'invalid-config',
    },
    {
      name: 'unknown calibration',
      data: four,
      shape: [4],
      config: { calibration: 'kl' },
      code: 'invalid-config',
    },
    { name: 'percentile 50', data: four, shape: [4], config: { percentile: 50 }, code: 'invalid-config' },
    {
      name: 'percentile 100.1',
      data: four,
      shape: [4],
      config: { percentile: 100.1 },
      code: 'invalid-config',
    },
    {
      name: 'group size 1',
      data: four,
      shape: [4],
      config: { granularity: 'group', groupSize: 1 },
      code: 'invalid-config',
    },
    {
      name: 'a fractional group size',
      data: four,
      shape: [1, 4],
      config: { granularity: 'group', groupSize: 2.5 },
      code: 'invalid-config',
    },
    { name: 'a fractional seed', data: four, shape: [4], config: { seed: 0.5 }, code: 'invalid-config' },
  ];
}
