/**
 * The arena's operands: seeded normal matrices, their integer codes for the SIMD kernels, the
 * memory figures, and the error measure. The codes come from the reference quantizer (plain typed
 * arrays, SPEC §3 semantics), so the SIMD paths need no jax-js.
 */
import { referenceQuantize } from '../reference.js';
import { MAX_SEED } from '../fields.js';
import { generateWeights } from '../weights.js';
import type { ArenaMemory } from './types.js';

/** Standard deviation of the generated operands (the kit's default `std`). */
export const OPERAND_STD = 0.5;

/** A = m×k, B = k×n, both row-major float32. */
export interface Operands {
  shape: [number, number, number];
  a: Float32Array;
  b: Float32Array;
}

/** Seeded normal operands of a shape: A from `seed`, B from `seed + 1` (4294967295 + 1 wraps to 0). */
export async function generateOperands(shape: [number, number, number], seed: number): Promise<Operands> {
  const [m, k, n] = shape;
  const a = await generateWeights('normal', m * k, { std: OPERAND_STD, seed });
  const b = await generateWeights('normal', k * n, {
    std: OPERAND_STD,
    seed: seed === MAX_SEED ? 0 : seed + 1,
  });
  return { shape, a, b };
}

/** A leading block of the operands: the same data reshaped to a smaller problem (budget probes). */
export function probeOperands(ops: Operands, size: number): Operands {
  const [, , n] = ops.shape;
  const shape: [number, number, number] = [size, size, n === 1 ? 1 : size];
  return { shape, a: ops.a.subarray(0, size * size), b: ops.b.subarray(0, size * shape[2]) };
}

/** Integer codes of one operand with the per-tensor scale and zero-point that dequantize them. */
export interface Codes {
  codes: Int32Array;
  scale: number;
  zeroPoint: number;
}

/** Per-tensor quantization of data, SPEC §3 semantics (minmax, round half to even). */
export function quantizeCodes(
  data: Float32Array,
  rows: number,
  cols: number,
  bits: number,
  scheme: 'affine' | 'symmetric',
): Codes {
  const q = referenceQuantize(data, [rows, cols], { bits, scheme, granularity: 'tensor' });
  return { codes: q.codes, scale: q.scale[0], zeroPoint: q.zeroPoint[0] };
}

/** 4-bit codes (0…15, e.g. code − qmin) packed two a byte, low nibble first. */
export function packInt4(codes: ArrayLike<number>): Uint8Array {
  const packed = new Uint8Array(Math.ceil(codes.length / 2));
  for (let i = 0; i < codes.length; i++) packed[i >> 1] |= (codes[i] & 0xf) << ((i & 1) * 4);
  return packed;
}

/**
 * The n×n matrix as float32, as int8 codes and as packed int4 codes, each with its one float32
 * scale: the byte lengths of the arrays actually built from A.
 */
export function memoryOf(a: Float32Array, n: number): ArenaMemory {
  const matrix = a.subarray(0, n * n);
  const scale = new Float32Array(1).byteLength;
  const int8 = Int8Array.from(quantizeCodes(matrix, n, n, 8, 'symmetric').codes);
  const q4 = quantizeCodes(matrix, n, n, 4, 'symmetric');
  const int4 = packInt4(q4.codes.map((c) => c + 7));
  return {
    float32Bytes: Float32Array.from(matrix).byteLength,
    int8Bytes: int8.byteLength + scale,
    int4Bytes: int4.byteLength + scale,
  };
}

/** max |x − y| (NaN anywhere makes it NaN: a broken path is never reported as exact). */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`lengths differ: ${x.length} vs ${y.length}`);
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    if (Number.isNaN(d)) return NaN;
    if (d > max) max = d;
  }
  return max;
}
