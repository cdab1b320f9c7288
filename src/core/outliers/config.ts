/**
 * The configurable values of <quant-outliers> (SPEC §2.2): the generated data (tokens, channels,
 * outlier channels and their scale, seed) and the methods' config (bit widths, SmoothQuant's α,
 * LLM.int8()'s threshold). One table, as src/core/fields.ts is for the shared config: defaults,
 * ranges and the "allowed" sentences live here once. Plain numbers; no jax-js.
 */
import { CONFIG_FIELDS, MAX_DIM, MAX_ELEMENTS, integerField, numberField, type Field } from '../fields.js';
import { QuantError } from '../errors.js';

/** The methods side by side, in the order the element shows them. */
export const OUTLIER_METHODS = ['naive', 'per-token', 'llm-int8', 'smoothquant', 'rotation'] as const;
export type OutlierMethod = (typeof OUTLIER_METHODS)[number];

/** Largest outlier scale: activations of ~3.5 · 1e4 keep every square sum far inside float32. */
export const MAX_OUTLIER_SCALE = 1e4;

/** What the generator makes (generate.ts documents the distribution). */
export interface OutlierDataConfig {
  tokens: number;
  channels: number;
  /** Output features of W; the element keeps it equal to `channels` (a square layer). */
  outputs: number;
  outlierChannels: number;
  outlierScale: number;
  seed: number;
}

/** What the methods take. Every method quantizes symmetrically (absmax, narrow range). */
export interface OutlierMethodConfig {
  weightBits: number;
  activationBits: number;
  /** SmoothQuant migration strength α ∈ [0, 1]. */
  alpha: number;
  /** LLM.int8(): channels whose max |x| exceeds it stay in float16. */
  threshold: number;
  /** Seeds the rotation's random signs (and, for generated data, the data). */
  seed: number;
}

const bitsField = integerField(8, 2, 16);

/** The most channels of the generated (square) layer: channels² ≤ MAX_ELEMENTS. */
export const MAX_CHANNELS = Math.floor(Math.sqrt(MAX_ELEMENTS));

export const OUTLIER_DATA_FIELDS: { readonly [K in keyof OutlierDataConfig]: Field<number> } = {
  tokens: integerField(512, 1, MAX_DIM),
  // W is channels × channels: at most MAX_ELEMENTS values (2048² = 4,194,304).
  channels: integerField(512, 1, MAX_CHANNELS),
  outputs: integerField(512, 1, MAX_DIM),
  // The LLM.int8() paper finds a handful of outlier feature dimensions (about 6 at 6.7B parameters).
  outlierChannels: integerField(6, 0, MAX_DIM, `an integer from 0 to the number of channels`),
  // × N(0, 1): the outlier channels peak near 20 · 3 = 60 over 512 tokens, the paper's regime.
  outlierScale: numberField(
    20,
    `a positive number up to ${MAX_OUTLIER_SCALE}`,
    (n) => n > 0 && n <= MAX_OUTLIER_SCALE,
  ),
  seed: CONFIG_FIELDS.seed,
};

export const OUTLIER_METHOD_FIELDS: { readonly [K in keyof OutlierMethodConfig]: Field<number> } = {
  weightBits: bitsField,
  activationBits: bitsField,
  alpha: numberField(0.5, 'a number from 0 to 1', (n) => n >= 0 && n <= 1),
  // LLM.int8()'s default (Dettmers et al. 2022, arXiv 2208.07339).
  threshold: numberField(6, 'a positive number below 1e30', (n) => n > 0 && n < 1e30),
  seed: CONFIG_FIELDS.seed,
};

function resolve<T extends { [K in keyof T]: number }>(
  fields: { readonly [K in keyof T]: Field<number> },
  partial: Partial<T>,
): T {
  if (partial === null || typeof partial !== 'object')
    throw new QuantError('invalid-config', 'config must be an object');
  const out: Record<string, number> = {};
  for (const key of Object.keys(fields) as (keyof T & string)[]) {
    const field = fields[key];
    const value = (partial as Record<string, unknown>)[key];
    if (value === undefined) out[key] = field.default;
    else if (field.valid(value)) out[key] = value;
    else
      throw new QuantError(
        'invalid-config',
        `${key} = ${JSON.stringify(value)} is invalid: use ${field.allowed}`,
      );
  }
  return out as T;
}

/** Defaults filled and every field checked; `outputs` defaults to `channels`. Throws `invalid-config`. */
export function resolveDataConfig(partial: Partial<OutlierDataConfig> = {}): OutlierDataConfig {
  const config = resolve<OutlierDataConfig>(OUTLIER_DATA_FIELDS, {
    ...partial,
    outputs: partial?.outputs ?? partial?.channels ?? OUTLIER_DATA_FIELDS.channels.default,
  });
  if (config.outlierChannels > config.channels)
    throw new QuantError(
      'invalid-config',
      `outlierChannels = ${config.outlierChannels} is invalid: use at most channels (${config.channels})`,
    );
  for (const [name, n] of [
    ['tokens × channels', config.tokens * config.channels],
    ['channels × outputs', config.channels * config.outputs],
  ] as const)
    if (n > MAX_ELEMENTS)
      throw new QuantError('invalid-shape', `${name} = ${n}: at most ${MAX_ELEMENTS} values`);
  return config;
}

/**
 * Defaults filled and every field checked. `bits` sets both widths unless `weightBits` /
 * `activationBits` are given (SPEC §2.2). Throws `invalid-config`.
 */
export function resolveMethodConfig(
  partial: Partial<OutlierMethodConfig> & { bits?: number } = {},
): OutlierMethodConfig {
  const bits = partial?.bits;
  if (bits !== undefined && !bitsField.valid(bits))
    throw new QuantError(
      'invalid-config',
      `bits = ${JSON.stringify(bits)} is invalid: use ${bitsField.allowed}`,
    );
  return resolve<OutlierMethodConfig>(OUTLIER_METHOD_FIELDS, {
    ...partial,
    weightBits: partial?.weightBits ?? bits,
    activationBits: partial?.activationBits ?? bits,
  });
}

/** The largest code of a symmetric b-bit grid (SPEC §3: the narrow range ±(2^(b−1) − 1)). */
export function symmetricQmax(bits: number): number {
  return 2 ** (bits - 1) - 1;
}

/** The power of two ≥ channels that the rotation pads to. */
export function rotatedWidth(channels: number): number {
  let n = 1;
  while (n < channels) n *= 2;
  return n;
}
