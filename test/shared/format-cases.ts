/**
 * The conformance table of the number formats (SPEC §3.1), run by the Node
 * tests and the browser tests alike: each case is quantized by the jax-js
 * engine and by the typed-array oracle, which must agree bit for bit on codes,
 * scales, E8M0 scale codes and dequantized values (−0 included).
 */
// The oracle straight from its modules: this table never loads jax-js or the engine.
import { FORMATS, type Format, type QuantConfig } from '../../src/core/config.js';
import type { QuantResult } from '../../src/core/result.js';
import { levelsOf, NF4_MIDPOINTS } from '../../src/core/formats/tables.js';
import { compareResults, lcgNormal, tableFailures, type CoreCase } from './core-cases.js';

export type OtherFormat = Exclude<Format, 'int'>;

export const OTHER_FORMATS = FORMATS.filter((f): f is OtherFormat => f !== 'int');

const f = Math.fround;

/** The midpoints between consecutive positive levels (ties), and a quarter-step either side of a few. */
function midpoints(levels: Float32Array, keep = Infinity): number[] {
  const pos = Array.from(levels).filter((v) => v > 0);
  const step = Math.max(1, Math.floor(pos.length / keep));
  const out: number[] = [];
  for (let i = 0; i + 1 < pos.length; i += step) out.push(f((pos[i] + pos[i + 1]) / 2));
  out.push(f((pos[0] + 0) / 2)); // between 0 and the smallest value
  return out;
}

/** Pads a list of values to `cols` columns with `fill`, so each row is one block of a known max. */
function rows(values: number[], cols: number, fill: number): Float32Array {
  const n = Math.ceil(values.length / (cols - 1)) * cols;
  const out = new Float32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) out[i] = i % cols === 0 ? fill : (values[k++] ?? 0);
  return out;
}

/** Values of `format` that sit at ties, in the subnormal range, at ±max: a block (row) with max at its head keeps scale 1. */
function tieData(format: OtherFormat): { data: Float32Array; shape: number[] } {
  const levels = levelsOf(format);
  const max = levels[levels.length - 1];
  // Every tie of the small formats; a few hundred spread over fp16/bf16 (65k values).
  const ties = midpoints(levels, 300);
  const values = ties.flatMap((t) => [t, -t]);
  const cols = 32; // one MX block a row, so each row's max decides its own scale
  const data = rows(values, cols, max);
  return { data, shape: [data.length / cols, cols] };
}

/** Subnormals of each float layout, with values below half the smallest (→ ±0). */
function subnormalData(format: OtherFormat): Float32Array {
  const levels = levelsOf(format);
  const pos = Array.from(levels).filter((v) => v > 0);
  const tiny = pos[0];
  const max = levels[levels.length - 1];
  const vals = [
    max,
    tiny,
    -tiny,
    tiny / 2,
    -tiny / 2,
    tiny / 4,
    -tiny / 4,
    tiny * 1.5,
    -tiny * 1.5,
    tiny * 2.5,
  ];
  vals.push(pos[1], pos[2], pos[3] ?? tiny, f(tiny * 0.75), f(-tiny * 0.26), 1e-45, -1e-45, 1e-40, -1e-40);
  return Float32Array.from(vals);
}

/** Values beyond max after scaling: for fp16/bf16 beyond their range; for MX the [max, 2^(emax+1)) gap. */
function saturationData(format: OtherFormat): Float32Array {
  switch (format) {
    case 'fp16':
      return Float32Array.of(65504, 65519, 65520, 65536, -65520, 1e6, -3e38, 3.4e38, 1, -1);
    case 'bf16':
      return Float32Array.of(
        3.4e38,
        -3.4e38,
        3.3895e38,
        3.39e38,
        1.7e38,
        -1,
        1,
        3.3895313e38,
        255 * 2 ** 120,
      );
    case 'mxfp4':
      return Float32Array.of(7.99, 6, 6.5, 7, -7.5, 5, 3.5, 0.25, -0.75, 1.25);
    case 'mxfp8':
      return Float32Array.of(511, 448, 464, 480, -500, 465, 0.001, -2);
    case 'mxint8':
      return Float32Array.of(1.999, 1.984375, 1.9921875, -1.99, 1, -0.0078125, 0.0078125, 0.5);
    default: {
      // absmax scaling: a large block where x · fl(1/scale) may land an ulp over max
      const data = lcgNormal(64, 17, 3);
      data[5] = 1234.5;
      data[9] = -1234.5;
      return data;
    }
  }
}

