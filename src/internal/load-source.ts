import { MAX_SOURCE_BYTES, parseWeights, QuantError, type Weights } from '../core/index.js';
import { quote } from './fields.js';

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
  // Messages stay short: a data: URL can be megabytes.
  const name = quote(url);
  try {
    return await fetchAndParse(url, name, AbortSignal.any([signal, timeout]));
  } catch (e) {
    if (signal.aborted) throw e;
    if (timeout.aborted) {
      throw new QuantError('bad-source', `${name} did not arrive within ${timeoutMs / 1000} s`, 'src');
    }
    throw e;
  }
}

const bad = (message: string) => new QuantError('bad-source', message, 'src');
const cause = (e: unknown) => (e as Error)?.message || 'network error';

async function fetchAndParse(url: string, name: string, signal: AbortSignal): Promise<Weights> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (e) {
    if (signal.aborted) throw e;
    throw bad(`could not fetch ${name}: ${cause(e)}`);
  }
  if (!response.ok) {
    // Release the connection: nobody reads this body.
    void response.body?.cancel().catch(() => {});
    throw bad(`could not fetch ${name}: HTTP ${response.status}`);
  }
  const tooLarge = () => bad(`${name} is larger than ${MAX_SOURCE_BYTES} bytes`);
  if (Number(response.headers.get('content-length')) > MAX_SOURCE_BYTES) {
    void response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  let buffer: ArrayBuffer;
  try {
    buffer = await readAtMost(response, MAX_SOURCE_BYTES, tooLarge);
  } catch (e) {
    // A connection dropped mid-body rejects the read with a bare TypeError.
    if (signal.aborted || e instanceof QuantError) throw e;
    throw bad(`could not read ${name}: ${cause(e)}`);
  }
  try {
    return parseWeights(buffer);
  } catch (e) {
    const message = e instanceof QuantError ? e.message : String(e);
    throw bad(`${name}: ${message}`);
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
