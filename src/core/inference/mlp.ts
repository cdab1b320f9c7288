/**
 * A small MLP (ReLU between layers) on jax-js, for <quant-inference>: the held-out inputs and the
 * float weights stay on the device; one jit-compiled forward pass takes the weights as arguments,
 * so float, quantized and mixed (one layer quantized) weights all run the same compiled function
 * — no compile per config. Quantized weights never leave the device: `quantize()` returns a handle
 * to them. With `activations` set, each layer's input is quantized per tensor,
 * dynamically (affine, round-half-even), inside the pass; that compiles once per bit width.
 */
import { jit, numpy as np, type Array, type Device, type OwnedFunction } from '@jax-js/jax';
import { codeRange, type QuantConfig } from '../config.js';
import { QuantError } from '../errors.js';
import { roundHalfEven } from '../round.js';
import { QuantSession } from '../session.js';
import { upload } from '../upload.js';

/** One dense layer: `weight` row-major [out, in] (a row per output neuron), `bias` [out]. */
export interface MlpLayer {
  weight: Float32Array;
  shape: [number, number];
  bias: Float32Array;
}

type Forward = OwnedFunction<(x: Array, ...params: Array[]) => Array>;

/**
 * Quantized weights kept on the device by `MlpSession.quantize`: one config per layer (null =
 * that layer stays float). A handle, not the arrays: the session keeps the last few sets and
 * quantizes again if an evicted set is used, so holders never own or dispose device memory.
 */
export interface WeightSet {
  /** The session that made it: a set is only valid there. */
  readonly owner: object;
  readonly key: string;
  readonly configs: readonly (Partial<QuantConfig> | null)[];
  /** Number of scales (blocks) per layer; 0 for a float layer. */
  readonly scales: readonly number[];
  /** Weights quantized elsewhere (`provide`: GPTQ, AWQ), [out, in] per layer: uploaded again if evicted. */
  readonly values?: readonly Float32Array[];
}

/** Weight sets kept on the device (the shown one, the one being computed, a pad or two behind). */
const KEPT_SETS = 4;

/**
 * The last layer's outputs on the device are padded with zero weights to a multiple of this: jax-js's
 * wasm matmul takes 2–3× longer for 10 output columns than for 16 (its SIMD tiles are 16 wide).
 * Other devices get the same padding: a few zero columns cost them nothing that matters.
 */
const OUT_ALIGN = 16;

/** Activation widths whose quantized held-out inputs stay on the device (a reader toggling two). */
const KEPT_WIDTHS = 2;

/**
 * Per-tensor dynamic affine fake quantization of x (consumed), as SPEC §3 for one block.
 * `nonNegative`: the caller knows x has no negative value (a ReLU output, pixels), so its range
 * starts at 0 — the same codes without a pass for the minimum. (A negative value would be clipped
 * to 0: only pass it when that cannot happen.)
 */
export function fakeQuantize(x: Array, bits: number, nonNegative = false): Array {
  const { qmin, qmax } = codeRange(bits, 'affine');
  if (nonNegative) {
    // lo = 0: the zero-point is qmin (0), and an all-zero x stays zero at any scale, so this is
    // the general case below with its scalar steps (each a kernel dispatch) left out.
    const scale = np.maximum(x.ref.max().div(qmax - qmin), 2 ** -126);
    return np.clip(roundHalfEven(x.div(scale.ref)), qmin, qmax).mul(scale);
  }
  const lo = np.minimum(x.ref.min(), 0);
  const hi = np.maximum(x.ref.max(), 0);
  const range = hi.sub(lo.ref);
  const scale = np.where(range.ref.equal(0), 1, np.maximum(range.div(qmax - qmin), 2 ** -126));
  const zero = np.clip(roundHalfEven(lo.div(scale.ref)).neg().add(qmin), qmin, qmax);
  const q = np.clip(roundHalfEven(x.div(scale.ref)).add(zero.ref), qmin, qmax);
  return q.sub(zero).mul(scale);
}

/**
 * One dense layer: h · Wᵀ + b for W [out, in] as stored (the transposed view costs the matmul
 * nothing, measured, and quantized weights need no transposing kernel), then ReLU if `relu`.
 */
function dense(h: Array, w: Array, b: Array, relu: boolean): Array {
  const y = np.matmul(h, w.transpose()).add(b);
  return relu ? np.maximum(y, 0) : y;
}