/** Blocks whose max is just below, at and just above powers of two (the MX exponent edge), and tiny/huge scales. */
function exponentEdgeData(): { name: string; data: Float32Array; shape: number[] }[] {
  const below = (p: number) => f(p * (1 - 2 ** -24));
  const above = (p: number) => f(p * (1 + 2 ** -23));
  const row = (amax: number, seed: number) => {
    const r = lcgNormal(32, seed, 0.3).map((v) => Math.max(Math.min(v, 0.99), -0.99) * amax);
    r[3] = amax;
    r[4] = -amax * 0.5;
    return r;
  };
  const blocks = [
    below(1),
    1,
    above(1),
    below(8),
    8,
    below(512),
    below(2 ** -100),
    2 ** -125,
    below(2 ** -125),
    2 ** -126,
    1e-40,
    0,
    below(2 ** 127),
    3e38,
  ];
  const data = new Float32Array(32 * blocks.length);
  blocks.forEach((amax, i) => data.set(row(amax, 60 + i), 32 * i));
  // a huge block's small values underflow in x · 2^−sharedExp
  data[32 * (blocks.length - 1) + 7] = 1e-30;
  data[32 * (blocks.length - 1) + 8] = -3e-38;
  return [
    { name: 'MX exponent edges (one block a row)', data, shape: [blocks.length, 32] },
    // −0 and tiny negatives: the −0 code
    {
      name: 'signed zeros',
      data: Float32Array.of(-0, 0, -1e-30, 1e-30, -0, 2, -0, -1e-7, 0.001, -0.001),
      shape: [2, 5],
    },
  ];
}

/** NF4 thresholds: values exactly on each midpoint (scale 1: the block's absmax is 1), just above, just below. */
function nf4Data(): Float32Array {
  const vals = [1];
  for (const m of NF4_MIDPOINTS) {
    vals.push(m, f(m * (1 + 2 ** -23)), f(m * (1 - 2 ** -24)));
  }
  vals.push(-1, -0, 0.999, -0.999);
  return Float32Array.from(vals);
}

/** Every case of the table. */
export function formatCases(): CoreCase[] {
  const cases: CoreCase[] = [];
  const normal = lcgNormal(8 * 48, 81);
  const shapes: { name: string; data: Float32Array; shape: number[] }[] = [
    { name: 'one element', data: Float32Array.of(-0.37), shape: [1] },
    { name: 'one element 2-D', data: Float32Array.of(2.5), shape: [1, 1] },
    { name: '1-D 100', data: lcgNormal(100, 82), shape: [100] },
    { name: 'rows of 33', data: lcgNormal(3 * 33, 83), shape: [3, 33] },
    { name: 'rows of 65', data: lcgNormal(2 * 65, 84, 2), shape: [2, 65] },
    { name: 'rows of 5 (shorter than an MX block)', data: lcgNormal(4 * 5, 85), shape: [4, 5] },
    { name: '8×48 normal', data: normal, shape: [8, 48] },
    {
      name: 'zero blocks among others',
      data: lcgNormal(4 * 40, 86).map((v, i) => (i < 40 || (i >= 80 && i < 112) ? 0 : v)),
      shape: [4, 40],
    },
    { name: 'all zero', data: new Float32Array(40), shape: [2, 20] },
    { name: 'huge and tiny', data: Float32Array.of(1e30, -1e30, 1e-30, 0, 3, -7, 1e-38, 2), shape: [2, 4] },
    ...exponentEdgeData(),
  ];
  for (const format of OTHER_FORMATS) {
    const t = tieData(format);
    cases.push({ name: `${format} ties`, ...t, config: { format, granularity: 'channel' } });
    cases.push({
      name: `${format} subnormals`,
      data: subnormalData(format),
      shape: [subnormalData(format).length],
      config: { format },
    });
    const sat = saturationData(format);
    cases.push({ name: `${format} saturation`, data: sat, shape: [sat.length], config: { format } });
    for (const s of shapes) {
      for (const config of [
        { format },
        { format, granularity: 'channel' },
        { format, granularity: 'group', groupSize: 16 },
        { format, granularity: 'group', groupSize: 7 }, // ragged last groups (ignored by MX, fp16, bf16)
      ] as Partial<QuantConfig>[]) {
        cases.push({
          name: `${format} ${s.name} ${config.granularity ?? 'tensor'}${config.groupSize ? ` ${config.groupSize}` : ''}`,
          data: s.data,
          shape: s.shape,
          config,
        });
      }
    }
  }
  const nf4 = nf4Data();
  cases.push({ name: 'nf4 on the midpoints', data: nf4, shape: [nf4.length], config: { format: 'nf4' } });
  return cases;
}

/** Every way `got` differs from `want`, bit for bit (−0 ≠ +0), scaleCodes and levels included. */
export function compareFormatResults(got: QuantResult, want: QuantResult): string[] {
  return compareResults(got, want, 1e-6, true);
}

/** Runs `quantize` on the cases (every `stride`-th) and lists each case that differs from the oracle. */
export function formatFailures(
  quantize: (c: CoreCase) => Promise<QuantResult>,
  stride = 1,
): Promise<string[]> {
  return tableFailures(formatCases(), quantize, compareFormatResults, stride);
}
