/**
 * The methods of <quant-outliers> as jax-js ops, with no await: each runs eagerly or traced under
 * jit and consumes its array arguments (pass `.ref` to keep one). Every continuous value — the
 * largest codes, α, the threshold — is an array operand, never a constant compiled into a kernel
 * (jax-js keeps one module per distinct constant for the page's life; issue 21), so a slider
 * compiles nothing after its first move.
 *
 * Quantization is symmetric (SPEC §3, the narrow range): per block `scale = max|x| / qmax` (1 where
 * the block is 0, at least 2^−126), `code = clamp(round_half_even(x / scale), −qmax, qmax)`, every
 * division as a · fl(1/b) (reference.ts div32), written out: jax-js's wasm backend divides so, its
 * cpu backend rounds a / b directly, and the codes must not depend on the device. Codes
 * are integers held in float32 and multiplied in a float32 matmul: exact while every partial sum
 * stays below 2^24 (K · qmaxA · qmaxW < 2^24: K ≤ 1040 at W8A8), as an int32 accumulator would be.
 * Y' = (Σ_k qx·qw) · sx · sw, the integer path of a quantized kernel.
 */
import { numpy as np, type Array } from '@jax-js/jax';
import { castFloat } from '../formats/cast.js';
import { FP16 } from '../formats/tables.js';
import { MIN_SCALE } from '../reference.js';
import { roundHalfEven } from '../round.js';

/** Codes and scales of one operand. */
export interface Quantized {
  codes: Array;
  /** [1, 1] per tensor, [rows, 1] per row, [1, cols] per column. */
  scale: Array;
}

/** Where an operand's blocks are: the whole tensor, each row (a token of X), each column (an output of W). */
export type Blocking = 'tensor' | 'row' | 'column';

/** A `grid` operand: [qmax, fl(1/qmax)] (float32 [2]) of a symmetric b-bit grid. */
export function gridOf(bits: number): [number, number] {
  const qmax = 2 ** (bits - 1) - 1;
  return [qmax, Math.fround(1 / qmax)];
}

/** a · fl(1/b) (consumes both): a / b as the reference divides, on every device. */
export function div32(a: Array, b: Array): Array {
  return a.mul(np.reciprocal(b));
}

/** Symmetric quantization of a 2-D x (consumed) on `grid` (gridOf's [qmax, fl(1/qmax)] operand, consumed). */
export function quantizeSymmetric(x: Array, blocking: Blocking, grid: Array): Quantized {
  const qmax = grid.ref.slice([0, 1]).reshape([]);
  const inverse = grid.slice([1, 2]).reshape([]);
  const abs = np.abs(x.ref);
  const amax =
    blocking === 'tensor'
      ? abs.max().reshape([1, 1])
      : abs.max(blocking === 'row' ? 1 : 0, { keepdims: true });
  const scale = np.where(amax.ref.equal(0), 1, np.maximum(amax.mul(inverse), MIN_SCALE));
  const rounded = roundHalfEven(div32(x, scale.ref));
  return { codes: np.minimum(np.maximum(rounded, qmax.ref.neg()), qmax), scale };
}

/** (Σ_k qx·qw) · sx · sw (consumes both). */
export function product(x: Quantized, w: Quantized): Array {
  return np.matmul(x.codes, w.codes).mul(x.scale).mul(w.scale);
}

/** What a method leaves: Y' and the operands it quantized (for inspection; dispose what you do not read). */
export interface MethodOutputs {
  output: Array;
  x: Quantized;
  w: Quantized;
}

/** The operands' codes and scales survive in `outputs`; Y' comes from copies of them. */
function finish(x: Quantized, w: Quantized, extra: Array | null = null): MethodOutputs {
  const y = product({ codes: x.codes.ref, scale: x.scale.ref }, { codes: w.codes.ref, scale: w.scale.ref });
  return { output: extra ? y.add(extra) : y, x, w };
}

/** Naive: X and W each per tensor. x [T, C], w [C, O], qa / qw the grids (gridOf; all consumed). */
export function naive(x: Array, w: Array, qa: Array, qw: Array): MethodOutputs {
  return finish(quantizeSymmetric(x, 'tensor', qa), quantizeSymmetric(w, 'tensor', qw));
}

/** Per-token activations (a scale per row of X) with per-channel weights (a scale per output column of W). */
export function perToken(x: Array, w: Array, qa: Array, qw: Array): MethodOutputs {
  return finish(quantizeSymmetric(x, 'row', qa), quantizeSymmetric(w, 'column', qw));
}

/** Round to the nearest float16 (ties to even, saturating at ±65504): exact, from the float32 bits. */
export function toFloat16(x: Array): Array {
  const { code, value } = castFloat(x, FP16);
  code.dispose();
  return value;
}

/** LLM.int8()'s outputs: also which channels stayed in float16 (1, [C] float32). */
export interface Int8Outputs extends MethodOutputs {
  outlier: Array;
}

/** X's columns and W's rows where `mask` [C] (bool) holds, rounded to float16, zeros elsewhere (consumes all). */
export function halfOperands(x: Array, w: Array, mask: Array): [Array, Array] {
  const [k] = mask.shape;
  const xHalf = np.where(mask.ref.reshape([1, k]), toFloat16(x), 0);
  return [xHalf, np.where(mask.reshape([k, 1]), toFloat16(w), 0)];
}