/** The value of `key` in an LRU map, made the most recent; undefined when absent. */
function kept<K, V>(map: Map<K, V>, key: K): V | undefined {
  const v = map.get(key);
  if (v === undefined) return undefined;
  map.delete(key);
  map.set(key, v);
  return v;
}

/** Sets `key` in an LRU map of KEPT_WIDTHS entries; `drop` frees the oldest beyond. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, drop: (old: V) => void): V {
  while (map.size >= KEPT_WIDTHS) {
    const [oldest, old] = map.entries().next().value as [K, V];
    drop(old);
    map.delete(oldest);
  }
  map.set(key, value);
  return value;
}

/** A kept weight set: each layer's quantized weights (null = float) and its config's key and scales. */
interface KeptSet {
  arrays: (Array | null)[];
  layerKeys: string[];
  scales: number[];
}

/**
 * What sessions of one architecture on the same held-out inputs share (`withWeights`): the inputs,
 * their quantized copies (layer 0's take no weights) and the compiled passes, which take the
 * weights as arguments. The last session to let go disposes them.
 */
class Shared {
  x: Array | null = null;
  /** The held-out inputs have no negative value (pixels): their quantization skips the minimum. */
  nonNegative = false;
  readonly forward = new Map<string, Forward>();
  /** The compiled passes of quantizedWithSensitivity, by activation width (0 = float). */
  readonly fused = new Map<number, OwnedFunction<(...args: Array[]) => Array[]>>();
  readonly inputQuantizers = new Map<string, OwnedFunction<(x: Array) => Array>>();
  /** The held-out inputs quantized, by activation width; oldest first. */
  readonly quantizedInputs = new Map<number, Array>();
  users = 1;

  dropInputs(): void {
    this.x?.dispose();
    this.x = null;
    for (const a of this.quantizedInputs.values()) a.dispose();
    this.quantizedInputs.clear();
  }

  release(): void {
    if (--this.users > 0) return;
    this.dropInputs();
    for (const f of [...this.forward.values(), ...this.fused.values(), ...this.inputQuantizers.values()])
      f.dispose();
    this.forward.clear();
    this.fused.clear();
    this.inputQuantizers.clear();
  }
}

export class MlpSession {
  readonly device: Device;
  readonly layers: readonly MlpLayer[];
  readonly classes: number;
  /** The last layer's output width on the device (classes, zero-padded to OUT_ALIGN). */
  readonly #outWidth: number;
  #shared = new Shared();
  /** Float weights on the device, [out, in] (the last layer's rows padded, see OUT_ALIGN). */
  #weights: Array[] = [];
  #biases: Array[] = [];
  /** The float inputs of layers 1… quantized (index 0 unused: shared), by activation width; oldest first. */
  readonly #inputQuant = new Map<number, Array[]>();
  readonly #quantizers: QuantSession[] = [];
  /** Quantized weight sets on the device, by key; oldest first. */
  readonly #sets = new Map<string, KeptSet>();
  /** Float inputs of layers 1… for the held-out inputs, on the device (made once per setInputs). */
  #hidden: Array[] | null = null;
  #disposed = false;

