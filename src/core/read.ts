/**
 * From a quantizer's outputs on the device to a QuantResult: which outputs a caller asked for
 * (their order), how the clip mask travels (packed four per int32), and the reads, now or on first
 * access. On this kind of machine a read's cost is the fresh buffer it fills (~3 ms per MB in a
 * VM whose page faults are slow; copying into memory already touched is ~40× faster), so a
 * caller reads only the arrays it draws, and the mask moves as bytes, not int32.
 */
import { numpy as np, type Array } from '@jax-js/jax';
import { codeRange, type QuantConfig } from './config.js';
import { checkFinite } from './data.js';
import { QuantError } from './errors.js';
import type { FormatOutputs } from './formats/engine.js';
import { FORMAT_SPECS, formatRange, levelsOf } from './formats/tables.js';
import { statsOfSums, type QuantOutputs } from './quantize.js';
import type { QuantResult } from './result.js';

/** The per-element arrays of a result, which `read` may leave on the device until first access. */
export type ResultArray = 'codes' | 'dequantized' | 'clipped' | 'absError' | 'codeBytes';

/** A quantizer output by name. `rawMask`: the int32 clip mask, kept on the device for later sums. */
export type Slot = ResultArray | 'scale' | 'zeroPoint' | 'sums' | 'scaleCodes' | 'rawMask';

/** What a caller wants back besides codes, dequantized values, scale and zero-point. */
export interface Wanted {
  sums: boolean;
  clipped: boolean;
  absError: boolean;
  /** int with codes in a byte (bits ≤ 8): code − qmin per element, packed like the mask. */
  codeBytes: boolean;
  rawMask: boolean;
}

/** Whether a config's codes fit in a byte each (`codeBytes`): `int` at 8 bits or fewer. */
export function codesFitBytes(config: Pick<QuantConfig, 'format' | 'bits'>): boolean {
  return config.format === 'int' && config.bits <= 8;
}

/** The order of the outputs for a format and what is wanted (arrange returns them so). */
export function slotsOf(isInt: boolean, w: Wanted): Slot[] {
  const slots: Slot[] = ['codes', 'dequantized', 'scale', 'zeroPoint'];
  if (w.sums) slots.push('sums');
  if (!isInt) slots.push('scaleCodes');
  if (w.clipped) slots.push('clipped');
  if (w.absError) slots.push('absError');
  if (w.codeBytes) slots.push('codeBytes');
  if (w.rawMask) slots.push('rawMask');
  return slots;
}

/**
 * The int32 mask [n] (consumed) as bytes packed four per int32 [⌈n/4⌉], element 4k in the low
 * byte: read back, the Int32Array's buffer is the Uint8Array mask with no conversion (every engine
 * the kit runs in is little-endian), a quarter of the bytes. Byte 3 wraps the word negative: int32
 * arithmetic wraps on every backend (test/packed-reads.test.ts holds each device to it).
 */
export function packBytes(mask: Array): Array {
  const n = mask.shape[0];
  const words = Math.ceil(n / 4);
  const padded = words * 4 > n ? np.pad(mask, [[0, words * 4 - n]]) : mask;
  const rows = padded.reshape([words, 4]);
  const byte = (k: number) => rows.ref.slice([], [k, k + 1]).reshape([words]);
  const packed = byte(0)
    .add(byte(1).mul(1 << 8))
    .add(byte(2).mul(1 << 16))
    .add(byte(3).mul(1 << 24));
  rows.dispose();
  return packed;
}

/**
 * A quantizer's outputs (quantizeTraced's or quantizeFormatTraced's, with the mask when clipped or
 * rawMask is wanted; consumed) in slotsOf order; `x` (the n values, consumed) for absError,
 * |x − dequantized| in float32. Under jit, what is not returned is never computed.
 */
export function arrange(
  o: QuantOutputs | FormatOutputs,
  x: Array | null,
  isInt: boolean,
  w: Wanted,
  qmin = 0,
): Array[] {
  const named: Partial<Record<Slot, Array>> = {
    codes: o[0],
    dequantized: o[1],
    scale: o[2],
    zeroPoint: o[3],
  };
  if (w.sums) named.sums = o[4];
  else o[4].dispose();
  if (!isInt) named.scaleCodes = o[5];
  const mask = o[isInt ? 5 : 6];
  if (mask) {
    if (w.clipped) named.clipped = packBytes(mask.ref);
    if (w.rawMask) named.rawMask = mask.ref;
    mask.dispose();
  }
  if (w.absError) named.absError = np.abs(x!.sub(named.dequantized!.ref));
  else x?.dispose();
  if (w.codeBytes) named.codeBytes = packBytes(named.codes!.ref.sub(qmin));
  return slotsOf(isInt, w).map((s) => named[s]!);
}

/**
 * A device array read back on first access (`get`) or at `settle`. `drop` frees it unread when it
 * can be recomputed (`recover`: the whole result again, synchronously), so a view never pays for
 * arrays it does not draw; without `recover`, drop reads it as settle does.
 */
export interface Deferred<T> {
  get(): T;
  settle(): void;
  drop(): void;
}