/**
 * The float16 product over the channels where `mask` [C] holds, from X and W already rounded to
 * float16 (x16, w16; all consumed). Only W's rows are masked: a finite x16 times 0 is 0, so the
 * products and their sums are those of halfOperands', with one select fewer.
 */
export function halfProduct(x16: Array, w16: Array, mask: Array): Array {
  const [k] = mask.shape;
  return np.matmul(x16, np.where(mask.reshape([k, 1]), w16, 0));
}

/**
 * LLM.int8() (Dettmers et al. 2022): the channels j whose max |X_j| (xMax [C]) exceeds
 * `threshold` (a scalar operand) are multiplied in float16 — X's columns and W's rows rounded to
 * float16, accumulated in float32 as a tensor core does —, the rest per token / per channel at the
 * configured bits (all consumed). Masks, not a gather of the channels over the threshold: the
 * shapes stay fixed whatever the threshold, so one kernel serves every value.
 *
 * `top` (int32 [K], or null): the K channels of largest max |x|, when the caller knows that at
 * most K exceed the threshold. The float16 product then runs over those K channels (masked by the
 * threshold) instead of all C: a [T, K] · [K, O] matmul instead of a second full one. The same
 * products, summed in another order. `halves` ([x16, w16], or null): X and W rounded to float16
 * beforehand (they do not depend on the threshold), for the product over all C channels.
 */
export function llmInt8(
  x: Array,
  w: Array,
  xMax: Array,
  threshold: Array,
  qa: Array,
  qw: Array,
  top: Array | null = null,
  halves: [Array, Array] | null = null,
): Int8Outputs {
  const [, channels] = x.shape;
  const outlier = xMax.ref.greater(threshold.ref);
  const xq = quantizeSymmetric(np.where(outlier.ref.reshape([1, channels]), 0, x.ref), 'row', qa);
  const wq = quantizeSymmetric(np.where(outlier.ref.reshape([channels, 1]), 0, w.ref), 'column', qw);
  let half: Array;
  if (top) {
    const keep = np.take(xMax, top.ref).greater(threshold);
    half = np.matmul(...halfOperands(np.take(x, top.ref, 1), np.take(w, top, 0), keep));
  } else {
    xMax.dispose();
    threshold.dispose();
    if (halves) {
      x.dispose();
      w.dispose();
      half = halfProduct(halves[0], halves[1], outlier.ref);
    } else half = np.matmul(...halfOperands(x, w, outlier.ref));
  }
  return { ...finish(xq, wq, half), outlier: outlier.astype(np.float32) };
}

/**
 * SmoothQuant's migration scales (Xiao et al. 2022): s_j = max|X_j|^α / max|W_j|^(1−α) for the
 * input channels j (xMax, wMax [C], α a scalar operand; all consumed), 1 where either maximum is 0
 * (nothing to migrate). As exp(α·ln a − (1−α)·ln b): one transcendental pass.
 */
export function smoothingScales(xMax: Array, wMax: Array, alpha: Array): Array {
  const ok = np.logicalAnd(xMax.ref.greater(0), wMax.ref.greater(0));
  const a = np.log(np.where(ok.ref, xMax, 1));
  const b = np.log(np.where(ok.ref, wMax, 1));
  const t = np.exp(a.mul(alpha.ref).sub(b.mul(alpha.neg().add(1))));
  return np.where(ok, t, 1);
}

/** SmoothQuant's outputs: also the scales s [C] and the smoothed operands X/s, s·W (before quantization). */
export interface SmoothOutputs extends MethodOutputs {
  s: Array;
  xSmooth: Array;
  wSmooth: Array;
}

/**
 * SmoothQuant: X / s and s · W (the same product in float), then per token / per channel as
 * `perToken`, so the difference between the two is the migration alone.
 */
export function smoothQuant(
  x: Array,
  w: Array,
  xMax: Array,
  wMax: Array,
  alpha: Array,
  qa: Array,
  qw: Array,
): SmoothOutputs {
  const [, channels] = x.shape;
  const s = smoothingScales(xMax, wMax, alpha);
  const xSmooth = div32(x, s.ref.reshape([1, channels]));
  const wSmooth = w.mul(s.ref.reshape([channels, 1]));
  return { ...perToken(xSmooth.ref, wSmooth.ref, qa, qw), s, xSmooth, wSmooth };
}

/** [Σe², max|e|] of e = y − y' (consumed), float64 where `wide` (the device has it). */
export function errorSums(y: Array, yq: Array, wide: boolean): Array {
  const e = wide ? y.astype(np.float64).sub(yq.astype(np.float64)) : y.sub(yq);
  return np.stack([e.ref.mul(e.ref).sum(), np.abs(e).max()]);
}

/** Disposes every array of a method's outputs but the ones named in `keep`. */
export function disposeOutputs(outputs: object, keep: readonly Array[] = []): void {
  for (const v of Object.values(outputs) as (Array | Quantized)[]) {
    const arrays = 'codes' in v ? [v.codes, v.scale] : [v];
    for (const a of arrays) if (!keep.includes(a)) a.dispose();
  }
}
