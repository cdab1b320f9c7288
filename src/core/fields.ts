/**
 * The one table of every configurable value: its default, its range, how attribute text parses,
 * and the "allowed" sentence errors quote. The core's config checks and the elements' attributes
 * (src/internal/fields.ts) both read it, so a range, a message or a default lives in one place.
 */
import type {
  Calibration,
  DeviceChoice,
  Distribution,
  Format,
  Granularity,
  QuantConfig,
  Rounding,
  Scheme,
} from './config.js';

export interface Field<T> {
  readonly default: T;
  /** What a valid value looks like, for error messages ("an integer from 2 to 16"). */
  readonly allowed: string;
  /** Attribute text → value; undefined when the text is not valid. */
  parse(text: string): T | undefined;
  /** Whether a typed value (a core config field, a property) is valid. */
  valid(value: unknown): value is T;
  /** Value → attribute text. */
  format(value: T): string;
}

export const MIN_BITS = 2;
export const MAX_BITS = 16;
/** Largest tensor any element or core call accepts (SPEC §2.1 `shape`). */
export const MAX_ELEMENTS = 4_194_304;
export const MAX_DIM = 4096;
/** Largest `seed` (SPEC §2.1): jax-js keys are uint32. */
export const MAX_SEED = 2 ** 32 - 1;

export const SCHEMES: readonly Scheme[] = ['affine', 'symmetric'];
export const GRANULARITIES: readonly Granularity[] = ['tensor', 'channel', 'group'];
export const ROUNDINGS: readonly Rounding[] = ['half-even', 'half-up', 'stochastic'];
export const CALIBRATIONS: readonly Calibration[] = ['minmax', 'percentile', 'mse'];
export const DISTRIBUTIONS: readonly Distribution[] = ['normal', 'uniform', 'laplace', 'outliers'];
export const DEVICES: readonly DeviceChoice[] = ['auto', 'wasm', 'webgpu', 'webgl', 'cpu'];
export const FORMATS: readonly Format[] = [
  'int',
  'fp16',
  'bf16',
  'fp8-e4m3',
  'fp8-e5m2',
  'fp4-e2m1',
  'nf4',
  'mxfp4',
  'mxfp8',
  'mxint8',
];

