/**
 * The core's conformance table, run by the Node tests and the browser tests
 * alike: each case is quantized by the jax-js engine and by the typed-array
 * reference, and must agree exactly on codes, scales and zero-points, and to
 * 1e-6 relative on every float.
 */
// The oracle straight from its module: this table never loads jax-js or the engine.
import type { QuantConfig } from '../../src/core/config.js';
import { referenceQuantize } from '../../src/core/reference.js';
import type { QuantResult } from '../../src/core/result.js';

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
  cases.push(...raggedCases());
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

/**
 * Group sizes that do not divide the row (SPEC §3: the row ends with a shorter
 * group), over every calibration, both schemes and 2/4/8 bits; a group size
 * larger than the row; a 1-D tensor; shapes with one value left over.
 */
export function raggedCases(): CoreCase[] {
  const layouts: { name: string; data: Float32Array; shape: number[]; groupSize: number }[] = [
    { name: '3×10 / 4', data: lcgNormal(30, 31), shape: [3, 10], groupSize: 4 },
    { name: '1-D 7 / 3', data: lcgNormal(7, 32), shape: [7], groupSize: 3 },
    { name: '2×5 / 8 (group longer than the row)', data: lcgNormal(10, 33), shape: [2, 5], groupSize: 8 },
    { name: '4×33 / 8 (one left over)', data: lcgNormal(4 * 33, 34), shape: [4, 33], groupSize: 8 },
    // tails whose own range is far narrower than the rest of the row
    {
      name: '3×7 / 3, tails small',
      data: lcgNormal(21, 35).map((v, i) => (i % 7 === 6 ? v * 0.01 : v)),
      shape: [3, 7],
      groupSize: 3,
    },
    // all-positive and all-negative tails: the zero-padding equivalence needs 0 in every range
    {
      name: '2×9 / 4, positive tail',
      data: lcgNormal(18, 36).map((v, i) => (i % 9 === 8 ? Math.abs(v) + 0.25 : v)),
      shape: [2, 9],
      groupSize: 4,
    },
    {
      name: '2×9 / 4, negative tail',
      data: lcgNormal(18, 37).map((v, i) => (i % 9 === 8 ? -Math.abs(v) - 0.25 : v)),
      shape: [2, 9],
      groupSize: 4,
    },
  ];
  const cases: CoreCase[] = [];
  for (const l of layouts) {
    for (const bits of [2, 4, 8]) {
      for (const scheme of ['affine', 'symmetric'] as const) {
        for (const calibration of ['minmax', 'percentile', 'mse'] as const) {
          for (const percentile of calibration === 'percentile' ? [75, 99] : [99.9]) {
            cases.push({
              name: `ragged ${l.name} ${bits}b ${scheme} ${calibration}${calibration === 'percentile' ? ` p${percentile}` : ''}`,
              data: l.data,
              shape: l.shape,
              config: { bits, scheme, calibration, percentile, granularity: 'group', groupSize: l.groupSize },
            });
          }
        }
      }
      cases.push({
        name: `ragged ${l.name} ${bits}b half-up`,
        data: l.data,
        shape: l.shape,
        config: { bits, rounding: 'half-up', granularity: 'group', groupSize: l.groupSize },
      });
    }
  }
  return cases;
}

/**
 * Ragged layouts with stochastic rounding: the engine's draws are per value,
 * so these need the engine's noise on the oracle side (`noise` of n values).
 */
export function raggedStochasticCases(): CoreCase[] {
  const cases: CoreCase[] = [];
  for (const [shape, groupSize] of [
    [[3, 10], 4],
    [[7], 3],
    [[5, 13], 6],
  ] as const) {
    const n = shape.reduce((a: number, b: number) => a * b, 1);
    for (const scheme of ['affine', 'symmetric'] as const) {
      for (const calibration of ['minmax', 'percentile', 'mse'] as const) {
        cases.push({
          name: `ragged stochastic ${shape.join('×')} / ${groupSize} ${scheme} ${calibration}`,
          data: lcgNormal(n, 40 + n),
          shape: [...shape],
          config: {
            bits: 3,
            scheme,
            calibration,
            percentile: 90,
            rounding: 'stochastic',
            seed: 7,
            granularity: 'group',
            groupSize,
          },
        });
      }
    }
  }
  return cases;
}

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

/**
 * Every way `got` differs from `want`; empty when they agree. Codes, scales and dequantized values
 * must be equal; `bitwise` compares them with Object.is (−0 ≠ +0) and also checks the fields of the
 * number formats (`scaleCodes`, `levels`).
 */
export function compareResults(
  got: QuantResult,
  want: QuantResult,
  tolerance = 1e-6,
  bitwise = false,
): string[] {
  const out: string[] = [];
  const same = bitwise ? Object.is : (a: number, b: number) => a === b;
  const firstDiff = (a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined) => {
    if (a === undefined || b === undefined)
      return a === b ? null : ` present ${a !== undefined} ≠ ${b !== undefined}`;
    if (a.length !== b.length) return `length ${a.length} ≠ ${b.length}`;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return `[${i}] ${a[i]} ≠ ${b[i]}`;
    return null;
  };
  const keys = ['codes', 'zeroPoint', 'scale', 'dequantized'] as const;
  for (const key of bitwise ? ([...keys, 'scaleCodes', 'levels'] as const) : keys) {
    const d = firstDiff(got[key], want[key]);
    if (d) out.push(`${key}${d}`);
  }
  if (got.qmin !== want.qmin || got.qmax !== want.qmax)
    out.push(`range ${got.qmin}..${got.qmax} ≠ ${want.qmin}..${want.qmax}`);
  for (const key of Object.keys(want.stats) as (keyof QuantResult['stats'])[]) {
    if (rel(got.stats[key], want.stats[key]) > tolerance)
      out.push(`stats.${key} ${got.stats[key]} ≠ ${want.stats[key]}`);
  }
  return out;
}

/** Runs `quantize` on `cases` (every `stride`-th) and lists each case that `compare` finds differing from the reference. */
export async function tableFailures(
  cases: CoreCase[],
  quantize: (c: CoreCase) => Promise<QuantResult>,
  compare: (got: QuantResult, want: QuantResult) => string[],
  stride = 1,
): Promise<string[]> {
  const failures: string[] = [];
  for (const [i, c] of cases.entries()) {
    if (i % stride) continue;
    const diffs = compare(await quantize(c), referenceQuantize(c.data, c.shape, c.config));
    if (diffs.length) failures.push(`${c.name}: ${diffs.join('; ')}`);
  }
  return failures;
}

/** Runs `quantize` on the cases (every `stride`-th) and lists each case that differs from the reference. */
export function conformanceFailures(
  quantize: (c: CoreCase) => Promise<QuantResult>,
  stride = 1,
): Promise<string[]> {
  return tableFailures(coreCases(), quantize, (a, b) => compareResults(a, b), stride);
}

/**
 * conformanceFailures for the stochastic cases: `noise(seed, n)` gives the
 * engine's draws for n values, which the oracle rounds with.
 */
export async function stochasticFailures(
  quantize: (c: CoreCase) => Promise<QuantResult>,
  noise: (seed: number, n: number) => Promise<Float32Array>,
): Promise<string[]> {
  const failures: string[] = [];
  for (const c of raggedStochasticCases()) {
    const u = await noise(c.config.seed as number, c.data.length);
    const diffs = compareResults(await quantize(c), referenceQuantize(c.data, c.shape, c.config, u));
    if (diffs.length) failures.push(`${c.name}: ${diffs.join('; ')}`);
  }
  return failures;
}
