/**
 * A small MLP (ReLU between layers) on jax-js, for <quant-inference>: the held-out inputs and the
 * float weights stay on the device; one jit-compiled forward pass takes the weights as arguments,
 * so float, quantized and mixed (one layer quantized) weights all run the same compiled function
 * — no compile per config. With `activations` set, each layer's input is quantized per tensor,
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

/** Per-tensor dynamic affine fake quantization of x (consumed), as SPEC §3 for one block. */
export function fakeQuantize(x: Array, bits: number): Array {
  const { qmin, qmax } = codeRange(bits, 'affine');
  const lo = np.minimum(x.ref.min(), 0);
  const hi = np.maximum(x.ref.max(), 0);
  const range = hi.sub(lo.ref);
  const scale = np.where(range.ref.equal(0), 1, np.maximum(range.div(qmax - qmin), 2 ** -126));
  const zero = np.clip(roundHalfEven(lo.div(scale.ref)).neg().add(qmin), qmin, qmax);
  const q = np.clip(roundHalfEven(x.div(scale.ref)).add(zero.ref), qmin, qmax);
  return q.sub(zero).mul(scale);
}

/** Transposes a row-major [rows, cols] matrix on the host. */
function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
  return out;
}

export class MlpSession {
  readonly device: Device;
  readonly layers: readonly MlpLayer[];
  readonly classes: number;
  #x: Array | null = null;
  /** Float weights on the device, transposed to [in, out]. */
  #weights: Array[] = [];
  #biases: Array[] = [];
  readonly #forward = new Map<number, Forward>();
  readonly #quantizers: QuantSession[] = [];
  readonly #uploads = new Map<Float32Array, Array>();
  /** Float inputs of layers 1… for the held-out inputs, on the device (made once per setInputs). */
  #hidden: Array[] | null = null;
  /** Forward passes from layer `start` on, by start. */
  readonly #tails = new Map<number, Forward>();

  constructor(device: Device, layers: MlpLayer[]) {
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
    this.#weights = layers.map((l) => this.#uploadWeight(l.weight, l));
    this.#biases = layers.map((l) => upload(l.bias, [l.shape[0]], device));
  }

  /** The inputs every forward pass runs on, [n, in] row-major (kept on the device). */
  setInputs(x: Float32Array, n: number): void {
    const inputs = this.layers[0].shape[1];
    if (x.length !== n * inputs) throw new QuantError('invalid-shape', `inputs must be ${n}×${inputs}`);
    this.#x?.dispose();
    this.#x = upload(x, [n, inputs], this.device);
    this.#dropHidden();
  }

  /**
   * Quantizes layer `i`'s weights with `config` (channel = per output neuron) and returns them
   * dequantized, [out, in] row-major, with the core's result (scales, stats) for the view.
   */
  async quantizeLayer(i: number, config: Partial<QuantConfig>): ReturnType<QuantSession['quantize']> {
    // One session per layer, kept: its weights stay on the device and each config's quantizer is
    // jit-compiled once, so a config the reader returns to costs one fused pass.
    let session = this.#quantizers[i];
    if (!session) {
      session = this.#quantizers[i] = new QuantSession(this.device);
      session.setData(this.layers[i].weight, this.layers[i].shape);
    }
    return session.quantize(config);
  }

  /**
   * Logits [n, classes] with the given weights per layer ([out, in] row-major; null = the float
   * weights), and the inputs of every layer quantized to `activations` bits when set.
   */
  async logits(weights: (Float32Array | null)[], activations: number | null = null): Promise<Float32Array> {
    const x = this.#x;
    if (!x) throw new QuantError('invalid-data', 'no inputs: call setInputs first');
    return this.#run(x.ref, weights, activations);
  }

  /**
   * Logits [n, classes] of other inputs ([n, in] row-major, e.g. a drawn digit or a grid over the
   * input plane), uploaded for this call only; weights and activations as in `logits`.
   */
  async logitsOf(
    x: Float32Array,
    n: number,
    weights: (Float32Array | null)[],
    activations: number | null = null,
  ): Promise<Float32Array> {
    const inputs = this.layers[0].shape[1];
    if (x.length !== n * inputs) throw new QuantError('invalid-shape', `inputs must be ${n}×${inputs}`);
    return this.#run(upload(x, [n, inputs], this.device), weights, activations);
  }

