/**
 * A widget's jax-js session: owns its weights on the device, the cached
 * rounding noise and MSE candidates, and the jit-compiled quantizers;
 * everything it creates is released by dispose().
 */
import { jit, type Array, type Device, type OwnedFunction } from '@jax-js/jax';
import { blocksFor, type Blocks } from './blocks.js';
import { codeRange, resolveConfig, type QuantConfig } from './config.js';
import { toFloat32 } from './data.js';
import { QuantError } from './errors.js';
import { quantizeFormatTraced, type FormatOutputs } from './formats/engine.js';
import {
  calibrationOperand,
  errorSumsOf,
  hasFloat64,
  percentileSorted,
  quantizeTraced,
  statsOfSums,
  type QuantOutputs,
} from './quantize.js';
import {
  arrange,
  assemble,
  codesFitBytes,
  readResult,
  slotsOf,
  type Deferred,
  type ResultArray,
  type Wanted,
} from './read.js';
import { MSE_ALPHAS } from './reference.js';
import type { QuantResult } from './result.js';
import { upload } from './upload.js';
import { roundingNoise } from './weights.js';

export interface QuantizeOptions {
  /** Also return `clipped`, 1 where an element's unclamped code fell outside [qmin, qmax]. */
  clipMask?: boolean;
  /** Also return `absError`, |x − dequantized| per element in float32 (computed on the device). */
  absError?: boolean;
  /** Also return `codeBytes` (code − qmin, a byte each) for `int` at ≤ 8 bits; ignored otherwise. */
  codeBytes?: boolean;
  /**
   * The per-element arrays (`codes`, `dequantized`, `clipped`, `absError`, `codeBytes`) to read back before
   * resolving; default all. The others stay on the device and are read on first access: a view
   * that needs one array waits for that copy alone. On wasm, those still unread when the
   * session next quantizes (or gets new data, or is disposed) are freed unread, and a later first
   * access recomputes the result from the same weights and config, synchronously (the same
   * numbers); elsewhere they are read after the caller's task.
   */
  read?: readonly ResultArray[];
  /**
   * Compute `stats` on first access instead of before resolving: for a view that draws the
   * arrays and not the statistics (the heatmap), whose five full reductions then leave the path
   * to the screen. `int` format on wasm and cpu only (others ignore it). The float32-overflow
   * check then rests on the scales (the statistics are not there yet).
   */
  statsLater?: boolean;
}

/** What a quantizer returns: the outputs wanted, or the dequantized values alone. */
type Mode = Wanted | 'dequantized';

const RESULT_ARRAYS: readonly ResultArray[] = ['codes', 'dequantized', 'clipped', 'absError', 'codeBytes'];

export interface SessionOptions {
  /**
   * Compile each config's quantizer with jax-js jit (fused kernels: a few
   * dispatches instead of dozens). Pays off from the second call on; one-shot
   * callers run eagerly. `reused`: a config runs eagerly on first use and is compiled
   * on its second (quantizeArray's shared sessions: repeated calls pay the compile once).
   */
  jit?: boolean | 'reused';
  /**
   * Share this session's compiled quantizers (they take the weights as an argument): a session on
   * other weights of the same shape compiles nothing new. Each session is disposed on its own.
   */
  compiledWith?: QuantSession;
}

type Outputs = QuantOutputs | FormatOutputs;
type Quantizer = OwnedFunction<(...args: Array[]) => Array[] | Array>;

/** Compiled quantizers by key, and how many sessions use them (the last disposes them). */
interface Compiled {
  fns: Map<string, Quantizer>;
  users: number;
}

/** The whole quantization as jax-js ops for any format (the int path takes its calibration operand and noise). */
function traced(
  x: Array,
  operand: Array | null,
  noise: Array | null,
  config: QuantConfig,
  blocks: Blocks,
  wideSums: boolean,
  mask: boolean,
  sorted: Array | null = null,
): Outputs {
  if (config.format === 'int')
    return quantizeTraced(x, operand, noise, config, blocks, wideSums, mask, sorted);
  operand?.dispose();
  sorted?.dispose();
  return quantizeFormatTraced(x, config, blocks, wideSums, mask);
}

