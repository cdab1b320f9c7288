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

/**
 * A browser's CSP refusal of WebAssembly ("… violates the following Content Security policy
 * directive because 'unsafe-eval' is not allowed …") names the wrong keyword for a page author:
 * the one to add is 'wasm-unsafe-eval'. Other messages pass through, the kit's own included (they
 * name their rule, e.g. worker-src blob:).
 */
export function explainRuntimeMessage(message: string): string {
  if (/WebAssembly/i.test(message) && /'unsafe-eval'/.test(message) && !/wasm-unsafe-eval/.test(message))
    return `this page's Content-Security-Policy blocks WebAssembly: add 'wasm-unsafe-eval' to script-src (${message})`;
  return message;
}
