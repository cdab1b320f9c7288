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
