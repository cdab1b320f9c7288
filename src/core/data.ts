import { checkShape } from './config.js';
import { QuantError } from './errors.js';

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