  /** One forward pass on `x` (consumed). */
  async #run(x: Array, weights: (Float32Array | null)[], activations: number | null): Promise<Float32Array> {
    let custom: (Array | null)[];
    try {
      custom = this.layers.map((l, i) => (weights[i] ? this.#resident(weights[i]!, l) : null));
    } catch (e) {
      x.dispose();
      throw e;
    }
    const params = this.layers.flatMap((_, i) => [(custom[i] ?? this.#weights[i]).ref, this.#biases[i].ref]);
    const out = this.#forwardFor(activations)(x, ...params);
    return (await out.data()) as Float32Array;
  }

  /**
   * Given weights on the device, uploaded once: the passes of one config change (quantized model,
   * then each layer alone for sensitivity) reuse them. The uploads of the last few weight arrays
   * are kept (by identity), the oldest disposed.
   */
  #resident(w: Float32Array, layer: MlpLayer): Array {
    let a = this.#uploads.get(w);
    if (!a) {
      a = this.#uploadWeight(w, layer);
      while (this.#uploads.size >= 2 * this.layers.length) {
        const [oldest, old] = this.#uploads.entries().next().value as [Float32Array, Array];
        old.dispose();
        this.#uploads.delete(oldest);
      }
      this.#uploads.set(w, a);
    }
    return a;
  }

  /**
   * Held-out logits with only layer `i` quantized (`weight`, [out, in]), activations float: the
   * sensitivity of layer i. The float layers before i are not run again: their output is kept.
   */
  async logitsWithOnly(i: number, weight: Float32Array): Promise<Float32Array> {
    if (i === 0) return this.logits(this.layers.map((_, j) => (j === 0 ? weight : null)));
    const hidden = this.#floatHidden()[i];
    const params = this.layers
      .slice(i)
      .flatMap((l, k) => [
        (k === 0 ? this.#resident(weight, l) : this.#weights[i + k]).ref,
        this.#biases[i + k].ref,
      ]);
    const out = this.#tailFrom(i)(hidden.ref, ...params);
    return (await out.data()) as Float32Array;
  }

  /**
   * With float activations, the quantized model's logits and the sensitivity of every layer, in
   * one go: the quantized model and "layer 0 alone" share their first (largest) layer, so its
   * matmul runs once; later layers alone start from the kept float activations.
   */
  async quantizedWithSensitivity(
    weights: Float32Array[],
  ): Promise<{ quant: Float32Array; sensitivity: Float32Array[] }> {
    const x = this.#x;
    if (!x) throw new QuantError('invalid-data', 'no inputs: call setInputs first');
    if (this.layers.length === 1) {
      const quant = await this.logits(weights);
      return { quant, sensitivity: [quant] };
    }
    const first = this.layers[0];
    const h1 = np.maximum(
      np.matmul(x.ref, this.#resident(weights[0], first).ref).add(this.#biases[0].ref),
      0,
    );
    const tail = (quantized: boolean) =>
      this.layers
        .slice(1)
        .flatMap((l, k) => [
          (quantized ? this.#resident(weights[k + 1], l) : this.#weights[k + 1]).ref,
          this.#biases[k + 1].ref,
        ]);
    const quantOut = this.#tailFrom(1)(h1.ref, ...tail(true));
    const layer0Out = this.#tailFrom(1)(h1, ...tail(false));
    const [quant, layer0] = (await Promise.all([quantOut.data(), layer0Out.data()])) as Float32Array[];
    const later = await Promise.all(weights.slice(1).map((w, k) => this.logitsWithOnly(k + 1, w)));
    return { quant, sensitivity: [layer0, ...later] };
  }

  /** The float inputs of every layer (index 0 is unused), computed once for the held-out inputs. */
  #floatHidden(): Array[] {
    if (this.#hidden) return this.#hidden;
    const x = this.#x;
    if (!x) throw new QuantError('invalid-data', 'no inputs: call setInputs first');
    const hidden: Array[] = [x.ref];
    for (let i = 0; i < this.layers.length - 1; i++) {
      const h = np.maximum(np.matmul(hidden[i].ref, this.#weights[i].ref).add(this.#biases[i].ref), 0);
      hidden.push(h);
    }
    hidden[0].dispose();
    this.#hidden = hidden;
    return hidden;
  }

  #dropHidden(): void {
    for (const h of this.#hidden?.slice(1) ?? []) h.dispose();
    this.#hidden = null;
  }

  #tailFrom(start: number): Forward {
    let f = this.#tails.get(start);
    if (!f) {
      const depth = this.layers.length;
      f = jit((h: Array, ...params: Array[]) => {
        for (let i = start; i < depth; i++) {
          const k = i - start;
          h = np.matmul(h, params[2 * k]).add(params[2 * k + 1]);
          if (i < depth - 1) h = np.maximum(h, 0);
        }
        return h;
      }) as Forward;
      this.#tails.set(start, f);
    }
    return f;
  }

  /** A layer's [out, in] weights on the device as [in, out], so a pass is x · W. */
  #uploadWeight(w: Float32Array, layer: MlpLayer): Array {
    const [out, inputs] = layer.shape;
    if (w.length !== out * inputs) throw new QuantError('invalid-shape', `weights must be ${out}×${inputs}`);
    return upload(transposed(w, out, inputs), [inputs, out], this.device);
  }

  #forwardFor(activations: number | null): Forward {
    const key = activations ?? 0;
    let f = this.#forward.get(key);
    if (!f) {
      const depth = this.layers.length;
      f = jit((x: Array, ...params: Array[]) => {
        let h = x;
        for (let i = 0; i < depth; i++) {
          if (activations) h = fakeQuantize(h, activations);
          h = np.matmul(h, params[2 * i]).add(params[2 * i + 1]);
          if (i < depth - 1) h = np.maximum(h, 0);
        }
        return h;
      }) as Forward;
      this.#forward.set(key, f);
    }
    return f;
  }

  dispose(): void {
    this.#x?.dispose();
    this.#x = null;
    for (const a of [...this.#weights, ...this.#biases]) a.dispose();
    this.#weights = [];
    this.#biases = [];
    for (const f of this.#forward.values()) f.dispose();
    this.#forward.clear();
    for (const q of this.#quantizers) q?.dispose();
    this.#quantizers.length = 0;
    for (const a of this.#uploads.values()) a.dispose();
    this.#uploads.clear();
    this.#dropHidden();
    for (const f of this.#tails.values()) f.dispose();
    this.#tails.clear();
  }
}
