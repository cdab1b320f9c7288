/**
 * <quant-outliers>'s jax-js session: owns X, W, float Y = X·W and the rotated operands on the
 * device, and runs the methods (methods.ts) jit-compiled, one compiled function per method and
 * shape. Bit widths, α and the threshold reach those functions as one small operand, so a new value
 * compiles nothing. A result is kept per method and the inputs it depends on: an α change
 * recomputes SmoothQuant alone, a threshold change LLM.int8() alone.
 */
import { jit, numpy as np, type Array, type Device, type OwnedFunction } from '@jax-js/jax';
import { QuantError } from '../errors.js';
import { toFloat32 } from '../data.js';
import { hasFloat64 } from '../quantize.js';
import { upload } from '../upload.js';
import {
  OUTLIER_METHODS,
  resolveMethodConfig,
  type OutlierMethod,
  type OutlierMethodConfig,
} from './config.js';
import { outlierStreams } from './generate.js';
import {
  disposeOutputs,
  errorSums,
  gridOf,
  halfOperands,
  llmInt8,
  naive,
  perToken,
  smoothQuant,
  toFloat16,
  type MethodOutputs,
} from './methods.js';
import { outputError, spreadOf, storageBits } from './metrics.js';
import type { MethodInspection, OutlierMethodResult, OutliersResult } from './types.js';

export type { MethodInspection, OutlierMethodResult, OutliersResult, OutliersStats } from './types.js';
import { hadamard, rotate, rotatedWidth, rotationSigns, spreadSums } from './rotation.js';

type Fn = OwnedFunction<(...args: Array[]) => Array[]>;

/** Per-data state on the device, and what was read back of it. */
interface Prepared {
  x: Array;
  w: Array;
  y: Array;
  xMax: Array;
  wMax: Array;
  /** int32 [HALF_WIDTH or C]: the channels of largest max |x|, first (llm-int8's float16 part). */
  top: Array;
  /** X and W rounded to float16, made on the first threshold with more than HALF_WIDTH channels over it. */
  halves: [Array, Array] | null;
  read: Promise<{ sumSqY: number; xMax: Float32Array; wMax: Float32Array; spread: Float32Array }>;
}

interface Rotated {
  seed: number;
  signs: Array;
  xh: Array;
  hw: Array;
  read: Promise<{ xhMax: Float32Array; hwMax: Float32Array; spread: Float32Array }>;
}

/** The read-backs of a state, named (each array consumed). */
async function readAll<K extends string>(arrays: Record<K, Array>): Promise<Record<K, Float32Array>> {
  const keys = Object.keys(arrays) as K[];
  const values = await Promise.all(keys.map((k) => arrays[k].data() as Promise<Float32Array>));
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as Record<K, Float32Array>;
}

/**
 * LLM.int8()'s float16 product runs over this many channels of largest max |x| when no more than
 * that many exceed the threshold (methods.ts llmInt8 `top`), over all channels otherwise.
 */
export const HALF_WIDTH = 32;

/** Kept method results (a reader going back and forth between a few α and bit widths). */
const KEPT_RESULTS = 64;

/** The run-time operand [activation grid (2), weight grid (2), α, threshold]: one upload per run. */
function paramsOf(c: OutlierMethodConfig): Float32Array {
  return Float32Array.of(...gridOf(c.activationBits), ...gridOf(c.weightBits), c.alpha, c.threshold);
}

/** Parts of the params operand (consumed), under trace: 0 the activation grid, 1 the weight grid, 2 α, 3 the threshold. */
function param(params: Array, k: number): Array {
  if (k < 2) return params.slice([2 * k, 2 * k + 2]);
  return params.slice([k + 2, k + 3]).reshape([]);
}

/** The inputs a method's result depends on, besides the data. */
function dependencies(method: OutlierMethod, c: OutlierMethodConfig): unknown[] {
  const bits = [c.activationBits, c.weightBits];
  if (method === 'llm-int8') return [...bits, c.threshold];
  if (method === 'smoothquant') return [...bits, c.alpha];
  if (method === 'rotation') return [...bits, c.seed];
  return bits;
}

