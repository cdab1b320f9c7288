/**
 * Adam in jax-js ops, for QAT. Adam rather than SGD with momentum: it scales each weight's step by
 * its own gradient history, so one learning rate suits the 784-input first layer and the 64-input
 * last one, and the weights of a tensor that straight-through gradients barely reach still move.
 * The bias correction is folded into the learning rate the caller passes (`lrHat`), so the step
 * has no per-step constants and is jit-compiled once.
 */
import { numpy as np, type Array } from '@jax-js/jax';

export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** lr · √(1 − β2^t) / (1 − β1^t): Adam's bias correction for step t (1-based) folded into lr. */
export function correctedLr(lr: number, t: number): number {
  return (lr * Math.sqrt(1 - ADAM.beta2 ** t)) / (1 - ADAM.beta1 ** t);
}

/**
 * One Adam update of every leaf: consumes `params`, `m`, `v`, `grads`; borrows `lrHat` (a scalar
 * array). Returns the new params, first and second moments, leaf by leaf.
 */
export function adamUpdate(
  params: Array[],
  m: Array[],
  v: Array[],
  grads: Array[],
  lrHat: Array,
): [Array[], Array[], Array[]] {
  const { beta1, beta2, eps } = ADAM;
  const next: Array[] = [];
  const nextM: Array[] = [];
  const nextV: Array[] = [];
  params.forEach((p, i) => {
    const g = grads[i];
    const m1 = m[i].mul(beta1).add(g.ref.mul(1 - beta1));
    const v1 = v[i].mul(beta2).add(g.ref.mul(g).mul(1 - beta2));
    next.push(p.sub(m1.ref.div(np.sqrt(v1.ref).add(eps)).mul(lrHat.ref)));
    nextM.push(m1);
    nextV.push(v1);
  });
  return [next, nextM, nextV];
}
