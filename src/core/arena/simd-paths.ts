/**
 * The WebAssembly SIMD paths (src/wasm/kernels.ts), one runner each, on the pseudo-device
 * `wasm-simd`: the same tiling and loop structure on f32x4 and on int8 (4×8 register tiles for a
 * matmul, row dots for a matvec), so the pair isolates the data type. Operands are packed into the
 * kernel instance's memory once, outside the timed runs, as every path treats its operands as
 * prepared (weights and inputs alike). A run is the kernel plus reading C back as float32: for the
 * int8 kernels that includes the dequantization (zero-point correction and rescale), in wasm.
 */
import {
  instantiateKernels,
  instantiateRelaxed,
  transpose,
  type Kernels,
  type RelaxedKernels,
} from '../../wasm/kernels.js';
import { quantizeCodes, type Operands } from './operands.js';
import { SkipPath, type PreparedPath } from './prepared.js';
import type { ArenaPath } from './types.js';

/** The kernel instances of one arena run (instantiated on first use, null when missing). */
export class SimdKernels {
  #kernels: Promise<Kernels> | null = null;
  #relaxed: Promise<RelaxedKernels | null> | null = null;

  kernels(): Promise<Kernels> {
    this.#kernels ??= instantiateKernels();
    return this.#kernels;
  }

  relaxed(): Promise<RelaxedKernels | null> {
    this.#relaxed ??= instantiateRelaxed();
    return this.#relaxed;
  }
}

/** Symmetric int8 codes (−127…127) of a row-major matrix, with their scale. */
export function int8Codes(
  data: Float32Array,
  rows: number,
  cols: number,
): { codes: Int8Array; scale: number } {
  const q = quantizeCodes(data, rows, cols, 8, 'symmetric');
  return { codes: Int8Array.from(q.codes), scale: q.scale };
}

async function prepareF32Simd(ops: Operands, simd: SimdKernels): Promise<PreparedPath> {
  const [m, k, n] = ops.shape;
  const kernels = await simd.kernels();
  const p = kernels.prepareF32(ops.a, transpose(ops.b, k, n), m, k, n);
  // Every run reads C back into the same array (as the int8 paths do): a run times the kernel and
  // the copy out, not the allocation of a fresh m×n array each time.
  const out = new Float32Array(m * n);
  return {
    run: () => {
      p.run();
      return p.read(out);
    },
    bytes: p.bytes,
    note: p.tiled
      ? 'WebAssembly SIMD f32x4, 4×8 register tiles (f32x4.mul + f32x4.add), A and B packed once before timing'
      : 'WebAssembly SIMD f32x4 row dots, B transposed once before timing',
    dispose: () => kernels.reset(),
  };
}

/** i8-simd: symmetric int8 codes of A and B (zero-points 0), exact int32 accumulation, rescale sa·sb. */
async function prepareI8Simd(ops: Operands, simd: SimdKernels): Promise<PreparedPath> {
  const [m, k, n] = ops.shape;
  const kernels = await simd.kernels();
  const qa = int8Codes(ops.a, m, k);
  const qb = int8Codes(ops.b, k, n);
  const p = kernels.prepareI8(qa.codes, transpose(qb.codes, k, n), m, k, n);
  const read = p.dequantizer(qa.scale * qb.scale);
  const out = new Float32Array(m * n);
  return {
    run: () => {
      p.run();
      return read(out);
    },
    bytes: p.bytes,
    note:
      'symmetric int8 codes per tensor (−127…127, zero-point 0), i32x4.dot_i16x8_s after sign extension ' +
      (p.tiled
        ? '(4×8 register tiles; A packed sign-extended to int16, 2 bytes a code, B int8 extended as loaded)'
        : '(row dots on the int8 codes)') +
      ', exact int32 accumulation, rescaled by sa·sb in wasm',
    dispose: () => kernels.reset(),
  };
}