  constructor(device: Device, layers: readonly MlpLayer[]) {
    if (layers.length === 0) throw new QuantError('invalid-shape', 'a model needs at least one layer');
    for (let i = 1; i < layers.length; i++) {
      if (layers[i].shape[1] !== layers[i - 1].shape[0])
        throw new QuantError(
          'invalid-shape',
          `layer ${i} takes ${layers[i].shape[1]} inputs, not ${layers[i - 1].shape[0]}`,
        );
    }
    this.device = device;
    this.layers = layers;
    this.classes = layers.at(-1)!.shape[0];
    this.#outWidth = Math.ceil(this.classes / OUT_ALIGN) * OUT_ALIGN;
    this.#weights = layers.map((l, i) => this.#uploadWeight(l.weight, l, this.#width(i)));
    this.#biases = layers.map((l, i) => {
      const bias = new Float32Array(this.#width(i));
      bias.set(l.bias);
      return upload(bias, [bias.length], device);
    });
  }

  /** The inputs every forward pass runs on, [n, in] row-major (kept on the device). */
  setInputs(x: Float32Array, n: number): void {
    const inputs = this.layers[0].shape[1];
    if (x.length !== n * inputs) throw new QuantError('invalid-shape', `inputs must be ${n}×${inputs}`);
    // Sessions sharing the old inputs keep them: this one goes on alone.
    if (this.#shared.users > 1) {
      this.#shared.release();
      this.#shared = new Shared();
    }
    this.#shared.dropInputs();
    this.#shared.x = upload(x, [n, inputs], this.device);
    this.#shared.nonNegative = x.every((v) => v >= 0);
    this.#dropHidden();
    this.#dropInputQuant();
  }

  /**
   * A session on other weights of the same shapes (e.g. from quantization-aware training) that
   * runs this one's held-out inputs: they are not uploaded again, and the compiled passes,
   * quantizers and the inputs' quantized copies are shared. Each session is disposed on its own.
   */
  withWeights(layers: readonly MlpLayer[]): MlpSession {
    const same =
      layers.length === this.layers.length &&
      layers.every(
        (l, i) => l.shape[0] === this.layers[i].shape[0] && l.shape[1] === this.layers[i].shape[1],
      );
    if (!same) throw new QuantError('invalid-shape', 'other weights must have the same layer shapes');
    const session = new MlpSession(this.device, layers);
    session.#shared.release();
    session.#shared = this.#shared;
    this.#shared.users++;
    // Each layer's quantizers, compiled here, quantize the new weights as they are.
    layers.forEach((l, i) => {
      const q = new QuantSession(this.device, { compiledWith: this.#quantizer(i) });
      q.setData(l.weight, l.shape);
      session.#quantizers[i] = q;
    });
    return session;
  }

  /**
   * Quantizes layer `i`'s weights with `config` (channel = per output neuron) and returns the
   * core's full result ([out, in] row-major, read back): for inspecting one layer.
   */
  async quantizeLayer(i: number, config: Partial<QuantConfig>): ReturnType<QuantSession['quantize']> {
    return this.#quantizer(i).quantize(config);
  }

  /** Quantizes every layer with its config (null = float) and keeps the result on the device. */
  async quantize(configs: readonly (Partial<QuantConfig> | null)[]): Promise<WeightSet> {
    if (configs.length !== this.layers.length)
      throw new QuantError(
        'invalid-shape',
        `one config per layer: ${this.layers.length}, not ${configs.length}`,
      );
    const key = JSON.stringify(configs);
    let kept = this.#sets.get(key);
    if (kept) {
      // Kept: the same arrays (most recently used last).
      this.#sets.delete(key);
      this.#sets.set(key, kept);
    } else {
      kept = await this.#quantizeAll(configs);
      this.#keep(key, kept);
    }
    return { owner: this, key, configs: [...configs], scales: kept.scales };
  }

  /**
   * Weights quantized elsewhere (GPTQ or AWQ in the worker), dequantized, [out, in] per layer, as a
   * weight set under `key` (its own namespace: no config key starts with "provided:"). Uploaded
   * once while kept; `scales` is the number of scales per layer, for the byte count.
   */
  provide(key: string, values: readonly Float32Array[], scales: readonly number[]): WeightSet {
    if (values.length !== this.layers.length)
      throw new QuantError(
        'invalid-shape',
        `one weight array per layer: ${this.layers.length}, not ${values.length}`,
      );
    const full = `provided:${key}`;
    if (!this.#sets.has(full))
      this.#keep(full, {
        arrays: values.map((w, i) => this.#uploadWeight(w, this.layers[i], this.#width(i))),
        layerKeys: values.map((_, i) => `${full} layer ${i}`),
        scales: [...scales],
      });
    return { owner: this, key: full, configs: [], scales: [...scales], values };
  }

  /**
   * Logits [n, classes] of the held-out inputs with `weights` (null = float), and the inputs of
   * every layer quantized to `activations` bits when set.
   */
  async logits(weights: WeightSet | null, activations: number | null = null): Promise<Float32Array> {
    if (!activations) return this.#run(this.#inputs().ref, weights, null);
    return this.#run(this.#quantizedInput(0, activations).ref, weights, activations, true);
  }

  /**
   * Logits [n, classes] of other inputs ([n, in] row-major, e.g. a drawn digit or a grid over the
   * input plane), uploaded for this call only; weights and activations as in `logits`.
   */
  async logitsOf(
    x: Float32Array,
    n: number,
    weights: WeightSet | null,
    activations: number | null = null,
  ): Promise<Float32Array> {
    const inputs = this.layers[0].shape[1];
    if (x.length !== n * inputs) throw new QuantError('invalid-shape', `inputs must be ${n}×${inputs}`);
    return this.#run(upload(x, [n, inputs], this.device), weights, activations);
  }

  /** One forward pass on `x` (consumed); `quantizedInput`: x is already quantized to `activations` bits. */
  async #run(
    x: Array,
    weights: WeightSet | null,
    activations: number | null,
    quantizedInput = false,
  ): Promise<Float32Array> {
    let params: Array[];
    try {
      params = this.#params(await this.#arraysOf(weights));
    } catch (e) {
      x.dispose();
      throw e;
    }
    const out = this.#forwardFor(activations, quantizedInput)(x, ...params);
    return this.#trim((await out.data()) as Float32Array);
  }

  /**
   * The float inputs of layer `i` for the held-out inputs (0: the inputs themselves) quantized to
   * `bits` (per tensor, as in the pass), kept for the last KEPT_WIDTHS widths: they do not depend
   * on the weights, and quantizing 2000×784 values costs more than the matmul.
   */
  #quantizedInput(i: number, bits: number): Array {
    if (i === 0) {
      // Layer 0's input takes no weights: shared by the sessions on these inputs.
      const shared = this.#shared;
      const x = this.#inputs();
      return (
        kept(shared.quantizedInputs, bits) ??
        remember(shared.quantizedInputs, bits, this.#inputQuantizer(bits, shared.nonNegative)(x.ref), (a) =>
          a.dispose(),
        )
      );
    }
    const layers =
      kept(this.#inputQuant, bits) ??
      remember(this.#inputQuant, bits, [] as Array[], (old) => old.forEach((a) => a?.dispose()));
    // Layers after the first take ReLU outputs: not negative.
    layers[i] ??= this.#inputQuantizer(bits, true)(this.#floatHidden()[i].ref);
    return layers[i];
  }

  /** fakeQuantize compiled per width: run eagerly, each of its ~16 steps is a pass over the inputs. */
  #inputQuantizer(bits: number, nonNegative: boolean): OwnedFunction<(x: Array) => Array> {
    const key = `${bits}${nonNegative ? '+' : ''}`;
    const quantizers = this.#shared.inputQuantizers;
    let f = quantizers.get(key);
    if (!f) {
      f = jit((x: Array) => fakeQuantize(x, bits, nonNegative)) as OwnedFunction<(x: Array) => Array>;
      quantizers.set(key, f);
    }
    return f;
  }

  /** The session's own quantized inputs (layers 1…; layer 0's are shared). */
  #dropInputQuant(): void {
    for (const layers of this.#inputQuant.values()) for (const a of layers) a?.dispose();
    this.#inputQuant.clear();
  }

  /**
   * The quantized model's logits (its layers' inputs quantized to `activations` bits when set) and
   * the sensitivity of every layer — layer i alone quantized as in the model (its weights, and its
   * input when `activations` is set), the others float — in one compiled pass and one read-back.
   * The quantized model and "layer 0 alone" share their first (largest) layer, so its matmul runs
   * once; later layers alone start from the kept float inputs of their layer.
   */
  async quantizedWithSensitivity(
    weights: WeightSet,
    activations: number | null = null,
  ): Promise<{ quant: Float32Array; sensitivity: Float32Array[] }> {
    const x = this.#inputs();
    const depth = this.layers.length;
    if (depth === 1) {
      // One layer: it alone quantized is the quantized model (a copy: callers own each array).
      const quant = await this.logits(weights, activations);
      return { quant, sensitivity: [quant.slice()] };
    }
    const quantParams = this.#params(await this.#arraysOf(weights));
    // Each layer alone takes its float input, quantized with activations (kept: no weights in it).
    const inputs = this.layers.map((_, i) =>
      activations ? this.#quantizedInput(i, activations) : i === 0 ? x : this.#floatHidden()[i],
    );
    const floatWeights = this.#weights.slice(1).map((w) => w.ref);
    const pass = this.#sensitivityPass(activations);
    const out = pass(...inputs.map((a) => a.ref), ...quantParams, ...floatWeights);
    // Read back as they are (a stacking kernel would cost more than the layers it joins).
    const read = (await Promise.all(out.map((o) => o.data()))) as Float32Array[];
    const [quant, ...rows] = read.map((d) => this.#trim(d));
    return { quant, sensitivity: rows };
  }

  /**
   * The compiled pass of quantizedWithSensitivity: (the float input of each layer — quantized to
   * `activations` bits when set —, quantized weight and bias per layer, float weights of layers
   * 1…L−1) → [quantized, layer 0 alone, …, layer L−1 alone] logits. Under jit, arguments
   * are consumed like any op's: `.ref` reuses one.
   */
  #sensitivityPass(activations: number | null): OwnedFunction<(...args: Array[]) => Array[]> {
    const key = activations ?? 0;
    const compiled = this.#shared.fused.get(key);
    if (compiled) return compiled;
    const depth = this.layers.length;
    const fused = jit((...args: Array[]) => {
      const input = (i: number) => args[i];
      const qw = (i: number) => args[depth + 2 * i];
      const bias = (i: number) => args[depth + 2 * i + 1];
      const fw = (i: number) => args[3 * depth + (i - 1)];
      // Layer i on h, quantized or float; `quantize`: quantize h first (an input computed here).
      const layer = (h: Array, i: number, quantized: boolean, quantize = false) => {
        if (quantize && activations) h = fakeQuantize(h, activations, true); // after a ReLU
        return dense(h, (quantized ? qw(i) : fw(i)).ref, bias(i).ref, i < depth - 1);
      };
      // Layers i + 1…L−1 on h, float.
      const floatAfter = (h: Array, i: number) => {
        for (let j = i + 1; j < depth; j++) h = layer(h, j, false);
        return h;
      };
      // Layer 0's input comes quantized with activations: the model and layer 0 alone share it.
      const h1 = layer(input(0), 0, true);
      let quant = h1.ref;
      for (let i = 1; i < depth; i++) quant = layer(quant, i, true, true);
      const outs = [quant, floatAfter(h1, 0)];
      for (let i = 1; i < depth; i++) outs.push(floatAfter(layer(input(i), i, true), i));
      for (let i = 0; i < depth; i++) {
        qw(i).dispose();
        bias(i).dispose();
        if (i > 0) fw(i).dispose();
      }
      return outs;
    }) as OwnedFunction<(...args: Array[]) => Array[]>;
    this.#shared.fused.set(key, fused);
    return fused;
  }

  /** The device arrays of a weight set ([out, in] per layer, null = float); not new references. */
  async #arraysOf(weights: WeightSet | null): Promise<(Array | null)[]> {
    if (!weights) return [];
    // Another session's key would name this session's own weights quantized alike: refuse it.
    if (weights.owner !== this)
      throw new QuantError('invalid-data', 'this weight set belongs to another session');
    // Evicted: quantize (or upload) again.
    let key = weights.key;
    if (!this.#sets.has(key))
      key = weights.values
        ? this.provide(key.slice('provided:'.length), weights.values, weights.scales).key
        : (await this.quantize(weights.configs)).key;
    return this.#sets.get(key)!.arrays;
  }

  /** Forward-pass parameters (new references): weight then bias per layer, float where `arrays` has none. */
  #params(arrays: readonly (Array | null)[]): Array[] {
    return this.layers.flatMap((_, i) => [(arrays[i] ?? this.#weights[i]).ref, this.#biases[i].ref]);
  }

  /** Every layer quantized; a layer whose config a kept set has takes its arrays (a new reference). */
  async #quantizeAll(configs: readonly (Partial<QuantConfig> | null)[]): Promise<KeptSet> {
    const layerKeys = configs.map((c) => JSON.stringify(c));
    const settled = await Promise.allSettled(
      configs.map(async (c, i) => {
        if (!c) return null;
        for (const set of this.#sets.values())
          if (set.layerKeys[i] === layerKeys[i] && set.arrays[i])
            return { values: set.arrays[i].ref, scales: set.scales[i] };
        const { values, scales } = await this.#quantizer(i).dequantized(c);
        const [out, inputs] = this.layers[i].shape;
        const w = values.reshape([out, inputs]);
        const pad = this.#width(i) - out;
        // Padded rows are materialized once, before the passes (a padded view in a matmul is slower).
        return {
          values: pad
            ? np.pad(w, [
                [0, pad],
                [0, 0],
              ])
            : w,
          scales,
        };
      }),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) {
      for (const r of settled) if (r.status === 'fulfilled') r.value?.values.dispose();
      throw failed.reason;
    }
    const layers = settled.map(
      (r) => (r as PromiseFulfilledResult<{ values: Array; scales: number } | null>).value,
    );
    return {
      arrays: layers.map((l) => l?.values ?? null),
      layerKeys,
      scales: layers.map((l) => l?.scales ?? 0),
    };
  }

  /** One session per layer, kept: its weights stay on the device and each config compiles once. */
  #quantizer(i: number): QuantSession {
    let session = this.#quantizers[i];
    if (!session) {
      session = this.#quantizers[i] = new QuantSession(this.device);
      session.setData(this.layers[i].weight, this.layers[i].shape);
    }
    return session;
  }

  #keep(key: string, set: KeptSet): void {
    const old = this.#sets.get(key);
    this.#sets.delete(key);
    if (old) for (const a of old.arrays) a?.dispose();
    while (this.#sets.size >= KEPT_SETS) {
      const [oldest, dropped] = this.#sets.entries().next().value as [string, KeptSet];
      for (const a of dropped.arrays) a?.dispose();
      this.#sets.delete(oldest);
    }
    this.#sets.set(key, set);
  }

  #dropSets(): void {
    for (const set of this.#sets.values()) for (const a of set.arrays) a?.dispose();
    this.#sets.clear();
  }

  #inputs(): Array {
    const x = this.#shared.x;
    if (!x) throw new QuantError('invalid-data', 'no inputs: call setInputs first');
    return x;
  }

  /** The float inputs of every layer (index 0 is unused), computed once for the held-out inputs. */
  #floatHidden(): Array[] {
    if (this.#hidden) return this.#hidden;
    const x = this.#inputs();
    const hidden: Array[] = [x.ref];
    for (let i = 0; i < this.layers.length - 1; i++) {
      hidden.push(dense(hidden[i].ref, this.#weights[i].ref, this.#biases[i].ref, true));
    }
    hidden[0].dispose();
    this.#hidden = hidden;
    return hidden;
  }

  #dropHidden(): void {
    for (const h of this.#hidden?.slice(1) ?? []) h.dispose();
    this.#hidden = null;
  }

  /** A layer's [out, in] weights on the device as [width, in]: rows past `out` are zero. */
  #uploadWeight(w: Float32Array, layer: MlpLayer, width: number): Array {
    const [out, inputs] = layer.shape;
    if (w.length !== out * inputs) throw new QuantError('invalid-shape', `weights must be ${out}×${inputs}`);
    const padded = new Float32Array(width * inputs);
    padded.set(w);
    return upload(padded, [width, inputs], this.device);
  }

  /** Layer i's output width on the device: its own, or the padded one for the last layer. */
  #width(i: number): number {
    return i === this.layers.length - 1 ? this.#outWidth : this.layers[i].shape[0];
  }

  /**
   * Logits [n, classes] from rows of the padded last layer read back (a view when unpadded): on the
   * host, since a slicing kernel costs more than the matmul it follows.
   */
  #trim(rows: Float32Array): Float32Array {
    const [width, classes] = [this.#outWidth, this.classes];
    if (width === classes) return rows;
    const n = rows.length / width;
    const out = new Float32Array(n * classes);
    for (let i = 0; i < n; i++) out.set(rows.subarray(i * width, i * width + classes), i * classes);
    return out;
  }

  #forwardFor(activations: number | null, quantizedInput: boolean): Forward {
    const key = `${activations ?? 0}${quantizedInput ? ' (input quantized)' : ''}`;
    let f = this.#shared.forward.get(key);
    if (!f) {
      const depth = this.layers.length;
      f = jit((x: Array, ...params: Array[]) => {
        let h = x;
        for (let i = 0; i < depth; i++) {
          // Inputs after a ReLU are not negative.
          if (activations && !(i === 0 && quantizedInput)) h = fakeQuantize(h, activations, i > 0);
          h = dense(h, params[2 * i], params[2 * i + 1], i < depth - 1);
        }
        return h;
      }) as Forward;
      this.#shared.forward.set(key, f);
    }
    return f;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const a of [...this.#weights, ...this.#biases]) a.dispose();
    this.#weights = [];
    this.#biases = [];
    for (const q of this.#quantizers) q?.dispose();
    this.#quantizers.length = 0;
    this.#dropSets();
    this.#dropHidden();
    this.#dropInputQuant();
    this.#shared.release();
  }
}
