import { MAX_SOURCE_BYTES, parseWeights, QuantError, type Weights } from '../core/index.js';

/** How long a `src` may take to answer and arrive before it is a `bad-source` (SPEC §4). */
export const SOURCE_TIMEOUT_MS = 20_000;

let sourceTimeoutMs = SOURCE_TIMEOUT_MS;

/**
 * Sets the `src` timeout of every element of the page (milliseconds, > 0; exported from the kit as
 * `setSourceTimeout`): a page on a slow network may want longer, a test shorter.
 */
export function setSourceTimeout(ms: number): void {
  if (!(ms > 0) || !Number.isFinite(ms))
    throw new RangeError(`the src timeout must be a positive number of ms, got ${ms}`);
  sourceTimeoutMs = ms;
}

/**
 * Fetches and parses a `src` URL; every failure is a QuantError 'bad-source'. An abort of
 * `signal` (the element moved on) rejects with that abort, not an error.
 */
export async function loadSource(
  url: string,
  signal: AbortSignal,
  timeoutMs = sourceTimeoutMs,
): Promise<Weights> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    return await fetchAndParse(url, AbortSignal.any([signal, timeout]));
  } catch (e) {
    if (signal.aborted) throw e;
    if (timeout.aborted) {
      throw new QuantError('bad-source', `${url} did not arrive within ${timeoutMs / 1000} s`, 'src');
    }
    throw e;
  }
}

async function fetchAndParse(url: string, signal: AbortSignal): Promise<Weights> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (e) {
    if (signal.aborted) throw e;
    throw new QuantError(
      'bad-source',
      `could not fetch ${url}: ${(e as Error).message || 'network error'}`,
      'src',
    );
  }
  if (!response.ok)
    throw new QuantError('bad-source', `could not fetch ${url}: HTTP ${response.status}`, 'src');
  const tooLarge = () =>
    new QuantError('bad-source', `${url} is larger than ${MAX_SOURCE_BYTES} bytes`, 'src');
  if (Number(response.headers.get('content-length')) > MAX_SOURCE_BYTES) throw tooLarge();
  const buffer = await readAtMost(response, MAX_SOURCE_BYTES, tooLarge);
  try {
    return parseWeights(buffer);
  } catch (e) {
    const message = e instanceof QuantError ? e.message : String(e);
    throw new QuantError('bad-source', `${url}: ${message}`, 'src');
  }
}

/** Reads a body, stopping as soon as it passes `limit` bytes (no Content-Length needed). */
async function readAtMost(response: Response, limit: number, tooLarge: () => Error): Promise<ArrayBuffer> {
  if (!response.body) return response.arrayBuffer();
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out.buffer;
}
