import { MAX_SOURCE_BYTES, parseWeights, QuantError, type Weights } from '../core/index.js';

/** Fetches and parses a `src` URL; every failure is a QuantError 'bad-source'. */
export async function loadSource(url: string, signal: AbortSignal): Promise<Weights> {
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
  const length = Number(response.headers.get('content-length'));
  if (length > MAX_SOURCE_BYTES)
    throw new QuantError('bad-source', `${url} is larger than ${MAX_SOURCE_BYTES} bytes`, 'src');
  const buffer = await response.arrayBuffer();
  try {
    return parseWeights(buffer);
  } catch (e) {
    const message = e instanceof QuantError ? e.message : String(e);
    throw new QuantError('bad-source', `${url}: ${message}`, 'src');
  }
}
