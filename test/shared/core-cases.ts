/**
 * The core's conformance table, run by the Node tests and the browser tests
 * alike: each case is quantized by the jax-js engine and by the typed-array
 * reference, and must agree exactly on codes, scales and zero-points, and to
 * 1e-6 relative on every float.
 */
import { referenceQuantize, type QuantConfig, type QuantResult } from '../../src/core/index.js';

export interface CoreCase {
  name: string;
  data: Float32Array;
  shape: number[];
  config: Partial<QuantConfig>;
}

/** Deterministic data that needs no engine: a small LCG, Box–Muller for normals. */
export function lcgNormal(n: number, seed: number, std = 0.5): Float32Array {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  return Float32Array.from(
    { length: n },
    () => std * Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next()),
  );
}

const BITS = [2, 3, 4, 8, 16];

/** Edge-case data sets: the places where quantizers go wrong. */
export function edgeData(): { name: string; data: Float32Array; shape: number[] }[] {
  const normal = lcgNormal(8 * 16, 7);
  return [
    {
      name: 'ties at .5, scale exactly 1',
      data: Float32Array.of(-1.5, -0.5, 0.5, 1.5, 2.5, -2.5, 0, 1),
      shape: [2, 4],
    },
    { name: 'constant zero', data: new Float32Array(12), shape: [3, 4] },
    { name: 'constant non-zero', data: new Float32Array(12).fill(0.7), shape: [3, 4] },
    { name: 'constant negative', data: new Float32Array(12).fill(-3.25), shape: [3, 4] },
    { name: 'all negative', data: normal.map((v) => -Math.abs(v) - 0.01), shape: [8, 16] },
    { name: 'all positive', data: normal.map((v) => Math.abs(v) + 0.01), shape: [8, 16] },
    { name: 'one element', data: Float32Array.of(0.37), shape: [1] },
    { name: 'one negative element 2-D', data: Float32Array.of(-2), shape: [1, 1] },
    { name: '1-D', data: lcgNormal(64, 3), shape: [64] },
    { name: '2-D normal', data: normal, shape: [8, 16] },
    { name: 'huge and tiny', data: Float32Array.of(1e30, -1e30, 1e-30, 0, 3, -7, 1e-38, 2), shape: [2, 4] },
    // a range of subnormal width: the scale is clamped to 2^-126 so 1/scale stays finite
    { name: 'subnormal range', data: Float32Array.of(1e-40, -1e-40, 0, 2e-40, -3e-41, 5e-45), shape: [2, 3] },
  ];
}

/** Every case of the table. Kept to a size that runs in seconds on 2 cores. */
export function coreCases(): CoreCase[] {
  const cases: CoreCase[] = [];
  for (const d of edgeData()) {
    for (const bits of BITS) {
      for (const scheme of ['affine', 'symmetric'] as const) {
        for (const granularity of ['tensor', 'channel'] as const) {
          for (const rounding of ['half-even', 'half-up'] as const) {
            cases.push({
              ...d,
              name: `${d.name} ${bits}b ${scheme} ${granularity} ${rounding}`,
              config: { bits, scheme, granularity, rounding },
            });
          }
        }
        for (const calibration of ['percentile', 'mse'] as const) {
          cases.push({
            ...d,
            name: `${d.name} ${bits}b ${scheme} ${calibration}`,
            config: { bits, scheme, calibration, percentile: 90 },
          });
        }
      }
    }
  }
  // Every group size that divides 48 columns, both schemes, all calibrations.
  const wide = lcgNormal(4 * 48, 11);
  for (const groupSize of [2, 3, 4, 6, 8, 12, 16, 24, 48]) {
    for (const scheme of ['affine', 'symmetric'] as const) {
      for (const calibration of ['minmax', 'percentile', 'mse'] as const) {
        cases.push({
          name: `group ${groupSize} ${scheme} ${calibration}`,
          data: wide,
          shape: [4, 48],
          config: { bits: 4, granularity: 'group', groupSize, scheme, calibration, percentile: 95 },
        });
      }
    }
  }
  // Clipping: percentile calibration on heavy-tailed data clips the tails.
  const tails = lcgNormal(32 * 32, 5).map((v, i) => (i % 97 === 0 ? v * 40 : v));
  for (const percentile of [99.9, 99, 90, 50.5, 100]) {
    for (const scheme of ['affine', 'symmetric'] as const) {
      cases.push({
        name: `clip p${percentile} ${scheme}`,
        data: tails,
        shape: [32, 32],
        config: { bits: 4, calibration: 'percentile', percentile, scheme },
      });
    }
  }
  return cases;
}

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

/** Every way `got` differs from `want`; empty when they agree. */
export function compareResults(got: QuantResult, want: QuantResult, tolerance = 1e-6): string[] {
  const out: string[] = [];
  const firstDiff = (a: ArrayLike<number>, b: ArrayLike<number>, exact: boolean) => {
    if (a.length !== b.length) return `length ${a.length} ≠ ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      if (exact ? a[i] !== b[i] : rel(a[i], b[i]) > tolerance) return `[${i}] ${a[i]} ≠ ${b[i]}`;
    }
    return null;
  };
  const checks: [string, ArrayLike<number>, ArrayLike<number>, boolean][] = [
    ['codes', got.codes, want.codes, true],
    ['zeroPoint', got.zeroPoint, want.zeroPoint, true],
    ['scale', got.scale, want.scale, true],
    ['dequantized', got.dequantized, want.dequantized, true],
  ];
  for (const [name, a, b, exact] of checks) {
    const d = firstDiff(a, b, exact);
    if (d) out.push(`${name}${d}`);
  }
  if (got.qmin !== want.qmin || got.qmax !== want.qmax)
    out.push(`range ${got.qmin}..${got.qmax} ≠ ${want.qmin}..${want.qmax}`);
  for (const key of Object.keys(want.stats) as (keyof QuantResult['stats'])[]) {
    if (rel(got.stats[key], want.stats[key]) > tolerance)
      out.push(`stats.${key} ${got.stats[key]} ≠ ${want.stats[key]}`);
  }
  return out;
}

/** Runs `quantize` on the cases (every `stride`-th) and lists each case that differs from the reference. */
export async function conformanceFailures(
  quantize: (c: CoreCase) => Promise<QuantResult>,
  stride = 1,
): Promise<string[]> {
  const failures: string[] = [];
  for (const [i, c] of coreCases().entries()) {
    if (i % stride) continue;
    const diffs = compareResults(await quantize(c), referenceQuantize(c.data, c.shape, c.config));
    if (diffs.length) failures.push(`${c.name}: ${diffs.join('; ')}`);
  }
  return failures;
}
