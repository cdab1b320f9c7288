// Byte budgets of the CDN folder (issue 18): what a page fetches before any widget is near (the
// entry and its static imports), and what the first visible simulator adds (its file, jax-js and
// the engine). Gzip -9 of each file, as a static host or CDN would compress it; each file once.
// Usage: node scripts/cdn-budget.mjs [dist/cdn]  (prints a table; exit 1 over a budget)
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGETS = {
  'before any widget is near': 10 * 1024,
  'first simulator visible (all it needs, jax-js included)': 130 * 1024,
};

const STATIC = /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{}\s,]+from\s*)?["'](\.\.?\/[^"']+)["']/g;
const DYNAMIC = /import\(\s*["'`](\.\.?\/[^"'`]+)["'`]\s*\)/g;

const specifiers = (code, re) => [...code.matchAll(re)].map((m) => m[1]);

/** Files reached from `files` by static imports (and dynamic ones too, when `dynamic`). */
export function closure(dir, files, { dynamic = false } = {}) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dir, file), 'utf8');
    const next = [...specifiers(code, STATIC), ...(dynamic ? specifiers(code, DYNAMIC) : [])];
    for (const s of next) visit(join(dirname(file), s).replace(/^\.\//, ''));
  };
  files.forEach(visit);
  return seen;
}

/** The file a dynamic import of `name` (e.g. /^engine-/) in `files` points to. */
function dynamicTarget(dir, files, pattern) {
  for (const f of files) {
    const code = readFileSync(join(dir, f), 'utf8');
    const hit = specifiers(code, DYNAMIC).find((s) => pattern.test(s.replace(/^.*\//, '')));
    if (hit) return join(dirname(f), hit).replace(/^\.\//, '');
  }
  return null;
}

export const gzipBytes = (dir, files) =>
  [...files].reduce((t, f) => t + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);

export function measure(dir) {
  const before = closure(dir, ['quant-widgets.js']);
  const sim = closure(dir, [...before, 'quant-simulator.js']);
  const engine = dynamicTarget(dir, sim, /^engine-/);
  const first = engine ? closure(dir, [...sim, engine]) : sim;
  return [
    { what: 'before any widget is near', files: before, bytes: gzipBytes(dir, before) },
    {
      what: 'first simulator visible (all it needs, jax-js included)',
      files: first,
      bytes: gzipBytes(dir, first),
      missing: engine ? null : 'no engine chunk found',
    },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = resolve(process.argv[2] ?? 'dist/cdn');
  let over = 0;
  console.log('| what | files | gzip | budget |\n| --- | --- | --- | --- |');
  for (const row of measure(dir)) {
    const budget = BUDGETS[row.what];
    if (row.bytes > budget || row.missing) over++;
    console.log(
      `| ${row.what} | ${row.files.size} | ${(row.bytes / 1024).toFixed(1)} KB | ≤ ${budget / 1024} KB${row.missing ? ` (${row.missing})` : ''} |`,
    );
  }
  process.exit(over ? 1 : 0);
}