/** The outputs a mode returns (the others disposed: under jit, never computed); consumes x. */
function pick(o: Outputs, x: Array, config: QuantConfig, mode: Mode): Array[] | Array {
  const isInt = config.format === 'int';
  const qmin = isInt ? codeRange(config.bits, config.scheme).qmin : 0;
  if (mode !== 'dequantized') return arrange(o, x, isInt, mode, qmin);
  x.dispose();
  o.forEach((a, i) => i !== 1 && a.dispose());
  return o[1];
}

/** Whether the quantizer must compute the clip mask. */
function masked(mode: Mode): boolean {
  return mode !== 'dequantized' && (mode.clipped || mode.rawMask);
}

/**
 * A whole quantization of `values` now, on the calling thread (jax-js dataSync), every array read:
 * what a result's getters fall back to once the session freed its unread arrays. The same ops as
 * the session's on the same inputs, so the same numbers.
 */
function quantizeNow(
  values: Float32Array,
  shape: readonly number[],
  config: QuantConfig,
  device: Device,
  want: Wanted,
): QuantResult {
  const blocks = blocksFor(shape, config);
  const isInt = config.format === 'int';
  const x = upload(values, [values.length], device);
  let u: Array | null = null;
  if (isInt && config.rounding === 'stochastic') {
    u = roundingNoise(config.seed, values.length);
    if (u.device !== device) u = upload(u.dataSync() as Float32Array, [values.length], device);
  }
  const sorted =
    isInt && config.calibration === 'percentile' ? percentileSorted(x.ref, config, blocks) : null;
  const operand = calibrationOperand(config, blocks, device);
  const full: Wanted = { ...want, sums: true, rawMask: false };
  const o = traced(x.ref, operand, u, config, blocks, hasFloat64(device), full.clipped, sorted);
  const outputs = pick(o, x, config, full) as Array[];
  const read = outputs.map((a) => a.dataSync() as unknown as ArrayLike<number>);
  return assemble(read, slotsOf(isInt, full), config, blocks.groups, { shape, device });
}

/**
 * Element-ops below which a quantization runs on the calling thread (~1 ms):
 * worker round trips would cost more than the work.
 */
const SYNC_WORK_LIMIT = 1 << 16;

/** Compiled quantizers kept per session; the oldest is disposed beyond this. */
const MAX_COMPILED = 24;

export class QuantSession {
  readonly device: Device;
  readonly #jit: boolean | 'reused';
  /** Keys run once eagerly (jit `reused`), oldest first. */
  readonly #seen = new Set<string>();
  #x: Array | null = null;
  #shape: number[] = [];
  #noise: { seed: number; data: Array; values: Array } | null = null;
  /** The sorted blocks percentile calibration reads (percentileSorted), for one layout of the data. */
  #sorted: { key: string; data: Array; values: Array } | null = null;
  #alphas: Array | null = null;
  readonly #shared: Compiled;
  readonly #compiled: Map<string, Quantizer>;
  /** Arrays of results not read yet that cannot be recomputed: read after the caller's task. */
  #deferred: Deferred<unknown>[] = [];
  /** Unread arrays that can be recomputed (wasm, cpu): freed unread when the session moves on. */
  #held: Deferred<unknown>[] = [];
  /** The weights as given to setData (never changed: recomputation reads them). */
  #values: Float32Array | null = null;
  #settleTimer: ReturnType<typeof setTimeout> | null = null;
  #disposed = false;

  constructor(device: Device, options: SessionOptions = {}) {
    this.device = device;
    this.#jit = options.jit ?? true;
    const other = options.compiledWith;
    this.#shared = other ? other.#shared : { fns: new Map(), users: 0 };
    this.#shared.users++;
    this.#compiled = this.#shared.fns;
  }

  get shape(): readonly number[] {
    return this.#shape;
  }

  /** Frees the weights on the device (quantize needs setData again); compiled quantizers stay. */
  clearData(): void {
    this.#release();
    this.#values = null;
    this.#x?.dispose();
    this.#x = null;
    this.#dropNoise();
    this.#dropSorted();
  }

  /** Replaces the weights (validated, copied to the device). */
  setData(data: ArrayLike<number>, shape: readonly number[]): void {
    this.#check();
    const x = toFloat32(data, shape);
    this.#release();
    this.#values = x;
    this.#x?.dispose();
    this.#x = upload(x, [x.length], this.device);
    this.#shape = [...shape];
    this.#dropNoise();
    this.#dropSorted();
  }

