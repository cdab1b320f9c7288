/**
 * A memoized async loader that forgets failures. Concurrent calls share one
 * promise; once it resolves, every later call gets the same value without
 * calling the loader again. If it rejects, the calls waiting on it get the
 * rejection and the next call starts over: a failed chunk download (a
 * transient 503) or device start is retried instead of breaking the page
 * until a reload.
 */
export function memoizeRetry<T>(loader: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    if (pending) return pending;
    let attempt: Promise<T>;
    try {
      attempt = Promise.resolve(loader());
    } catch (e) {
      attempt = Promise.reject(e);
    }
    pending = attempt;
    // Registered before any caller's handler, so a caller that retries from its
    // own catch already starts a new attempt.
    attempt.catch(() => {
      if (pending === attempt) pending = null;
    });
    return attempt;
  };
}

const RETRY_PARAM = 'qw-retry';

function parseUrl(text: string | null): URL | null {
  if (text === null) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * The module URL a failed dynamic import names: Chromium's "Failed to fetch
 * dynamically imported module: URL", Firefox's "error loading dynamically
 * imported module: URL". Safari names none; nor does an error the module threw.
 */
export function failedImportUrl(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const m = /(?:failed to fetch|error loading) dynamically imported module:\s*(\S+)\s*$/i.exec(e.message);
  return m ? m[1] : null;
}

/**
 * A memoized dynamic import that a page can retry after a failed download.
 * Browsers remember a failed module fetch by URL for the life of the page
 * (Chromium 156 still does; whatwg/html#10327 lifts that for HTTP errors), so
 * importing the same URL again fails at once. After a failure that names its
 * URL, the next call imports that URL with a `qw-retry=N` query instead: a new
 * URL, fetched afresh, and still the only instance, since the first never ran.
 * A module that failed in one of its own imports cannot be retried this way;
 * that takes a reload. `importFirst` is the bundler-visible `import('./x.js')`,
 * `importUrl` a plain `import(url)` the bundler leaves alone.
 */
export function retryableImport<T>(
  importFirst: () => Promise<T>,
  importUrl: (url: string) => Promise<T>,
): () => Promise<T> {
  let failed: URL | null = null;
  let attempt = 0;
  return memoizeRetry(async () => {
    try {
      if (!failed) return await importFirst();
      const url = new URL(failed);
      url.searchParams.set(RETRY_PARAM, String(++attempt));
      return await importUrl(url.href);
    } catch (e) {
      failed = parseUrl(failedImportUrl(e)) ?? failed;
      failed?.searchParams.delete(RETRY_PARAM);
      throw e;
    }
  });
}