export class OutliersSession {
  readonly device: Device;
  readonly #wide: boolean;
  #data: Prepared | null = null;
  #rotated: Rotated | null = null;
  #shape: [number, number, number] = [0, 0, 0];
  readonly #fns = new Map<string, Fn>();
  readonly #results = new Map<string, OutlierMethodResult>();
  readonly #calls: Record<string, number> = {};
  readonly #traces: Record<string, number> = {};
  #disposed = false;

  constructor(device: Device) {
    this.device = device;
    this.#wide = hasFloat64(device);
  }

  get shape(): readonly number[] {
    return this.#shape;
  }

  /** Replaces the layer: x [T, C] and w [C, O] row-major (validated, copied to the device). */
  setData(
    x: ArrayLike<number>,
    xShape: readonly number[],
    w: ArrayLike<number>,
    wShape: readonly number[],
  ): void {
    this.#check();
    const xs = toFloat32(x, xShape);
    const ws = toFloat32(w, wShape);
    if (xShape.length !== 2 || wShape.length !== 2 || xShape[1] !== wShape[0])
      throw new QuantError(
        'invalid-shape',
        `X must be tokens × channels and W channels × outputs, got ${xShape.join('×')} and ${wShape.join('×')}`,
      );
    this.#drop();
    const [tokens, channels] = xShape;
    const outputs = wShape[1];
    this.#shape = [tokens, channels, outputs];
    const xa = upload(xs, [tokens, channels], this.device);
    const wa = upload(ws, [channels, outputs], this.device);
    const width = Math.min(HALF_WIDTH, channels);
    const [y, xMax, wMax, top, sumSqY, spread] = this.#fn('prepare', (x, w) => {
      const y = np.matmul(x.ref, w.ref);
      const yw = this.#wide ? y.ref.astype(np.float64) : y.ref;
      const xMax = np.abs(x.ref).max(0);
      const top = np.argsort(xMax.ref.neg()).slice([0, width]).astype(np.int32);
      return [y, xMax, np.abs(w).max(1), top, yw.ref.mul(yw).sum(), spreadSums(x, this.#wide)];
    })(xa.ref, wa.ref);
    const read = readAll({ sumSqY, xMax: xMax.ref, wMax: wMax.ref, spread });
    this.#data = {
      x: xa,
      w: wa,
      y,
      xMax,
      wMax,
      top,
      halves: null,
      read: read.then((r) => ({ ...r, sumSqY: r.sumSqY[0] })),
    };
    // A failed read surfaces in run(); not unhandled meanwhile.
    this.#data.read.catch(() => {});
  }

  /** Every method at `partial` (bits, weightBits, activationBits, alpha, threshold, seed). */
  async run(partial: Partial<OutlierMethodConfig> & { bits?: number } = {}): Promise<OutliersResult> {
    const config = resolveMethodConfig(partial);
    const data = this.#prepared();
    const d = await data.read;
    // setData() meanwhile disposed what this run would compute on: run on the new data.
    if (this.#data !== data) return this.run(partial);
    const rotated = this.#rotation(config.seed);
    const outlierChannels: number[] = [];
    d.xMax.forEach((m, j) => m > Math.fround(config.threshold) && outlierChannels.push(j));
    const narrow = outlierChannels.length <= HALF_WIDTH;
    const params = upload(paramsOf(config), [6], this.device);
    const pending = OUTLIER_METHODS.map((method) => {
      const key = JSON.stringify([method, ...dependencies(method, config)]);
      const kept = this.#results.get(key);
      if (kept) return { key, done: kept };
      return { key, reading: this.#launch(method, data, rotated, params.ref, narrow) };
    });
    params.dispose();
    const r = await rotated.read;
    const methods = await Promise.all(
      pending.map(async (p, i) => {
        if (p.done) return p.done;
        const result = this.#finish(OUTLIER_METHODS[i], await p.reading!, d, r, config);
        this.#keep(p.key, result);
        return result;
      }),
    );
    const { kurtosis: kurtosisBefore, maxOverMean: maxOverMeanBefore } = spreadOf(d.spread);
    const after = spreadOf(r.spread);
    return {
      config,
      shape: [...this.#shape],
      device: this.device,
      methods: methods.map((m) => ({ ...m, xMaxAfter: m.xMaxAfter.slice(), wMaxAfter: m.wMaxAfter.slice() })),
      stats: {
        kurtosisBefore,
        kurtosisAfterRotation: after.kurtosis,
        maxOverMeanBefore,
        maxOverMeanAfterRotation: after.maxOverMean,
        xMax: d.xMax.slice(),
        wMax: d.wMax.slice(),
        outlierChannels,
        rotatedChannels: r.xhMax.length,
      },
    };
  }

  /**
   * Dispatches one method's kernels (consumes params); resolves its read-back. `narrow`: at most
   * HALF_WIDTH channels exceed the threshold (llm-int8 multiplies only those in float16).
   */
  #launch(
    method: OutlierMethod,
    d: Prepared,
    r: Rotated,
    params: Array,
    narrow: boolean,
  ): Promise<Float32Array[]> {
    const wide = this.#wide;
    let out: Array[];
    if (method === 'naive' || method === 'per-token' || method === 'rotation') {
      const quantize = method === 'naive' ? naive : perToken;
      const fn = this.#fn(method === 'naive' ? 'naive' : 'per-token', (x, w, y, p) => {
        const o = quantize(x, w, param(p.ref, 0), param(p, 1));
        const sums = errorSums(y, o.output, wide);
        disposeOutputs(o, [o.output]);
        return [sums];
      });
      const [x, w] = method === 'rotation' ? [r.xh, r.hw] : [d.x, d.w];
      out = fn(x.ref, w.ref, d.y.ref, params);
    } else if (method === 'llm-int8') {
      out = this.#int8(narrow, (x, w, y, xMax, wMax, p, top, halves) => {
        const o = llmInt8(x, w, xMax.ref, param(p.ref, 3), param(p.ref, 0), param(p, 1), top, halves);
        const sums = errorSums(y, o.output, wide);
        const outlier = o.outlier;
        disposeOutputs(o, [o.output, outlier]);
        const kept = outlier.ref.mul(-1).add(1);
        return [sums, outlier, xMax.mul(kept.ref), wMax.mul(kept)];
      })(d.x.ref, d.w.ref, d.y.ref, d.xMax.ref, d.wMax.ref, params, ...this.#int8Extras(d, narrow));
    } else {
      out = this.#fn('smoothquant', (x, w, y, xMax, wMax, p) => {
        const o = smoothQuant(x, w, xMax.ref, wMax.ref, param(p.ref, 2), param(p.ref, 0), param(p, 1));
        const sums = errorSums(y, o.output, wide);
        const s = o.s.ref;
        disposeOutputs(o, [o.output]);
        // max_t |x_t · fl(1/s)| = fl(max_t |x_t| · fl(1/s)): rounding is monotone.
        return [sums, xMax.div(s.ref), wMax.mul(s)];
      })(d.x.ref, d.w.ref, d.y.ref, d.xMax.ref, d.wMax.ref, params);
    }
    return Promise.all(out.map((a) => a.data() as Promise<Float32Array>));
  }

  #finish(
    method: OutlierMethod,
    read: Float32Array[],
    d: Awaited<Prepared['read']>,
    r: Awaited<Rotated['read']>,
    config: OutlierMethodConfig,
  ): OutlierMethodResult {
    const [sums] = read;
    const [tokens, channels, outputs] = this.#shape;
    let outliers = 0;
    let xMaxAfter = d.xMax;
    let wMaxAfter = d.wMax;
    if (method === 'llm-int8') {
      outliers = read[1].reduce((a, b) => a + b, 0);
      [xMaxAfter, wMaxAfter] = [read[2], read[3]];
    } else if (method === 'smoothquant') [xMaxAfter, wMaxAfter] = [read[1], read[2]];
    else if (method === 'rotation') [xMaxAfter, wMaxAfter] = [r.xhMax, r.hwMax];
    const sizes = { tokens, channels, outputs, rotated: r.xhMax.length, outliers };
    return {
      method,
      ...outputError(d.sumSqY, sums[0], sums[1]),
      ...storageBits(method, sizes, config.activationBits, config.weightBits),
      ...(method === 'llm-int8' ? { floatShare: outliers / channels } : {}),
      xMaxAfter,
      wMaxAfter,
    };
  }

  /** One method's every intermediate, read back: codes, scales, Y', and the transformed operands. */
  async inspect(
    method: OutlierMethod,
    partial: Partial<OutlierMethodConfig> & { bits?: number } = {},
  ): Promise<MethodInspection> {
    const config = resolveMethodConfig(partial);
    const data = this.#prepared();
    const { xMax } = await data.read;
    if (this.#data !== data) return this.inspect(method, partial);
    const d = data;
    const r = this.#rotation(config.seed);
    const narrow = xMax.filter((m) => m > Math.fround(config.threshold)).length <= HALF_WIDTH;
    const params = upload(paramsOf(config), [6], this.device);
    const flat = (o: MethodOutputs): Array[] => [o.output, o.x.codes, o.x.scale, o.w.codes, o.w.scale];
    const names = ['output', 'xCodes', 'xScale', 'wCodes', 'wScale'];
    let arrays: Array[];
    if (method === 'llm-int8') {
      names.push('outlier', 'xHalf', 'wHalf');
      arrays = this.#int8(
        narrow,
        (x, w, y, xMax, wMax, p, top, halves) => {
          y.dispose();
          wMax.dispose();
          halves?.forEach((a) => a.dispose());
          const o = llmInt8(x.ref, w.ref, xMax, param(p.ref, 3), param(p.ref, 0), param(p, 1), top);
          return [...flat(o), o.outlier.ref, ...halfOperands(x, w, o.outlier.greater(0))];
        },
        'inspect ',
      )(d.x.ref, d.w.ref, d.y.ref, d.xMax.ref, d.wMax.ref, params, ...this.#int8Extras(d, narrow));
    } else if (method === 'smoothquant') {
      names.push('s', 'xTransformed', 'wTransformed', 'transformedProduct');
      arrays = this.#fn('inspect smoothquant', (x, w, xMax, wMax, p) => {
        const o = smoothQuant(x, w, xMax, wMax, param(p.ref, 2), param(p.ref, 0), param(p, 1));
        return [...flat(o), o.s, o.xSmooth.ref, o.wSmooth.ref, np.matmul(o.xSmooth, o.wSmooth)];
      })(d.x.ref, d.w.ref, d.xMax.ref, d.wMax.ref, params);
    } else {
      const quantize = method === 'naive' ? naive : perToken;
      const rotation = method === 'rotation';
      if (rotation) names.push('signs', 'xTransformed', 'wTransformed', 'transformedProduct');
      const [x, w] = rotation ? [r.xh, r.hw] : [d.x, d.w];
      arrays = this.#fn(`inspect ${method === 'naive' ? 'naive' : 'per-token'}`, (x, w, p) => {
        const o = quantize(x.ref, w.ref, param(p.ref, 0), param(p, 1));
        if (!rotation) {
          x.dispose();
          w.dispose();
          return flat(o);
        }
        return [...flat(o), x.ref, w.ref, np.matmul(x, w)];
      })(x.ref, w.ref, params);
      if (rotation) arrays.splice(5, 0, r.signs.ref);
    }
    const read = await Promise.all([d.y.ref, ...arrays].map((a) => a.data() as Promise<Float32Array>));
    const [expected, ...rest] = read;
    return Object.assign(
      { method, expected },
      Object.fromEntries(names.map((n, i) => [n, rest[i]])),
    ) as unknown as MethodInspection;
  }

  /** The rotation of the current data with `seed`'s signs, made once per seed. */
  #rotation(seed: number): Rotated {
    const d = this.#prepared();
    if (this.#rotated?.seed === seed) return this.#rotated;
    this.#dropRotation();
    const [kx, kPositions, kw, kSigns] = outlierStreams(seed);
    kx.dispose();
    kPositions.dispose();
    kw.dispose();
    let signs = rotationSigns(kSigns, rotatedWidth(this.#shape[1]));
    // Random bits come from the default device; the session's may be another.
    if (signs.device !== this.device)
      signs = np.array(signs.dataSync() as Float32Array, { device: this.device });
    const wide = this.#wide;
    const [xh, hw, xhMax, hwMax, spread] = this.#fn('rotate', (x, w, signs) => {
      const [xh, hw] = rotate(x, w, hadamard(signs));
      return [xh.ref, hw.ref, np.abs(xh.ref).max(0), np.abs(hw).max(1), spreadSums(xh, wide)];
    })(d.x.ref, d.w.ref, signs.ref);
    const read = readAll({ xhMax, hwMax, spread });
    read.catch(() => {});
    this.#rotated = { seed, signs, xh, hw, read };
    return this.#rotated;
  }

  /**
   * LLM.int8()'s compiled function: over the `top` channels when `narrow`, else over all, from the
   * float16 operands (its last arguments: #int8Extras).
   */
  #int8(
    narrow: boolean,
    f: (
      x: Array,
      w: Array,
      y: Array,
      xMax: Array,
      wMax: Array,
      p: Array,
      top: Array | null,
      halves: [Array, Array] | null,
    ) => Array[],
    prefix = '',
  ): Fn {
    const name = `${prefix}llm-int8${narrow ? '' : ' wide'}`;
    return this.#fn(name, (x, w, y, xMax, wMax, p, a, b) =>
      narrow ? f(x, w, y, xMax, wMax, p, a, null) : f(x, w, y, xMax, wMax, p, null, [a, b]),
    );
  }

  /** #int8's last arguments (new references): `top`, or X and W in float16 (rounded once per data). */
  #int8Extras(d: Prepared, narrow: boolean): Array[] {
    if (narrow) return [d.top.ref];
    d.halves ??= this.#fn('float16 operands', (x, w) => [toFloat16(x), toFloat16(w)])(d.x.ref, d.w.ref) as [
      Array,
      Array,
    ];
    return d.halves.map((a) => a.ref);
  }

  /**
   * @internal How often each compiled function was called and traced (jax-js runs the JS body only
   * when it traces): what the tests read to tell "kept" from "recomputed" and "compiled" from "reused".
   */
  get counts(): { calls: Record<string, number>; traces: Record<string, number> } {
    return { calls: { ...this.#calls }, traces: { ...this.#traces } };
  }

  /** The compiled function `name` (jax-js retraces it per input shape). */
  #fn(name: string, f: (...args: Array[]) => Array[]): Fn {
    let fn = this.#fns.get(name);
    if (!fn) {
      const traced = jit((...args: Array[]) => {
        this.#traces[name] = (this.#traces[name] ?? 0) + 1;
        return f(...args);
      }) as Fn;
      fn = Object.assign(
        (...args: Array[]) => {
          this.#calls[name] = (this.#calls[name] ?? 0) + 1;
          return traced(...args);
        },
        { dispose: () => traced.dispose() },
      ) as Fn;
      this.#fns.set(name, fn);
    }
    return fn;
  }

  #keep(key: string, result: OutlierMethodResult): void {
    this.#results.delete(key);
    while (this.#results.size >= KEPT_RESULTS) this.#results.delete(this.#results.keys().next().value!);
    this.#results.set(key, result);
  }

  #prepared(): Prepared {
    this.#check();
    if (!this.#data) throw new QuantError('invalid-data', 'no data: call setData first');
    return this.#data;
  }

  #dropRotation(): void {
    const r = this.#rotated;
    if (!r) return;
    for (const a of [r.signs, r.xh, r.hw]) a.dispose();
    this.#rotated = null;
  }

  #drop(): void {
    this.#dropRotation();
    const d = this.#data;
    if (d) for (const a of [d.x, d.w, d.y, d.xMax, d.wMax, d.top, ...(d.halves ?? [])]) a.dispose();
    this.#data = null;
    this.#results.clear();
  }

  #check(): void {
    if (this.#disposed) throw new QuantError('runtime', 'session is disposed');
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#drop();
    for (const fn of this.#fns.values()) fn.dispose();
    this.#fns.clear();
  }
}
