/** The arena's benchmark runner (issue 9): no DOM, runs in Node, a page or the arena's Worker. */
export { runArena, PROBE_SIZE } from './run.js';
export { arenaNote, kindOf } from './note.js';
export { WARMUP_RUNS, MIN_SAMPLE_MS, abortError, quantileSorted, summarize } from './timing.js';
export { memoryOf, packInt4, OPERAND_STD } from './operands.js';
export {
  ARENA_PATHS,
  ARENA_MODES,
  ARENA_DEVICES,
  AUTO_DEVICES,
  JAX_PATHS,
  SIMD_PATHS,
  SIMD_DEVICE,
  SIZE_RANGE,
  ITERATIONS_RANGE,
  DEFAULT_ARENA_OPTIONS,
  resolveArenaOptions,
  shapesFor,
  flopsOf,
  type ArenaPath,
  type ArenaMode,
  type ArenaOptions,
  type ArenaRun,
  type ArenaSkip,
  type ArenaMemory,
  type ArenaResult,
  type ArenaProgress,
  type ArenaHooks,
} from './types.js';
