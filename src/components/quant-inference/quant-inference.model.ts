/**
 * The pure part of <quant-inference>: its attribute fields, per-layer widths, model bytes, the
 * flipped-examples gallery, softmax, and the input-plane grid of the decision regions. No DOM, no
 * jax-js (Node-tested in test/node/quant-inference.model.test.ts).
 */
import { FORMAT_LABELS } from '../../internal/format.js';
import { MAX_BITS, MIN_BITS, choiceField, parseInteger, type Field } from '../../core/fields.js';
import type { QuantConfig } from '../../core/config.js';
import type { ModelName } from '../../models/manifest.js';
import { packedBytes } from '../../core/memory.js';

export type { ModelName };
export type Activations = 'float' | number;

export const MODELS: readonly ModelName[] = ['digits', 'spirals'];
export const MODEL_FIELD = choiceField<ModelName>('digits', MODELS);

/** Layers per model (both built-in models are 3-layer MLPs; a Node test checks the manifests). */
export const LAYER_COUNT = 3;

/** `layers`: one bit width per layer, each 2–16; unset (undefined) = `bits` for every layer. */
export const LAYERS_FIELD: Field<number[] | undefined> = {
  default: undefined,
  allowed: `${LAYER_COUNT} bit widths, one per layer (e.g. "8 4 8"), each an integer from ${MIN_BITS} to ${MAX_BITS}`,
  parse: (t) => {
    const words = t
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean);
    if (words.length !== LAYER_COUNT) return undefined;
    const bits = words.map((w) => parseInteger(w, MIN_BITS, MAX_BITS));
    return bits.every((b) => b !== undefined) ? (bits as number[]) : undefined;
  },
  valid: (v): v is number[] | undefined =>
    v === undefined ||
    (Array.isArray(v) &&
      v.length === LAYER_COUNT &&
      v.every((b) => Number.isInteger(b) && b >= MIN_BITS && b <= MAX_BITS)),
  format: (v) => (v ? v.join(' ') : ''),
};

/** `activations`: `float`, or a bit width 2–16 for per-tensor dynamic quantization of layer inputs. */
export const ACTIVATIONS_FIELD: Field<Activations> = {
  default: 'float',
  allowed: `float or an integer from ${MIN_BITS} to ${MAX_BITS}`,
  parse: (t) => (t.trim() === 'float' ? 'float' : parseInteger(t, MIN_BITS, MAX_BITS)),
  valid: (v): v is Activations =>
    v === 'float' || (Number.isInteger(v) && (v as number) >= MIN_BITS && (v as number) <= MAX_BITS),
  format: String,
};

/** The bit width of each of `count` layers: `layers` when set (it wins), else `bits` everywhere. */
export function layerBits(bits: number, layers: readonly number[] | undefined, count: number): number[] {
  return layers && layers.length === count ? [...layers] : Array.from({ length: count }, () => bits);
}

/** Float32 weights and biases, in bytes. */
export function floatBytes(shapes: readonly (readonly [number, number])[]): number {
  return shapes.reduce((sum, [out, inp]) => sum + 4 * (out * inp + out), 0);
}

/**
 * The quantized model in bytes: per layer the packed codes, float32 scales, zero-points (affine,
 * packed at the code width) and float32 biases. `blocks[i]` = scales of layer i.
 */
export function quantBytes(
  shapes: readonly (readonly [number, number])[],
  bits: readonly number[],
  blocks: readonly number[],
  config: Pick<QuantConfig, 'format' | 'scheme'>,
): number {
  return shapes.reduce(
    (sum, [out, inp], i) => sum + packedBytes(out * inp, blocks[i], { ...config, bits: bits[i] }) + 4 * out,
    0,
  );
}

