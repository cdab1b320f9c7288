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
