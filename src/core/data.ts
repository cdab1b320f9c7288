import { checkShape } from './blocks.js';
import { QuantError } from './errors.js';
import type { QuantResult } from './result.js';

/**
 * Validates data against its shape and returns a float32 copy the caller owns.
 * Values are checked after the float32 cast, so 1e39 (→ Infinity) is caught too.
 */
export function toFloat32(data: ArrayLike<number>, shape: readonly number[]): Float32Array {
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number') {
    throw new QuantError('invalid-data', 'data must be a Float32Array or an array of numbers');
  }
  if (data.length === 0) throw new QuantError('invalid-data', 'data is empty');
  const n = checkShape(shape);
  if (data.length !== n) {
    throw new QuantError(
      'invalid-data',
      `data has ${data.length} values but shape ${shape.join('×')} needs ${n}`,
    );
  }
  const x = Float32Array.from(data);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) {
      throw new QuantError('invalid-data', `data[${i}] is ${data[i]}: every value must be a finite float32`);
    }
  }
  return x;
}

/**
 * Finite data can still overflow float32 on the way: a range wider than
 * 3.4e38 gives an infinite scale. Reject it rather than return NaN (SPEC §3).
 */
export function checkFinite(result: QuantResult): void {
  const bad = result.scale.findIndex((s) => !Number.isFinite(s));
  if (bad >= 0 || Number.isNaN(result.stats.mse)) {
    throw new QuantError(
      'invalid-data',
      `the data's range overflows float32 (block ${Math.max(bad, 0)}): values must span less than 3.4e38`,
    );
  }
}
