/**
 * Attribute text → typed value, for every attribute of SPEC §2.1 and the
 * element-specific ones. A parser returns undefined for text it rejects; the
 * spec's `allowed` says what would be accepted, for the error message.
 */
import {
  CALIBRATIONS,
  DEVICES,
  DISTRIBUTIONS,
  GRANULARITIES,
  MAX_BITS,
  MAX_DIM,
  MAX_ELEMENTS,
  MIN_BITS,
  ROUNDINGS,
  SCHEMES,
} from '../core/config.js';

export interface AttributeSpec<T = unknown> {
  /** Attribute name (kebab-case). */
  attribute: string;
  /** Property name (camelCase). */
  property: string;
  parse(text: string): T | undefined;
  /** What a valid value looks like, for the error message. */
  allowed: string;
  /** Part of the quantization config (synced across a `group`, sent in quant-change). */
  config?: boolean;
}

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

function oneOf<T extends string>(values: readonly T[]) {
  return (text: string): T | undefined => {
    const t = text.trim();
    return (values as readonly string[]).includes(t) ? (t as T) : undefined;
  };
}

/** `ROWSxCOLS` (or a single length), each 1–4096, at most 4,194,304 elements. */
export function parseShape(text: string): number[] | undefined {
  const m = /^\s*(\d+)\s*(?:[x×]\s*(\d+))?\s*$/i.exec(text);
  if (!m) return undefined;
  const dims = [m[1], m[2]].filter((d) => d !== undefined).map(Number);
  if (dims.some((d) => d < 1 || d > MAX_DIM)) return undefined;
  return dims.reduce((a, b) => a * b, 1) <= MAX_ELEMENTS ? dims : undefined;
}

/** Space-separated list of integers in a range, at least one, no duplicates. */
export function parseIntegerList(text: string, min: number, max: number): number[] | undefined {
  const parts = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const values = parts.map((p) => parseInteger(p, min, max));
  if (values.some((v) => v === undefined)) return undefined;
  return new Set(values).size === values.length ? (values as number[]) : undefined;
}

/** The attributes every quantizing element has (SPEC §2.1). */
export const SHARED_ATTRIBUTES: AttributeSpec[] = [
  {
    attribute: 'bits',
    property: 'bits',
    config: true,
    allowed: `an integer from ${MIN_BITS} to ${MAX_BITS}`,
    parse: (t) => parseInteger(t, MIN_BITS, MAX_BITS),
  },
  {
    attribute: 'scheme',
    property: 'scheme',
    config: true,
    allowed: SCHEMES.join(' or '),
    parse: oneOf(SCHEMES),
  },
  {
    attribute: 'granularity',
    property: 'granularity',
    config: true,
    allowed: GRANULARITIES.join(', '),
    parse: oneOf(GRANULARITIES),
  },
  {
    attribute: 'group-size',
    property: 'groupSize',
    config: true,
    allowed: 'an integer ≥ 2 that divides the number of columns',
    parse: (t) => parseInteger(t, 2, MAX_DIM),
  },
  {
    attribute: 'rounding',
    property: 'rounding',
    config: true,
    allowed: ROUNDINGS.join(', '),
    parse: oneOf(ROUNDINGS),
  },
  {
    attribute: 'calibration',
    property: 'calibration',
    config: true,
    allowed: CALIBRATIONS.join(', '),
    parse: oneOf(CALIBRATIONS),
  },
  {
    attribute: 'percentile',
    property: 'percentile',
    config: true,
    allowed: 'a number in (50, 100]',
    parse: (t) => {
      const n = parseNumber(t);
      return n !== undefined && n > 50 && n <= 100 ? n : undefined;
    },
  },
  {
    attribute: 'distribution',
    property: 'distribution',
    allowed: DISTRIBUTIONS.join(', '),
    parse: oneOf(DISTRIBUTIONS),
  },
  {
    attribute: 'shape',
    property: 'shape',
    allowed: `ROWSxCOLS, each 1–${MAX_DIM}, at most ${MAX_ELEMENTS} elements`,
    parse: parseShape,
  },
  {
    attribute: 'std',
    property: 'std',
    allowed: 'a positive number',
    parse: (t) => {
      const n = parseNumber(t);
      return n !== undefined && n > 0 && n < 1e30 ? n : undefined;
    },
  },
  {
    attribute: 'seed',
    property: 'seed',
    allowed: 'an integer',
    parse: (t) => parseInteger(t, -(2 ** 31), 2 ** 32 - 1),
  },
  {
    attribute: 'src',
    property: 'src',
    allowed: 'a URL of a .npy or JSON file',
    parse: (t) => t.trim() || undefined,
  },
  {
    attribute: 'loading',
    property: 'loading',
    allowed: 'lazy or eager',
    parse: oneOf(['lazy', 'eager'] as const),
  },
  { attribute: 'device', property: 'device', allowed: DEVICES.join(', '), parse: oneOf(DEVICES) },
  { attribute: 'group', property: 'group', allowed: 'a name', parse: (t) => t.trim() || undefined },
];

export { oneOf };
