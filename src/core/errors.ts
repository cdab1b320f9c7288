/** Machine-readable reason a core call or an element rejected its input. */
export type QuantErrorCode =
  'invalid-config' | 'invalid-shape' | 'invalid-data' | 'invalid-attribute' | 'bad-source' | 'runtime';

/**
 * The one error type of the kit. Core functions reject with it, elements put
 * its `{code, message}` on `error` and in `quant-error`.
 */
export class QuantError extends Error {
  readonly code: QuantErrorCode;
  readonly attribute: string | undefined;

  constructor(code: QuantErrorCode, message: string, attribute?: string) {
    super(message);
    this.name = 'QuantError';
    this.code = code;
    this.attribute = attribute;
  }
}

export function isQuantError(e: unknown): e is QuantError {
  return e instanceof QuantError;
}
