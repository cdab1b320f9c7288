import { numpy as np, type Array } from '@jax-js/jax';

/**
 * Exact round-half-to-even of a float32 array (consumes `v`). jax-js 0.1.25's
 * np.round is not exact near .5, so build it from floor: v − floor(v) is exact
 * in float32, and so is the parity test floor(v)/2.
 */
export function roundHalfEven(v: Array): Array {
  const fl = np.floor(v.ref);
  const frac = v.sub(fl.ref);
  const half = fl.ref.mul(0.5);
  const odd = np.floor(half.ref).notEqual(half);
  const up = np.logicalOr(frac.ref.greater(0.5), np.logicalAnd(frac.equal(0.5), odd));
  return np.where(up, fl.ref.add(1), fl);
}
