/**
 * Fake quantization for quantization-aware training, with the clipped straight-through estimator.
 *
 * Forward: exactly the engine's quantize–dequantize (the same ops as QuantSession.quantize, so the
 * same calibration and rounding rule the element applies afterwards: minmax, percentile and mse
 * ranges recomputed from the current weights; half-even, half-up, or stochastic with the fixed
 * draws of the config's seed). Backward: the gradient of clamp(w, lo, hi) with the block's clip
 * range [lo, hi] held fixed — 1 inside the range, 0 outside; no gradient reaches the scale.
 *
 * Every function consumes its array arguments (jax-js ownership); `.ref` what you keep.
 */
import { lax, numpy as np, type Array } from '@jax-js/jax';
import type { Blocks } from '../blocks.js';
import type { QuantConfig } from '../config.js';
import { fakeQuantize } from '../inference/mlp.js';
import { quantizeFormatTraced } from '../formats/engine.js';
import { maxFinite } from '../formats/tables.js';
import { fakeQuantizeTraced, fromBlocks } from '../quantize.js';

/** What quantizes one weight matrix: fixed for a whole run. */
export interface WeightQuantizer {
  config: QuantConfig;
  /** Block layout of the `[out, in]` matrix (channel = a row = an output neuron). */
  blocks: Blocks;
  /** float64 error sums for mse calibration, as QuantSession does on devices that have them. */
  wideSums: boolean;
}

/** The fake-quant targets of a weight matrix, each `[out, in]` like it. */
export interface Targets {
  dequantized: Array;
  lo: Array;
  hi: Array;
}

/**
 * Quantize–dequantize of `w` ([out, in], consumed) and each value's clip range. `operand`
 * (the calibration's, from calibrationOperand) and `noise` (stochastic only, u per value) are consumed. No gradient
 * is meant to flow through these: use them as constants (straightThrough stops it anyway).
 */
export function weightTargets(
  w: Array,
  q: WeightQuantizer,
  operand: Array | null,
  noise: Array | null,
): Targets {
  const shape = w.shape;
  if (q.config.format !== 'int') {
    operand?.dispose();
    noise?.dispose();
    return formatTargets(w, q);
  }
  const [dq, lo, hi] = fakeQuantizeTraced(
    w.reshape([w.size]),
    operand,
    noise,
    q.config,
    q.blocks,
    q.wideSums,
  );
  return { dequantized: dq.reshape(shape), lo: lo.reshape(shape), hi: hi.reshape(shape) };
}

/**
 * A number format (SPEC §3.1): the engine's cast per block, and the clip range ±(largest finite
 * value) × the block's scale — for absmax-scaled formats the block's own range (nothing clips), for
 * MX the power-of-two scale's, which can clip the block's largest values.
 */
function formatTargets(w: Array, q: WeightQuantizer): Targets {
  const shape = w.shape;
  const format = q.config.format as Exclude<QuantConfig['format'], 'int'>;
  const [codes, dq, scale, zeroPoint, sums, scaleCodes] = quantizeFormatTraced(
    w.reshape([w.size]),
    q.config,
    q.blocks,
    q.wideSums,
    false,
  );
  for (const a of [codes, zeroPoint, sums, scaleCodes]) a.dispose();
  const hi = fromBlocks(
    np.broadcastTo(scale.mul(maxFinite(format)), [q.blocks.groups, q.blocks.length]),
    q.blocks,
  );
  return { dequantized: dq.reshape(shape), lo: hi.ref.neg().reshape(shape), hi: hi.reshape(shape) };
}

/**
 * The clipped straight-through estimator: the value of `dequantized` (exactly: c − c is 0, so
 * dq + 0 is dq bit for bit, but a format's −0 becomes +0), the gradient of clamp(w, lo, hi) with lo, hi fixed. Written as
 * dq + (c − stop(c)) rather than c + stop(dq − c), whose float32 sum need not equal dq.
 */
export function straightThrough(w: Array, t: Targets): Array {
  const clamped = np.minimum(np.maximum(w, lax.stopGradient(t.lo)), lax.stopGradient(t.hi));
  return lax.stopGradient(t.dequantized).add(clamped.ref.sub(lax.stopGradient(clamped)));
}

/**
 * Activation fake quantization with the straight-through estimator: the forward is the element's
 * (per-tensor dynamic affine minmax, half-even; src/core/inference/mlp.ts), whose clip range is
 * the tensor's own min/max, so nothing is clipped and the gradient is the identity.
 */
export function straightThroughActivations(h: Array, bits: number): Array {
  const quantized = fakeQuantize(lax.stopGradient(h.ref), bits);
  return quantized.add(h.ref.sub(lax.stopGradient(h)));
}
