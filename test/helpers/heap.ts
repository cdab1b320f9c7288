/** The JS heap after a full GC (Chromium with --js-flags=--expose-gc --enable-precise-memory-info). */
export async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('window.gc is missing: run Chromium with --js-flags=--expose-gc');
  // Three passes with a task between: weak callbacks and finalizers run after a pass.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
}
