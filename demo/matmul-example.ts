/**
 * The article's worked quantized matmul (the #matmul section): 4×4 activations A and weights W
 * generated from a seed, multiplied by the core's quantizedMatmul, and the four zero-point terms
 * of its int32 accumulator recomputed from the codes it returns, so the page can show each term
 * and that their sum, rescaled, is the core's output. Shared by the interactive block
 * (demo/matmul.ts) and the prose figures (demo/figures.ts).
 */
import { generateWeights, quantizedMatmul, type MatmulResult } from '../src/index.js';

/** The worked example's size: A [N, N] · W [N, N]. */
export const N = 4;

export interface MatmulExample {
  seed: number;
  bits: number;
  result: MatmulResult;
  /** Σ_k qa·qw per output [N, N], row-major. */
  products: Int32Array;
  /** Σ_k qa per row of A (computed at run time: the activations are new every call). */
  rowSums: Int32Array;
  /** Σ_k qw per column of W (known offline, with the weights). */
  colSums: Int32Array;
  /** zw·Σ qa, za·Σ qw, K·za·zw and the accumulator C = the products − both + the constant. */
  termA: Int32Array;
  termW: Int32Array;
  constant: number;
  acc: Int32Array;
  /** sa·sw·C (float32): what the core's output must equal. */
  rescaled: Float32Array;
}

const examples = new Map<string, Promise<MatmulExample>>();

/** The example at `seed` and `bits` (memoized: the block and the prose share one computation). */
export function matmulExample(seed: number, bits: number): Promise<MatmulExample> {
  const key = `${seed}/${bits}`;
  let p = examples.get(key);
  if (!p) {
    p = compute(seed, bits);
    examples.set(key, p);
    p.catch(() => examples.delete(key));
  }
  return p;
}

async function compute(seed: number, bits: number): Promise<MatmulExample> {
  // Two independent draws: activations (std 1) from the seed, weights (std 0.5) from the next one.
  const a = await generateWeights('normal', N * N, { std: 1, seed });
  const w = await generateWeights('normal', N * N, { std: 0.5, seed: (seed + 1) >>> 0 });
  const result = await quantizedMatmul(a, [N, N], w, [N, N], { bits });
  const qa = result.a.codes;
  const qw = result.b.codes;
  const [za, zw] = [result.a.zeroPoint[0], result.b.zeroPoint[0]];
  const scale = Math.fround(result.a.scale[0] * result.b.scale[0]);
  const products = new Int32Array(N * N);
  const rowSums = new Int32Array(N);
  const colSums = new Int32Array(N);
  for (let i = 0; i < N; i++)
    for (let k = 0; k < N; k++) {
      rowSums[i] += qa[i * N + k];
      colSums[i] += qw[k * N + i];
      for (let j = 0; j < N; j++) products[i * N + j] += qa[i * N + k] * qw[k * N + j];
    }
  const termA = new Int32Array(N * N);
  const termW = new Int32Array(N * N);
  const acc = new Int32Array(N * N);
  const rescaled = new Float32Array(N * N);
  const constant = N * za * zw;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      const o = i * N + j;
      termA[o] = zw * rowSums[i];
      termW[o] = za * colSums[j];
      acc[o] = products[o] - termA[o] - termW[o] + constant;
      rescaled[o] = Math.fround(acc[o]) * scale;
    }
  return { seed, bits, result, products, rowSums, colSums, termA, termW, constant, acc, rescaled };
}

/** max |sa·sw·C − the float matmul of the dequantized operands|. */
export function maxDeviation(e: MatmulExample): number {
  let max = 0;
  for (let i = 0; i < e.rescaled.length; i++)
    max = Math.max(max, Math.abs(e.rescaled[i] - e.result.expected[i]));
  return max;
}
