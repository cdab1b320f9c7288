/**
 * What <quant-arena> shows, from a result alone (no DOM, Node-tested): its attributes' fields,
 * the rows of the results table, the bars of the chart, the memory table.
 */
import {
  ARENA_DEVICES,
  ARENA_MODES,
  ARENA_PATHS,
  DEFAULT_ARENA_OPTIONS,
  ITERATIONS_RANGE,
  SIZE_RANGE,
  type ArenaMemory,
  type ArenaMode,
  type ArenaPath,
  type ArenaResult,
  type ArenaRun,
} from '../../core/arena/types.js';
import type { DeviceChoice } from '../../core/config.js';
import type { MatmulResult } from '../../core/matmul.js';
import { choiceField, integerField, parseWords, type Field } from '../../core/fields.js';

export type ArenaDevice = Exclude<DeviceChoice, 'auto'>;

/** What the element asks its worker. */
export type ArenaRequest =
  | {
      kind: 'run';
      options: {
        size: number;
        iterations: number;
        mode: ArenaMode;
        devices: 'auto' | ArenaDevice[];
        paths: ArenaPath[];
      };
    }
  | { kind: 'prepare'; a: number[]; b: number[] };

/** What the worker answers: the result of a run, or the devices `auto` uses and the worked example. */
export type ArenaResponse =
  { kind: 'run'; result: ArenaResult } | { kind: 'prepare'; devices: string[]; example: MatmulResult };

// Ranges and defaults are the runner's own (src/core/arena/types.ts).
const D = DEFAULT_ARENA_OPTIONS;
export const SIZE_FIELD = integerField(D.size, SIZE_RANGE.min, SIZE_RANGE.max);
export const ITERATIONS_FIELD = integerField(D.iterations, ITERATIONS_RANGE.min, ITERATIONS_RANGE.max);
export const MODE_FIELD = choiceField<ArenaMode>(D.mode, ARENA_MODES);

/** `auto`, or a space-separated list of devices. */
export const DEVICES_FIELD: Field<'auto' | ArenaDevice[]> = {
  default: 'auto',
  allowed: `auto, or a space-separated list of ${ARENA_DEVICES.join(', ')}`,
  parse: (t) => (t.trim() === 'auto' ? 'auto' : parseWords(t, (w) => ARENA_DEVICES.find((d) => d === w))),
  valid: (v): v is 'auto' | ArenaDevice[] =>
    v === 'auto' || (Array.isArray(v) && v.length > 0 && v.every((d) => ARENA_DEVICES.includes(d))),
  format: (v) => (v === 'auto' ? 'auto' : v.join(' ')),
};

/** A space-separated subset of the paths (default: all). */
export const PATHS_FIELD: Field<ArenaPath[]> = {
  default: [...ARENA_PATHS],
  allowed: `a space-separated subset of ${ARENA_PATHS.join(' ')}`,
  parse: (t) => parseWords(t, (w) => ARENA_PATHS.find((p) => p === w)),
  valid: (v): v is ArenaPath[] => Array.isArray(v) && v.length > 0 && v.every((p) => ARENA_PATHS.includes(p)),
  format: (v) => v.join(' '),
};

/** A boolean attribute: present (any text) is true, absent is false. */
export const BOOLEAN_FIELD: Field<boolean> = {
  default: false,
  allowed: 'present or absent',
  parse: () => true,
  valid: (v): v is boolean => typeof v === 'boolean',
  format: () => '',
};

export type { ArenaMode, ArenaPath, ArenaResult, ArenaRun };
export { ARENA_PATHS };

export const isMatvec = (r: ArenaRun) => r.shape[2] === 1;

/** GFLOP/s at a time: 2·m·k·n / t. */
export function gflopsAt(shape: readonly number[], ms: number): number {
  return (2 * shape[0] * shape[1] * shape[2]) / (ms * 1e6);
}

export interface Bars {
  labels: string[];
  paths: ArenaPath[];
  gflops: number[];
  /** GFLOP/s at p75 (slower) and p25 (faster) times: the error bar. */
  low: number[];
  high: number[];
}

/** The chart's bars for one shape kind: one per path × device that ran, fastest first. */
export function barsOf(result: Pick<ArenaResult, 'runs'>, kind: 'matmul' | 'matvec'): Bars {
  const runs = result.runs
    .filter((r) => isMatvec(r) === (kind === 'matvec'))
    .sort((a, b) => b.gflops - a.gflops);
  return {
    labels: runs.map((r) => `${r.path} · ${r.device}`),
    paths: runs.map((r) => r.path),
    gflops: runs.map((r) => r.gflops),
    low: runs.map((r) => gflopsAt(r.shape, r.p75Ms)),
    high: runs.map((r) => gflopsAt(r.shape, r.p25Ms)),
  };
}

export interface MemoryRow {
  format: string;
  bytes: number;
  ratio: number;
}

/** The n×n matrix as float32, int8 and packed int4 (each with its scale), from the result. */
export function memoryRows(memory: ArenaMemory): MemoryRow[] {
  const rows: [string, number][] = [
    ['float32', memory.float32Bytes],
    ['int8 (+ scale)', memory.int8Bytes],
    ['int4 packed (+ scale)', memory.int4Bytes],
  ];
  return rows.map(([format, bytes]) => ({ format, bytes, ratio: memory.float32Bytes / bytes }));
}