export function deferred<T>(
  a: Array,
  convert: (data: ArrayLike<number>) => T,
  recover?: () => T,
): Deferred<T> {
  let source: Array | null = a;
  let value: T | undefined;
  let done = false;
  const get = (): T => {
    if (!done) {
      const s = source;
      source = null;
      // A failed read (e.g. a lost GPU context) falls back to the recompute when there is one.
      if (s) {
        try {
          value = convert(s.dataSync() as unknown as ArrayLike<number>);
        } catch (e) {
          if (!recover) throw e;
          value = recover();
        }
      } else if (recover) value = recover();
      else throw new QuantError('runtime', 'this result array was freed unread and cannot be recomputed');
      done = true;
    }
    return value as T;
  };
  const drop = () => {
    if (!recover || done) return void get();
    source?.dispose();
    source = null;
  };
  return { get, settle: () => void get(), drop };
}

/** How each result array is made from the numbers read back (n: the number of values). */
function converter(key: ResultArray, n: number): (d: ArrayLike<number>) => unknown {
  if (key !== 'clipped' && key !== 'codeBytes') return (d) => d;
  return (d) => {
    const words = d as Int32Array;
    return new Uint8Array(words.buffer, words.byteOffset, n);
  };
}

/** The QuantResult of outputs read back (`read[i]` the data of `slots[i]`; lazy ones empty). */
export function assemble(
  read: ArrayLike<number>[],
  slots: readonly Slot[],
  config: QuantConfig,
  groups: number,
  inputs: { shape: readonly number[]; device: string },
): QuantResult {
  const n = inputs.shape.reduce((a, b) => a * b, 1);
  const of = (s: Slot) => read[slots.indexOf(s)];
  const format = config.format;
  // No sums (statsLater): zeros until the caller defines the later statistics.
  const sums = slots.includes('sums') ? of('sums') : new Float64Array(5);
  const result = {
    codes: of('codes') as Int32Array,
    dequantized: of('dequantized') as Float32Array,
    scale: of('scale') as Float32Array,
    zeroPoint: of('zeroPoint') as Int32Array,
    ...(format === 'int' ? codeRange(config.bits, config.scheme) : formatRange(format)),
    stats: statsOfSums(sums, config, groups, inputs.shape),
    config,
    shape: [...inputs.shape],
    device: inputs.device,
  } as QuantResult;
  if (format !== 'int') {
    result.levels = levelsOf(format);
    if (FORMAT_SPECS[format].kind === 'mx') result.scaleCodes = Uint8Array.from(of('scaleCodes'));
  }
  if (slots.includes('clipped')) result.clipped = converter('clipped', n)(of('clipped')) as Uint8Array;
  if (slots.includes('absError')) result.absError = of('absError') as Float32Array;
  if (slots.includes('codeBytes'))
    result.codeBytes = converter('codeBytes', n)(of('codeBytes')) as Uint8Array;
  return result;
}

/**
 * Reads the outputs back (consumes them) into a QuantResult; `slots` names them, `groups` is the
 * number of blocks (scales), for bitsPerWeight. `sync` runs the kernels on the calling thread
 * (jax-js dataSync): for small work that beats a round trip to the wasm worker pool per kernel,
 * which queues behind rendering. The arrays named in `later` are not read now: their getters read
 * them on first access, and each is handed to `defer` for its owner to drop or read before it
 * releases the device memory; `recover` recomputes the whole result once it is dropped.
 */
export async function readResult(
  outputs: Array[],
  slots: readonly Slot[],
  config: QuantConfig,
  groups: number,
  inputs: { shape: readonly number[]; device: string },
  options: {
    sync?: boolean;
    later?: readonly ResultArray[];
    defer?: (d: Deferred<unknown>) => void;
    recover?: () => QuantResult;
  } = {},
): Promise<QuantResult> {
  const { sync = false, later = [], defer = () => {}, recover } = options;
  const lazy = new Set<Slot>(later.filter((k) => slots.includes(k)));
  let read: ArrayLike<number>[];
  if (sync) {
    read = outputs.map((a, i) => (lazy.has(slots[i]) ? [] : (a.dataSync() as unknown as ArrayLike<number>)));
  } else {
    // Lazy arrays are awaited (their kernels run) but not copied.
    await Promise.all(outputs.map((a, i) => (lazy.has(slots[i]) ? a.blockUntilReady() : null)));
    read = await Promise.all(
      outputs.map((a, i) =>
        lazy.has(slots[i]) ? [] : (a.data() as Promise<unknown> as Promise<ArrayLike<number>>),
      ),
    );
  }
  const result = assemble(read, slots, config, groups, inputs);
  const n = result.shape.reduce((a, b) => a * b, 1);
  for (const key of lazy as Set<ResultArray>) {
    const i = slots.indexOf(key);
    const d = deferred(outputs[i], converter(key, n), recover && (() => recover()[key]));
    defer(d);
    Object.defineProperty(result, key, { get: d.get, enumerable: true, configurable: true });
  }
  checkFinite(result);
  return result;
}