/** A strict integer: no "8.0", "0x8", "8px" or "". */
export function parseInteger(text: string, min: number, max: number): number | undefined {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

/** A finite decimal number. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Space-separated words, at least one, no repeats; undefined if any word is rejected. */
export function parseWords<T>(text: string, word: (w: string) => T | undefined): T[] | undefined {
  const parts = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const values = parts.map(word);
  if (values.some((v) => v === undefined)) return undefined;
  return new Set(values).size === values.length ? (values as T[]) : undefined;
}

export function integerField(def: number, min: number, max: number, allowed?: string): Field<number> {
  return {
    default: def,
    allowed: allowed ?? `an integer from ${min} to ${max}`,
    parse: (t) => parseInteger(t, min, max),
    valid: (v): v is number => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max,
    format: String,
  };
}

/** A number accepted by `ok`. */
export function numberField(def: number, allowed: string, ok: (n: number) => boolean): Field<number> {
  const valid = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && ok(v);
  return {
    default: def,
    allowed,
    parse: (t) => {
      const n = parseNumber(t);
      return n !== undefined && valid(n) ? n : undefined;
    },
    valid,
    format: String,
  };
}

export function choiceField<T extends string>(def: T, values: readonly T[]): Field<T> {
  const valid = (v: unknown): v is T => (values as readonly unknown[]).includes(v);
  return {
    default: def,
    allowed: values.length === 2 ? values.join(' or ') : values.join(', '),
    parse: (t) => (valid(t.trim()) ? (t.trim() as T) : undefined),
    valid,
    format: String,
  };
}

/** `ROWSxCOLS` (or a single length), each 1–4096, at most 4,194,304 elements. */
export function parseShape(text: string): number[] | undefined {
  const m = /^\s*(\d+)\s*(?:[x×]\s*(\d+))?\s*$/i.exec(text);
  if (!m) return undefined;
  const dims = [m[1], m[2]].filter((d) => d !== undefined).map(Number);
  return validShape(dims) ? dims : undefined;
}

function validShape(v: unknown): v is number[] {
  if (!Array.isArray(v) || v.length < 1 || v.length > 2) return false;
  if (v.some((d) => !Number.isInteger(d) || d < 1 || d > MAX_DIM)) return false;
  return v.reduce((a: number, b: number) => a * b, 1) <= MAX_ELEMENTS;
}

/** `shape`: the default is per element, so the field takes it. */
export function shapeField(def: number[]): Field<number[]> {
  return {
    default: def,
    allowed: `ROWSxCOLS, each 1–${MAX_DIM}, at most ${MAX_ELEMENTS.toLocaleString('en-US')} elements`,
    parse: parseShape,
    valid: validShape,
    format: (v) => v.join('x'),
  };
}

/** The quantization config (SPEC §2.1, §3): every field, its default and its range. */
export const CONFIG_FIELDS: { readonly [K in keyof QuantConfig]: Field<QuantConfig[K]> } = {
  bits: integerField(8, MIN_BITS, MAX_BITS),
  scheme: choiceField('affine', SCHEMES),
  granularity: choiceField('tensor', GRANULARITIES),
  groupSize: integerField(
    32,
    2,
    MAX_ELEMENTS,
    'an integer ≥ 2 (a row that is not a multiple ends with a shorter group)',
  ),
  rounding: choiceField('half-even', ROUNDINGS),
  calibration: choiceField('minmax', CALIBRATIONS),
  percentile: numberField(99.9, 'a number in (50, 100]', (n) => n > 50 && n <= 100),
  // A jax-js PRNG key holds a uint32 seed: outside that range two seeds would share weights.
  seed: integerField(95, 0, MAX_SEED),
  format: choiceField('int', FORMATS),
};

/** Cap of `std` and `qat-lr` (generated values, ×20 for outliers, stay inside float32's 3.4e38). */
export const MAX_POSITIVE = 1e30;
const MAX_POSITIVE_TEXT = '1e30';

/** The generated weights (SPEC §2.1 `distribution`, `std`; `seed` is shared with the config). */
export const WEIGHT_FIELDS = {
  distribution: choiceField<Distribution>('normal', DISTRIBUTIONS),
  std: numberField(0.5, `a positive number below ${MAX_POSITIVE_TEXT}`, (n) => n > 0 && n < MAX_POSITIVE),
};

export const DEVICE_FIELD = choiceField<DeviceChoice>('auto', DEVICES);

/**
 * Quantization-aware training (SPEC §2.2 `qat-steps`, `qat-lr`): `<quant-inference>` only, so not
 * part of the shared config table. Defaults measured with bench/qat.bench.ts (a run of a few
 * seconds on wasm that meets the accuracy targets on digits at 2 bits: 200 Adam steps of
 * 100 examples (five passes over the 4,000-example subset) at peak lr 1e-3 take ~3.5 s in Chromium
 * and end within 1 point of float per tensor and per channel; 100 steps also meet the targets,
 * with less margin per tensor).
 */
export const QAT_FIELDS = {
  qatSteps: integerField(200, 1, 10_000),
  qatLr: numberField(1e-3, `a positive number below ${MAX_POSITIVE_TEXT}`, (n) => n > 0 && n < MAX_POSITIVE),
};

/** How <quant-inference> quantizes its weights (SPEC §2.2 `method`). */
export type WeightMethod = 'rtn' | 'gptq' | 'awq';
export const METHODS: readonly WeightMethod[] = ['rtn', 'gptq', 'awq'];

/**
 * GPTQ / AWQ calibration (SPEC §2.2 `method`, `calibration-samples`): `<quant-inference>` only.
 * At most 4,000, the digits training subset shipped for QAT (spirals ships 2,000: a larger value
 * uses all of them, and the result records how many calibrated).
 */
export const METHOD_FIELDS = {
  method: choiceField<WeightMethod>('rtn', METHODS),
  calibrationSamples: integerField(256, 1, 4000),
};
