/**
 * A number format's local step and its codes in words, at scale 1 (pure, Node-tested). The local
 * step of v is the gap between the two representable values around v: round-to-nearest is off
 * by at most half of it, so `|x − x̂| / (step · scale)` ≤ ½ wherever the value was not clipped.
 *
 * Where v sits exactly on a level, the gap on its outer side (away from zero) is used, and at
 * zero the gap to the smallest positive level; beyond the largest value (saturated), the last
 * gap. Sides are taken by the sign of v, so NF4, whose levels are not symmetric, gets the gaps
 * of its own side.
 */
import type { Format } from '../../core/config.js';
import { FORMAT_SPECS, levelsOf, type FloatLayout } from '../../core/formats/tables.js';

type NumberFormat = Exclude<Format, 'int'>;

/** floor(log2 a) for a > 0, exactly (Math.log2 may round up just below a power of two). */
function binade(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/**
 * The step of a float layout at |v| = a, from its bit layout (fp16/bf16 have too many values to
 * list): 2^(e − mantissa) in the binade [2^e, 2^(e+1)), the subnormal spacing 2^(emin − mantissa)
 * below the smallest normal, and the top binade's step from the largest value on.
 */
export function floatStep(layout: FloatLayout, a: number): number {
  const top = binade(layout.max);
  const e = a < 2 ** layout.emin ? layout.emin : Math.min(binade(a), top);
  return 2 ** (e - layout.mantissa);
}

/** Each side's magnitudes, ascending from 0, per levels array. */
const sides = new WeakMap<ArrayLike<number>, { pos: Float64Array; neg: Float64Array }>();

function sidesOf(levels: ArrayLike<number>): { pos: Float64Array; neg: Float64Array } {
  let s = sides.get(levels);
  if (!s) {
    const all = Array.from(levels);
    const pos = Float64Array.from(all.filter((l) => l >= 0));
    const neg = Float64Array.from(all.filter((l) => l <= 0).map((l) => -l)).reverse();
    sides.set(levels, (s = { pos, neg }));
  }
  return s;
}

/** The step at v among sorted `levels` (one zero): the gap [M[k], M[k+1]) of |v| on v's side. */
export function levelStep(levels: ArrayLike<number>, v: number): number {
  const m = v < 0 ? sidesOf(levels).neg : sidesOf(levels).pos;
  const a = Math.abs(v);
  const last = m.length - 1;
  if (a >= m[last - 1]) return m[last] - m[last - 1];
  // the largest k with m[k] ≤ a (m[0] = 0 ≤ a)
  let lo = 0;
  let hi = last - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (m[mid] <= a) lo = mid;
    else hi = mid - 1;
  }
  return m[lo + 1] - m[lo];
}

/**
 * The local step at v = x / scale for a number format (multiply by the block's scale for x
 * units). `levels` are the result's (NF4 and MXINT8 read them; the float formats their layout).
 */
export function localStep(format: NumberFormat, v: number, levels?: ArrayLike<number>): number {
  const spec = FORMAT_SPECS[format];
  if ((spec.kind === 'cast' || spec.kind === 'float' || spec.kind === 'mx') && spec.element !== 'int8')
    return floatStep(spec.element, Math.abs(v));
  return levelStep(levels ?? levelsOf(format), v);
}

/**
 * A code as the format stores it: sign, exponent and mantissa fields of a float (`0 10 1` for
 * E2M1's 3), the NF4 index with its bits, the MXINT8 byte with its integer q (value q / 64).
 */
export function codeBits(format: NumberFormat, code: number): string {
  const spec = FORMAT_SPECS[format];
  if (spec.kind === 'nf4') return `${code} (${code.toString(2).padStart(4, '0')})`;
  if (spec.kind === 'mx' && spec.element === 'int8') {
    const q = code > 127 ? code - 256 : code;
    return `${code.toString(2).padStart(8, '0')} (q ${String(q).replace('-', '−')})`;
  }
  const { bits, mantissa } = (spec as { element: FloatLayout }).element;
  const b = code.toString(2).padStart(bits, '0');
  return `${b[0]} ${b.slice(1, bits - mantissa)} ${b.slice(bits - mantissa)}`;
}
