import { oneEvent } from '@open-wc/testing';

/** Resolves with the next event of `name` on `el`, or rejects after `ms`. */
export async function nextEvent<T = unknown>(
  el: EventTarget,
  name: string,
  ms = 15000,
): Promise<CustomEvent<T>> {
  let timer = 0;
  const timeout = new Promise<never>((_, reject) => {
    timer = window.setTimeout(() => reject(new Error(`no ${name} within ${ms} ms`)), ms);
  });
  try {
    return (await Promise.race([oneEvent(el, name), timeout])) as CustomEvent<T>;
  } finally {
    clearTimeout(timer);
  }
}

/** Jax-js module requests this page has made. */
export function jaxRequests(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((n) => n.includes('@jax-js'));
}

/**
 * Resolves once `el` has shown its first result. The element may already have
 * (an eager element can finish during fixture()), so check before waiting.
 */
export async function whenReady(el: Element & { result: unknown }, ms = 15000): Promise<void> {
  if (!el.result) await nextEvent(el, 'quant-ready', ms);
}

/** Resolves after `ms` (for a moment that matters, e.g. removal mid-run; not to wait for a result). */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