  /**
   * Quantizes the session's weights. `clipMask` also returns which elements
   * were clipped (`result.clipped`), as the engine decided it.
   */
  async quantize(partial: Partial<QuantConfig> = {}, options: QuantizeOptions = {}): Promise<QuantResult> {
    const clipMask = options.clipMask ?? false;
    // wasm only: on jax-js's cpu backend a compiled and an eager run can differ (not a recompute).
    const recoverable = this.device === 'wasm';
    // wasm and cpu only: the later sums are read with dataSync, a blocking read elsewhere.
    const asked = resolveConfig(partial);
    const later = options.statsLater === true && asked.format === 'int' && recoverable;
    // Later statistics are computed from the int32 mask, kept on the device for them.
    const want: Wanted = {
      sums: !later,
      clipped: clipMask,
      absError: options.absError ?? false,
      codeBytes: options.codeBytes === true && codesFitBytes(asked),
      rawMask: later,
    };
    const values = this.#values;
    const run = await this.#run(partial, want);
    const { config, blocks, shape } = run;
    const isInt = config.format === 'int';
    const padded = blocks.groups * blocks.length;
    const mse = isInt && config.calibration === 'mse';
    const work = padded * (mse ? MSE_ALPHAS.length : 1);
    const read = options.read ?? RESULT_ARRAYS;
    const outputs = run.outputs as Array[];
    const slots = slotsOf(isInt, want);
    // Once the session frees what was not read, the result recomputes itself (the same numbers).
    let full: QuantResult | null = null;
    const recover =
      recoverable && values
        ? () => (full ??= quantizeNow(values, shape, config, this.device, want))
        : undefined;
    let sums: Deferred<QuantResult['stats']> | null = null;
    if (later) {
      const mask = outputs.pop()!;
      slots.pop();
      sums = this.#laterStats(
        { x: run.x!, dequantized: outputs[1].ref, mask },
        config,
        blocks,
        shape,
        recover,
      );
    }
    let result: QuantResult;
    try {
      result = await readResult(
        outputs,
        slots,
        config,
        blocks.groups,
        { shape, device: this.device },
        {
          sync: this.device === 'wasm' && work <= SYNC_WORK_LIMIT,
          later: RESULT_ARRAYS.filter((k) => !read.includes(k)),
          defer: (d) => this.#defer(d, recover !== undefined),
          recover,
        },
      );
    } catch (e) {
      // The read failed (e.g. float32 overflow): what the sums hold is freed with them.
      sums?.settle();
      throw e;
    }
    if (sums) {
      this.#defer(sums, true);
      Object.defineProperty(result, 'stats', { get: sums.get, enumerable: true, configurable: true });
    }
    return result;
  }

  /** The statistics of a quantization from its outputs, computed on first access (or recomputed). */
  #laterStats(
    pending: { x: Array; dequantized: Array; mask: Array },
    config: QuantConfig,
    blocks: Blocks,
    shape: readonly number[],
    recover: (() => QuantResult) | undefined,
  ): Deferred<QuantResult['stats']> {
    const wideSums = hasFloat64(this.device);
    const key = JSON.stringify(['sums', blocks, wideSums]);
    const sumsFn =
      this.#compiled.get(key) ??
      (jit((x: Array, dq: Array, m: Array) => errorSumsOf(x, dq, m, blocks, wideSums)) as Quantizer);
    // Most recently used last, as the quantizers (a disposed jit still runs: it keeps its cache).
    this.#remember(key, sumsFn);
    let source: typeof pending | null = pending;
    let stats: QuantResult['stats'] | null = null;
    const get = () => {
      if (stats) return stats;
      if (source) {
        const { x, dequantized, mask } = source;
        source = null;
        const sums = sumsFn(x, dequantized, mask) as Array;
        stats = statsOfSums(sums.dataSync() as unknown as ArrayLike<number>, config, blocks.groups, shape);
      } else stats = recover!().stats;
      return stats;
    };
    const drop = () => {
      if (!recover) return void get();
      if (source) for (const a of Object.values(source)) a.dispose();
      source = null;
    };
    return { get, settle: () => void get(), drop };
  }

  /**
   * Keeps `d`: held until the session moves on if the result can recompute it, else read after
   * the current task (its caller has drawn) and freed.
   */
  #defer(d: Deferred<unknown>, recoverable: boolean): void {
    if (recoverable) {
      this.#held.push(d);
      return;
    }
    this.#deferred.push(d);
    this.#settleTimer ??= setTimeout(() => this.#settle(), 0);
  }

  /** Reads back every deferred array that cannot be recomputed (a copy each) and frees it. */
  #settle(): void {
    if (this.#settleTimer !== null) clearTimeout(this.#settleTimer);
    this.#settleTimer = null;
    for (const d of this.#deferred.splice(0)) d.settle();
  }

  /**
   * Frees what earlier results left unread (the device then holds one quantization's outputs at
   * a time; the wasm heap never shrinks): recomputable arrays unread, the others read first.
   */
  #release(): void {
    this.#settle();
    for (const d of this.#held.splice(0)) d.drop();
  }

  /**
   * The dequantized weights only, left on the device (flat [n], the caller owns it), and the
   * number of scales: for passes that use them there (a model's forward pass), with no read-back.
   */
  async dequantized(partial: Partial<QuantConfig> = {}): Promise<{ values: Array; scales: number }> {
    const { blocks, outputs } = await this.#run(partial, 'dequantized');
    return { values: outputs as Array, scales: blocks.groups };
  }

  async #run(
    partial: Partial<QuantConfig>,
    mode: Mode,
  ): Promise<{
    config: QuantConfig;
    blocks: Blocks;
    outputs: Array[] | Array;
    shape: number[];
    /** rawMask wanted: a reference to the weights quantized, for the sums later. */
    x?: Array;
  }> {
    this.#check();
    this.#release();
    const mask = masked(mode);
    const data = this.#x;
    if (!data) throw new QuantError('invalid-data', 'no data: call setData first');
    const config = resolveConfig(partial);
    const shape = this.#shape;
    const blocks = blocksFor(shape, config);
    // Our own reference, taken before any await: a setData() meanwhile cannot swap or free it.
    const x = data.ref;
    const isInt = config.format === 'int';
    let u: Array | null = null;
    try {
      if (isInt && config.rounding === 'stochastic') u = await this.#noiseFor(config.seed, data);
      this.#check();
    } catch (e) {
      x.dispose();
      u?.dispose();
      throw e;
    }
    // Continuous values (percentile) reach the quantizer as operands, never as compiled constants.
    const operand =
      isInt && config.calibration === 'mse'
        ? this.#mseAlphas()
        : calibrationOperand(config, blocks, this.device);
    const wideSums = hasFloat64(this.device);
    const sorted =
      isInt && config.calibration === 'percentile' ? this.#sortedFor(config, blocks, data) : null;
    const kept = mode !== 'dequantized' && mode.rawMask ? { x: x.ref } : {};
    const args = [x, ...(operand ? [operand] : []), ...(u ? [u] : []), ...(sorted ? [sorted] : [])];
    let outputs: Array[] | Array;
    try {
      if (!this.#compiles(this.#keyOf(config, blocks, mode))) {
        const o = traced(x.ref, operand, u, config, blocks, wideSums, mask, sorted);
        outputs = pick(o, x, config, mode);
      } else {
        const quantizer = this.#quantizer(
          config,
          blocks,
          operand !== null,
          u !== null,
          sorted !== null,
          wideSums,
          mode,
        );
        outputs = quantizer(...args) as Array[] | Array;
      }
    } catch (e) {
      kept.x?.dispose();
      throw e;
    }
    return { config, blocks, shape, outputs, ...kept };
  }

  /** The compiled quantizer of a config and block layout (seed aside, it only picks the noise). */
  #quantizer(
    config: QuantConfig,
    blocks: Blocks,
    hasOperand: boolean,
    stochastic: boolean,
    presorted: boolean,
    wideSums: boolean,
    mode: Mode,
  ): Quantizer {
    const key = this.#keyOf(config, blocks, mode);
    const mask = masked(mode);
    let fn = this.#compiled.get(key);
    if (fn) {
      // Most recently used last, so eviction takes the oldest.
      this.#compiled.delete(key);
    } else {
      fn = jit((...args: Array[]) => {
        const [x, ...more] = args;
        const operand = hasOperand ? (more.shift() as Array) : null;
        const noise = stochastic ? (more.shift() as Array) : null;
        const sorted = presorted ? (more.shift() as Array) : null;
        // What does not leave the compiled function is never computed.
        const o = traced(x.ref, operand, noise, config, blocks, wideSums, mask, sorted);
        return pick(o, x, config, mode);
      }) as Quantizer;
    }
    this.#remember(key, fn);
    return fn;
  }

  /** Keeps a compiled function, most recent last, the oldest disposed beyond MAX_COMPILED. */
  #remember(key: string, fn: Quantizer): void {
    // Safe with a shared map (compiledWith): sessions look a quantizer up on every call and never
    // hold one across calls, and a jit's dispose() only frees its traced constants, which a call
    // already dispatched has taken its own references to; a session whose entry went recompiles.
    this.#compiled.delete(key);
    while (this.#compiled.size >= MAX_COMPILED) {
      const [oldest, old] = this.#compiled.entries().next().value as [string, Quantizer];
      old.dispose();
      this.#compiled.delete(oldest);
    }
    this.#compiled.set(key, fn);
  }

  /** What identifies a compiled quantizer. */
  #keyOf(config: QuantConfig, blocks: Blocks, mode: Mode): string {
    // Only what changes the computation: the seed just picks the noise, the percentile is an
    // operand, and the int-only fields do nothing to other formats (whose blocks are in `blocks`).
    const { seed: _seed, percentile: _percentile, ...rest } = config;
    return JSON.stringify([config.format === 'int' ? rest : config.format, blocks, mode]);
  }

  /** Whether the quantizer of `key` runs compiled (jit `reused`: from its second use). */
  #compiles(key: string): boolean {
    if (this.#jit !== 'reused') return this.#jit;
    if (this.#compiled.has(key) || this.#seen.delete(key)) return true;
    this.#seen.add(key);
    if (this.#seen.size > MAX_COMPILED) this.#seen.delete(this.#seen.values().next().value as string);
    return false;
  }

  /**
   * The sorted blocks of `data` for a percentile config's layout (a new reference the caller
   * consumes): sorted once while the data, the layout and the scheme stay, whatever the bits and
   * the percentile (a bits change or the histogram's compare panels then sort nothing).
   */
  #sortedFor(config: QuantConfig, blocks: Blocks, data: Array): Array {
    const key = JSON.stringify([config.scheme === 'symmetric', blocks]);
    const cached = this.#sorted;
    if (cached && cached.key === key && cached.data === data) return cached.values.ref;
    const values = percentileSorted(data.ref, config, blocks);
    if (this.#x !== data) return values;
    this.#dropSorted();
    this.#sorted = { key, data, values };
    return values.ref;
  }

  #dropSorted(): void {
    this.#sorted?.values.dispose();
    this.#sorted = null;
  }

  #mseAlphas(): Array {
    this.#alphas ??= upload(Float32Array.from(MSE_ALPHAS), [MSE_ALPHAS.length], this.device);
    return this.#alphas.ref;
  }

  /**
   * The noise of `seed` for `data` (a new reference the caller consumes). It is
   * cached while seed and data stay; if setData() ran while the noise was being
   * moved to the device, it is returned without being cached.
   */
  async #noiseFor(seed: number, data: Array): Promise<Array> {
    const cached = this.#noise;
    if (cached && cached.seed === seed && cached.data === data) return cached.values.ref;
    let values = roundingNoise(seed, data.size);
    if (values.device !== this.device) {
      values = upload((await values.data()) as Float32Array, [values.size], this.device);
    }
    if (this.#disposed || this.#x !== data) return values;
    this.#dropNoise();
    this.#noise = { seed, data, values };
    return values.ref;
  }

  #dropNoise(): void {
    this.#noise?.values.dispose();
    this.#noise = null;
  }

  #check(): void {
    if (this.#disposed) throw new QuantError('runtime', 'session is disposed');
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#release();
    this.#values = null;
    this.#x?.dispose();
    this.#x = null;
    this.#dropNoise();
    this.#dropSorted();
    this.#alphas?.dispose();
    this.#alphas = null;
    if (--this.#shared.users > 0) return;
    for (const fn of this.#compiled.values()) fn.dispose();
    this.#compiled.clear();
  }
}
