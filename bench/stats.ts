/** Median / p95 of timing samples, and a fixed-width table for the console. */
export function summarize(samples: number[]): { median: number; p95: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), n: s.length };
}

export function table(title: string, rows: Record<string, string | number>[]): string {
  const keys = Object.keys(rows[0]);
  const cell = (v: string | number) => (typeof v === 'number' ? v.toFixed(2) : v);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(cell(r[k])).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padStart(widths[i])).join('  ');
  return [
    `\n${title}`,
    line(keys),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(keys.map((k) => String(cell(r[k]))))),
  ].join('\n');
}

/** Median wall time of `runs` calls of `fn`, in ms. */
export async function timeMedian(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return summarize(times).median;
}

/** Median and p95 wall time of `runs` calls of `fn`, in ms. */
export async function timeRuns(runs: number, fn: () => unknown): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return summarize(times);
}