/** The relaxed kernel's operands: A symmetric int8, Bt affine 7-bit (0…127), and the correction. */
export interface RelaxedOperands {
  a: Int8Array;
  /** B transposed (n×k), codes 0…127. */
  bt: Uint8Array;
  zb: number;
  /** zb·Σ_k qa per row of A (an integer, |·| ≤ 127·127·2048 < 2³¹): precomputed, since A (the weights) does not change between runs. */
  rowCorrections: Int32Array;
  /** sa·sb. */
  scale: number;
}

export function relaxedOperands(ops: Operands): RelaxedOperands {
  const [m, k, n] = ops.shape;
  const qa = int8Codes(ops.a, m, k);
  const qb = quantizeCodes(ops.b, k, n, 7, 'affine');
  const zb = qb.zeroPoint;
  const rowCorrections = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += qa.codes[i * k + j];
    rowCorrections[i] = zb * s;
  }
  const bt = transpose(Uint8Array.from(qb.codes), k, n);
  return { a: qa.codes, bt, zb, rowCorrections, scale: qa.scale * qb.scale };
}

/**
 * (Σ qa·qb − zb·Σ_k qa) · sa·sb for an m×n int32 product: the zero-point correction, then the
 * rescale. The plain-JS statement of what the path computes in wasm (dequant_i32), bit for bit.
 */
export function correctRelaxed(
  c: Int32Array,
  rowCorrections: Int32Array,
  n: number,
  scale: number,
): Float32Array {
  const out = new Float32Array(c.length);
  for (let i = 0; i < rowCorrections.length; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = (c[i * n + j] - rowCorrections[i]) * scale;
  }
  return out;
}

/**
 * i8-relaxed: the relaxed i8×i7 dots (`i16x8.relaxed_dot_i8x16_i7x16_s` in the tiled matmul,
 * `i32x4.relaxed_dot_i8x16_i7x16_add_s` in the row dots) are exact only when one operand is 0…127, so B
 * is quantized affine to 7 bits (codes 0…127 with a zero-point zb); A stays symmetric int8. Then
 * Σ qa·(qb − zb) = Σ qa·qb − zb·Σ_k qa: the kernel gives the first sum, the row sums of A are
 * precomputed (they belong to the weights), and the correction is one multiply-subtract per output.
 */
async function prepareI8Relaxed(ops: Operands, simd: SimdKernels): Promise<PreparedPath> {
  const relaxed = await simd.relaxed();
  if (!relaxed) {
    throw new SkipPath('this runtime has no WebAssembly relaxed SIMD (relaxed_dot_i8x16_i7x16_add_s)');
  }
  const [m, k, n] = ops.shape;
  const r = relaxedOperands(ops);
  const p = relaxed.prepareI8Relaxed(r.a, r.bt, m, k, n);
  const read = p.dequantizer(r.scale, r.rowCorrections);
  const out = new Float32Array(m * n);
  return {
    run: () => {
      p.run();
      return read(out);
    },
    bytes: p.bytes,
    note:
      `relaxed SIMD: A symmetric int8, B affine 7-bit (0…127, zb = ${r.zb}) so the i8×i7 dot is exact` +
      (p.tiled ? ' (4×8 register tiles, 4 codes a lane, both operands int8)' : ' (row dots)') +
      `; C = Σ qa·qb − zb·Σ_k qa (row sums of A precomputed), rescaled by sa·sb in wasm`,
    dispose: () => relaxed.reset(),
  };
}

export function prepareSimdPath(path: ArenaPath, ops: Operands, simd: SimdKernels): Promise<PreparedPath> {
  if (path === 'f32-simd') return prepareF32Simd(ops, simd);
  if (path === 'i8-simd') return prepareI8Simd(ops, simd);
  if (path === 'i8-relaxed') return prepareI8Relaxed(ops, simd);
  throw new RangeError(`${path} is not a SIMD path`);
}