/** The codes and parameters of one quantized operand (a core QuantResult has these). */
export interface Operand {
  codes: Int32Array;
  scale: Float32Array;
  zeroPoint: Int32Array;
}

export interface WorkedExample {
  m: number;
  k: number;
  n: number;
  /** Σ_k qa·qb: the raw int32 product. */
  raw: number[];
  /** zb · Σ_k qa (per row of A). */
  rowTerm: number[];
  /** za · Σ_k qb (per column of B). */
  colTerm: number[];
  /** K · za · zb. */
  constant: number;
  /** raw − rowTerm − colTerm + constant: what an integer kernel accumulates. */
  corrected: number[];
  /** sa · sb · corrected. */
  output: number[];
}

/** The article's quantized matmul as arithmetic on the codes (SPEC §3), exact in integers. */
export function workedExample(a: Operand, b: Operand, m: number, k: number, n: number): WorkedExample {
  const [za, zb] = [a.zeroPoint[0], b.zeroPoint[0]];
  const scale = Math.fround(a.scale[0] * b.scale[0]);
  const raw: number[] = [];
  const rowTerm: number[] = [];
  const colTerm: number[] = [];
  const corrected: number[] = [];
  const output: number[] = [];
  for (let i = 0; i < m; i++) {
    let rowSum = 0;
    for (let t = 0; t < k; t++) rowSum += a.codes[i * k + t];
    for (let j = 0; j < n; j++) {
      let dot = 0;
      let colSum = 0;
      for (let t = 0; t < k; t++) {
        dot += a.codes[i * k + t] * b.codes[t * n + j];
        colSum += b.codes[t * n + j];
      }
      raw.push(dot);
      rowTerm.push(zb * rowSum);
      colTerm.push(za * colSum);
      const c = dot - zb * rowSum - za * colSum + k * za * zb;
      corrected.push(c);
      output.push(Math.fround(c * scale));
    }
  }
  return { m, k, n, raw, rowTerm, colTerm, constant: k * za * zb, corrected, output };
}

/** A run's name in prose: its path, and its device when that is not the SIMD kernels' own. */
export function runName(r: Pick<ArenaRun, 'path' | 'device'>): string {
  return r.device === 'wasm-simd' ? r.path : `${r.path} on ${r.device}`;
}

/** 2 significant digits: 1.7, 12, 0.41. */
const two = (v: number) => (v >= 100 ? String(Math.round(v)) : String(Number(v.toPrecision(2))));

/**
 * The takeaway of one shape, a sentence that holds across runs. Medians flip between runs when
 * kernels are close, so it rests on the p25–p75 ranges: the contenders are the runs whose p25 is
 * within the best p75 of any run (none of them is measurably slower than the others' anchor);
 * one contender is named fastest, with its ratio and that ratio's range; several are "no
 * measurable difference".
 */
export function headline(
  result: Pick<ArenaResult, 'runs' | 'iterations'>,
  kind: 'matmul' | 'matvec',
): string {
  const runs = result.runs
    .filter((r) => isMatvec(r) === (kind === 'matvec'))
    .sort((a, b) => a.medianMs - b.medianMs);
  if (!runs.length) return '';
  const [m, k] = runs[0].shape;
  const shape = kind === 'matmul' ? `${m}×${k} · ${k}×${m} matmul` : `${m}×${k} · vector`;
  const spread = `p25–p75 of ${result.iterations} timed run${result.iterations === 1 ? '' : 's'}`;
  if (runs.length === 1) return `${shape}: only ${runName(runs[0])} ran.`;
  // The anchor: the run whose slow end (p75) is fastest; a run is measurably slower only when its fast end is slower still.
  const anchor = runs.reduce((a, b) => (b.p75Ms < a.p75Ms ? b : a));
  const tied = runs.filter((r) => r.p25Ms <= anchor.p75Ms);
  const next = runs.find((r) => r.p25Ms > anchor.p75Ms);
  const names = (xs: ArenaRun[]) =>
    xs.length <= 2
      ? xs.map(runName).join(' and ')
      : `${xs.slice(0, -1).map(runName).join(', ')} and ${runName(xs.at(-1)!)}`;
  if (tied.length === 1 && next) {
    // The ratio of medians, and how far it can go at the ranges' ends (p25/p75 to p75/p25).
    const ratio =
      `${two(next.medianMs / anchor.medianMs)}× ` +
      `(${two(next.p25Ms / anchor.p75Ms)}–${two(next.p75Ms / anchor.p25Ms)}×)`;
    return (
      `${shape}: ${runName(anchor)} is fastest, ${ratio} the speed of ${runName(next)}, ` +
      `the next (${spread}; the ranges do not overlap).`
    );
  }
  const lead = `${shape}: no measurable difference between ${names(tied)} (their ${spread} overlap)`;
  if (!next) return `${lead}.`;
  return (
    `${lead}; the others are measurably slower than ${runName(anchor)}, ` +
    `${runName(next)} by at least ${two(next.p25Ms / anchor.p75Ms)}×.`
  );
}
