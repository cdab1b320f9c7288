import { QuantError } from './errors.js';
import { CONFIG_FIELDS, type Field } from './fields.js';

export type Scheme = 'affine' | 'symmetric';
export type Granularity = 'tensor' | 'channel' | 'group';
export type Rounding = 'half-even' | 'half-up' | 'stochastic';
export type Calibration = 'minmax' | 'percentile' | 'mse';
export type Distribution = 'normal' | 'uniform' | 'laplace' | 'outliers';
export type DeviceChoice = 'auto' | 'wasm' | 'webgpu' | 'webgl' | 'cpu';
/** The number format of the codes (SPEC §3.1): `int` is the integer grid `bits`/`scheme` describe. */
export type Format =
  'int' | 'fp16' | 'bf16' | 'fp8-e4m3' | 'fp8-e5m2' | 'fp4-e2m1' | 'nf4' | 'mxfp4' | 'mxfp8' | 'mxint8';

/** Everything that decides how a tensor is quantized (SPEC §3). */
export interface QuantConfig {
  bits: number;
  scheme: Scheme;
  granularity: Granularity;
  groupSize: number;
  rounding: Rounding;
  calibration: Calibration;
  percentile: number;
  /** Seed of the noise used by stochastic rounding. */
  seed: number;
  /** Number format; `bits`, `scheme`, `rounding` and `calibration` apply to `int` only. */
  format: Format;
}

export {
  CALIBRATIONS,
  DEVICES,
  DISTRIBUTIONS,
  FORMATS,
  GRANULARITIES,
  MAX_BITS,
  MAX_DIM,
  MAX_ELEMENTS,
  MIN_BITS,
  ROUNDINGS,
  SCHEMES,
} from './fields.js';

const CONFIG_KEYS = Object.keys(CONFIG_FIELDS) as (keyof QuantConfig)[];

export const DEFAULT_CONFIG: Readonly<QuantConfig> = Object.freeze(
  Object.fromEntries(CONFIG_KEYS.map((k) => [k, CONFIG_FIELDS[k].default])) as unknown as QuantConfig,
);

/** Integer code range of a config. Symmetric uses the narrow range ±(2^(b−1) − 1). */
export function codeRange(bits: number, scheme: Scheme): { qmin: number; qmax: number } {
  if (scheme === 'symmetric') {
    const qmax = 2 ** (bits - 1) - 1;
    return { qmin: -qmax, qmax };
  }
  return { qmin: 0, qmax: 2 ** bits - 1 };
}

/**
 * Checks one config value; returns a sentence saying what is allowed, or null
 * when the value is fine (the same sentence the elements show for a bad attribute).
 */
export function checkConfigValue<K extends keyof QuantConfig>(key: K, value: unknown): string | null {
  const field = CONFIG_FIELDS[key] as Field<unknown> | undefined;
  if (!field) return 'a known config key';
  return field.valid(value) ? null : field.allowed;
}

/** Fills defaults and validates every field; throws `invalid-config` on the first bad one. */
export function resolveConfig(partial: Partial<QuantConfig> = {}): QuantConfig {
  if (partial === null || typeof partial !== 'object') {
    throw new QuantError('invalid-config', 'config must be an object');
  }
  const config = { ...DEFAULT_CONFIG };
  for (const key of CONFIG_KEYS) {
    const value = partial[key];
    if (value === undefined) continue;
    const allowed = checkConfigValue(key, value);
    if (allowed) {
      throw new QuantError('invalid-config', `${key} = ${JSON.stringify(value)} is invalid: use ${allowed}`);
    }
    (config as Record<string, unknown>)[key] = value;
  }
  return config;
}