/** Softmax of row `i` of [n, classes] logits, in float64. */
export function softmaxRow(logits: ArrayLike<number>, i: number, classes: number): number[] {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, logits[i * classes + c]);
  const e = Array.from({ length: classes }, (_, c) => Math.exp(logits[i * classes + c] - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** One held-out example whose top-1 prediction changed. */
export interface FlippedExample {
  index: number;
  label: number;
  floatClass: number;
  floatProb: number;
  quantClass: number;
  quantProb: number;
}

/** The gallery: every flipped example with both predictions and their probabilities. */
export function flippedExamples(
  flipped: readonly number[],
  floatLogits: ArrayLike<number>,
  quantLogits: ArrayLike<number>,
  classes: number,
  labels: ArrayLike<number>,
): FlippedExample[] {
  return flipped.map((index) => {
    const pf = softmaxRow(floatLogits, index, classes);
    const pq = softmaxRow(quantLogits, index, classes);
    const floatClass = pf.indexOf(Math.max(...pf));
    const quantClass = pq.indexOf(Math.max(...pq));
    return {
      index,
      label: labels[index],
      floatClass,
      floatProb: pf[floatClass],
      quantClass,
      quantProb: pq[quantClass],
    };
  });
}

const pct = (p: number) => `${Math.round(p * 100)}%`;

/** "float 7 (93%) → quantized 1 (61%)". */
export function flipCaption(e: FlippedExample, names: readonly string[]): string {
  return `float ${names[e.floatClass]} (${pct(e.floatProb)}) → quantized ${names[e.quantClass]} (${pct(e.quantProb)})`;
}

/** The text alternative of a gallery thumbnail. */
export function flipLabel(e: FlippedExample, names: readonly string[]): string {
  return `Held-out digit #${e.index}, labelled ${names[e.label]}: ${flipCaption(e, names)}`;
}

/** The square of the input plane the decision regions cover: the points' extent plus a margin. */
export interface Plane {
  x0: number;
  y0: number;
  size: number;
}

export function planeOf(points: ArrayLike<number>, margin = 0.1): Plane {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 1 < points.length; i += 2) {
    x0 = Math.min(x0, points[i]);
    x1 = Math.max(x1, points[i]);
    y0 = Math.min(y0, points[i + 1]);
    y1 = Math.max(y1, points[i + 1]);
  }
  if (!Number.isFinite(x0)) return { x0: -1, y0: -1, size: 2 };
  const side = Math.max(x1 - x0, y1 - y0) * (1 + 2 * margin) || 2;
  return { x0: (x0 + x1) / 2 - side / 2, y0: (y0 + y1) / 2 - side / 2, size: side };
}

/**
 * The centres of a `cells`×`cells` grid over `plane`, as [cells², 2] points, row 0 at the top
 * (largest y), so row r, column c is canvas pixel (c, r).
 */
export function gridPoints(plane: Plane, cells: number): Float32Array {
  const out = new Float32Array(cells * cells * 2);
  const step = plane.size / cells;
  for (let r = 0; r < cells; r++)
    for (let c = 0; c < cells; c++) {
      out[2 * (r * cells + c)] = plane.x0 + (c + 0.5) * step;
      out[2 * (r * cells + c) + 1] = plane.y0 + plane.size - (r + 0.5) * step;
    }
  return out;
}

/** Argmax per row of [n, classes] logits. */
export function argmaxRows(logits: ArrayLike<number>, classes: number): Uint8Array {
  const n = Math.floor(logits.length / classes);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** The quantization some weights were trained for (QAT) or a result was computed at. */
export interface TrainedFor {
  config: QuantConfig;
  layers: number[];
  activations: Activations;
}

/** "2-bit per-tensor, weights only" — what the QAT weights were trained for. */
export function trainedForLabel(w: { trainedFor: TrainedFor }): string {
  return configLabel(w.trainedFor);
}

/** "2-bit affine per-tensor, weights only", "NF4 per-group (64), activations 8-bit", "MXFP4". */
export function configLabel({ config, layers, activations }: TrainedFor): string {
  const act = activations === 'float' ? 'weights only' : `activations ${activations}-bit`;
  const { format, granularity, groupSize } = config;
  const blocks = `per-${granularity}${granularity === 'group' ? ` (${groupSize})` : ''}`;
  if (format !== 'int') {
    const name = FORMAT_LABELS[format];
    if (format === 'fp16' || format === 'bf16') return `${name}, ${act}`;
    return format.startsWith('mx') ? `${name} (blocks of 32), ${act}` : `${name} ${blocks}, ${act}`;
  }
  const widths = new Set(layers).size === 1 ? `${layers[0]}-bit` : `${layers.join('/')}-bit`;
  return `${widths} ${config.scheme} ${blocks}, ${act}`;
}

/** Whether two runs quantize alike: the fields that apply to the format (SPEC §3.1) and activations. */
export function sameQuantization(a: TrainedFor, b: TrainedFor): boolean {
  const key = ({ config, layers, activations }: TrainedFor) => {
    const { format, granularity, groupSize } = config;
    const applies =
      format === 'int'
        ? { ...config, layers, seed: config.rounding === 'stochastic' ? config.seed : 0 }
        : { format, granularity, groupSize };
    return JSON.stringify([applies, activations]);
  };
  return key(a) === key(b);
}

/** Why the int controls are gone for a number format (SPEC §3.1: bits and scheme apply to int only). */
export function formatNote(format: Exclude<QuantConfig['format'], 'int'>): string {
  const name = FORMAT_LABELS[format];
  if (format === 'fp16' || format === 'bf16') return `${name} is a plain cast: no bits, scheme or blocks.`;
  if (format.startsWith('mx')) return `${name} has its own width and a shared scale per 32 values of a row.`;
  return `${name} has its own width; bits, scheme and layers apply to int only.`;
}

/**
 * The accuracy axis of the per-layer sensitivity bars: zoomed to the values and the float
 * reference (on 0–100 %, 96.5 and 96.8 look the same), on a round step, within 0–1.
 */
export function sensitivityAxis(values: readonly number[], reference: number): [number, number] {
  const all = [...values, reference].filter(Number.isFinite);
  if (!all.length) return [0, 1];
  const [min, max] = [Math.min(...all), Math.max(...all)];
  // A step of 1, 2 or 5 × 10^k giving about four divisions; half a step of room on each side.
  const raw = Math.max(max - min, 0.004) / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const lo = Math.max(0, Math.floor((min - step / 2) / step) * step);
  const hi = Math.min(1, Math.ceil((max + step / 2) / step) * step);
  return [Number(lo.toFixed(6)), Number(hi.toFixed(6))];
}
