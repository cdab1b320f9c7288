/**
 * The arena's options and result (SPEC §2.2 `quant-arena`, §2.4 its result), and their validation.
 * Pure: no jax-js, no DOM.
 */
import type { Device } from '@jax-js/jax';
import { QuantError } from '../errors.js';
import { CONFIG_FIELDS } from '../fields.js';

/** Every path the arena can time, in the order they run and are listed. */
export const ARENA_PATHS = ['float32', 'int-jax', 'float16', 'f32-simd', 'i8-simd', 'i8-relaxed'] as const;
export type ArenaPath = (typeof ARENA_PATHS)[number];

/** Paths that run on jax-js, once per device. */
export const JAX_PATHS: readonly ArenaPath[] = ['float32', 'int-jax', 'float16'];
/** Paths on the repo's own WebAssembly SIMD kernels, on the pseudo-device `wasm-simd`. */
export const SIMD_PATHS: readonly ArenaPath[] = ['f32-simd', 'i8-simd', 'i8-relaxed'];
export const SIMD_DEVICE = 'wasm-simd';

export const ARENA_MODES = ['matmul', 'matvec', 'both'] as const;
export type ArenaMode = (typeof ARENA_MODES)[number];

export const ARENA_DEVICES: readonly Device[] = ['wasm', 'webgpu', 'webgl', 'cpu'];
/** What `devices: 'auto'` tries: jax-js's `cpu` and `webgl` only when named. */
export const AUTO_DEVICES: readonly Device[] = ['wasm', 'webgpu'];

export const SIZE_RANGE = { min: 16, max: 2048 } as const;
export const ITERATIONS_RANGE = { min: 1, max: 1000 } as const;

export interface ArenaOptions {
  /** n of the n×n matrices (16–2048). */
  size: number;
  /** Timed runs per path, device and shape (1–1000), after the warm-up. */
  iterations: number;
  mode: ArenaMode;
  devices: 'auto' | Device[];
  paths: ArenaPath[];
  /** Seed of the generated operands. */
  seed: number;
  /** Wall-clock budget of the whole arena in ms: a unit that would exceed what is left is skipped. */
  budgetMs: number;
}

export const DEFAULT_ARENA_OPTIONS: Readonly<ArenaOptions> = Object.freeze({
  size: 256,
  iterations: 20,
  mode: 'both',
  devices: 'auto',
  paths: [...ARENA_PATHS],
  seed: 95,
  budgetMs: 120_000,
});

/** One timed (path, device, shape). */
export interface ArenaRun {
  path: ArenaPath;
  /** A jax-js device, or `wasm-simd` for the SIMD kernels. */
  device: string;
  /** [m, k, n]: C[m×n] = A[m×k] · B[k×n]. */
  shape: [number, number, number];
  medianMs: number;
  p25Ms: number;
  p75Ms: number;
  /** 2·m·k·n / median, in GFLOP/s. */
  gflops: number;
  /** Operand bytes read per run, as the path holds them on its device. */
  bytes: number;
  /** max |C − C_float32| against the float32 result of the same operands (see `reference`). */
  maxAbsError: number;
  /** What the error is measured against. */
  reference: string;
  /** How the path computes (data types, zero-point correction), when it is not plain float32. */
  note?: string;
}

export interface ArenaSkip {
  path: ArenaPath;
  device: string;
  /** The shape it would have timed, when the skip is about one shape (budget); absent when it is the device or feature. */
  shape?: [number, number, number];
  reason: string;
}

export interface ArenaMemory {
  /** The n×n matrix as float32. */
  float32Bytes: number;
  /** As int8 codes plus one float32 scale. */
  int8Bytes: number;
  /** As 4-bit codes packed two a byte plus one float32 scale. */
  int4Bytes: number;
}

export interface ArenaResult {
  size: number;
  mode: ArenaMode;
  iterations: number;
  runs: ArenaRun[];
  skipped: ArenaSkip[];
  memory: ArenaMemory;
  /** Threads jax-js's wasm backend ran on (1, or the worker pool's size); the SIMD pair uses one. */
  wasmThreads: number;
  /** Generated from the numbers by arenaNote(). */
  note: string;
}

/** A type, not an interface, so it also fits event details with an index signature. */
export type ArenaProgress = {
  done: number;
  total: number;
  path: ArenaPath;
  device: string;
};

export interface ArenaHooks {
  signal?: AbortSignal;
  /** Called after each (path, device, shape) unit, timed or skipped. */
  onProgress?: (progress: ArenaProgress) => void;
}

function invalid(message: string): never {
  throw new QuantError('invalid-config', message);
}

function intIn(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    invalid(`${name} must be an integer ${min}–${max} (got ${String(v)})`);
  }
  return v;
}

/** Options filled with the defaults and checked; rejects invalid ones with a QuantError. */
export function resolveArenaOptions(partial: Partial<ArenaOptions> = {}): ArenaOptions {
  const o = { ...DEFAULT_ARENA_OPTIONS, ...partial };
  const size = intIn('size', o.size, SIZE_RANGE.min, SIZE_RANGE.max);
  const iterations = intIn('iterations', o.iterations, ITERATIONS_RANGE.min, ITERATIONS_RANGE.max);
  if (!ARENA_MODES.includes(o.mode)) invalid(`mode must be one of ${ARENA_MODES.join(', ')}`);
  let devices: 'auto' | Device[] = 'auto';
  if (o.devices !== 'auto') {
    if (!Array.isArray(o.devices) || o.devices.length === 0) invalid(`devices must be 'auto' or a list`);
    for (const d of o.devices) {
      if (!ARENA_DEVICES.includes(d))
        invalid(`devices: ${String(d)} is not one of ${ARENA_DEVICES.join(', ')}`);
    }
    devices = [...new Set(o.devices)];
  }
  if (!Array.isArray(o.paths) || o.paths.length === 0) invalid(`paths must be a non-empty list`);
  for (const p of o.paths) {
    if (!ARENA_PATHS.includes(p)) invalid(`paths: ${String(p)} is not one of ${ARENA_PATHS.join(', ')}`);
  }
  // Always in the canonical order, so results list the same way whatever order was asked.
  const paths = ARENA_PATHS.filter((p) => o.paths.includes(p));
  if (!CONFIG_FIELDS.seed.valid(o.seed))
    invalid(`seed must be ${CONFIG_FIELDS.seed.allowed} (got ${String(o.seed)})`);
  if (typeof o.budgetMs !== 'number' || !(o.budgetMs > 0)) invalid(`budgetMs must be a positive number`);
  return { size, iterations, mode: o.mode, devices, paths, seed: o.seed, budgetMs: o.budgetMs };
}

/** The shapes a mode times: [m, k, n]. */
export function shapesFor(size: number, mode: ArenaMode): [number, number, number][] {
  const shapes: [number, number, number][] = [];
  if (mode !== 'matvec') shapes.push([size, size, size]);
  if (mode !== 'matmul') shapes.push([size, size, 1]);
  return shapes;
}

/** 2·m·k·n: the multiply-adds of one product, counted as two operations. */
export function flopsOf([m, k, n]: readonly number[]): number {
  return 2 * m * k * n;
}
