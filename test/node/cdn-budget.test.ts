/**
 * The CDN folder's byte budgets (issue 18), measured on a fresh `vite build` of it: before any
 * widget is near a page fetches ≤ 10 KB gzip (the autoloader and the core's synchronous API), and
 * the first visible simulator brings everything it needs, jax-js included, in ≤ 130 KB. Also: the
 * autoloader knows every element folder, and the entry pulls in no Lit, uPlot or jax-js.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { TAGS, undefinedCss } from '../../src/cdn/elements.js';
// @ts-expect-error: a plain .mjs script without types
import { BUDGETS, closure, measure } from '../../scripts/cdn-budget.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(root, `.tmp/cdn-budget-${process.pid}`);

type Row = { what: string; files: Set<string>; bytes: number; missing: string | null };

describe('CDN byte budgets', () => {
  before(async () => {
    await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'silent', build: { outDir } });
  });
  after(() => rmSync(outDir, { recursive: true, force: true }));

  it('every element folder has its tag in the autoloader and its own file', () => {
    const folders = readdirSync(join(root, 'src/components')).filter((f) => f.startsWith('quant-'));
    assert.deepEqual([...TAGS].sort(), folders.sort());
    for (const tag of TAGS) assert.ok(readdirSync(outDir).includes(`${tag}.js`), `${tag}.js`);
  });

  it("the README shows the loader's :not(:defined) stylesheet as it is, and the article uses it", () => {
    assert.ok(readFileSync(join(root, 'README.md'), 'utf8').includes(undefinedCss()));
    // The article loads the kit as a module, not through the loader: its own CSS keeps the room.
    assert.ok(readFileSync(join(root, 'demo/demo.css'), 'utf8').includes(undefinedCss()));
  });

  it('before any widget is near: ≤ 10 KB gzip, with no Lit, uPlot or jax-js', () => {
    const [row] = measure(outDir) as Row[];
    console.log(
      `before any widget is near: ${(row.bytes / 1024).toFixed(1)} KB gzip, ${[...row.files].join(' ')}`,
    );
    assert.ok(row.bytes <= BUDGETS[row.what], `${row.bytes} bytes`);
    const code = [...(closure(outDir, ['quant-widgets.js']) as Set<string>)]
      .map((f) => readFileSync(join(outDir, f), 'utf8'))
      .join('\n');
    for (const marker of ['lit-html', 'uPlot', 'WebAssembly.instantiate', 'customElements.define('])
      assert.ok(!code.includes(marker), `the entry's files contain ${marker}`);
  });

  it('jax-js is one file, which the engine and both workers import (fetched once per page)', () => {
    // A message string of jax-js's wasm backend: in exactly one file of the folder.
    const MARK = 'cannot read synchronously from a slot with async work';
    const files = readdirSync(outDir).filter((f) => f.endsWith('.js'));
    const jax = files.filter((f) => readFileSync(join(outDir, f), 'utf8').includes(MARK));
    assert.equal(jax.length, 1, `jax-js in ${jax}`);
    const workers = files.filter((f) => f.endsWith('.worker.js'));
    assert.deepEqual(workers.sort(), ['arena.worker.js', 'qat.worker.js']);
    for (const w of workers)
      assert.ok((closure(outDir, [w]) as Set<string>).has(jax[0]), `${w} imports ${jax[0]}`);
    // Every engine chunk (the quantizers' and the outliers'), and jax-js itself imports nothing.
    const engines = files.filter((f) => f.startsWith('engine-') && !f.startsWith('engine-loader'));
    assert.ok(engines.length >= 1);
    for (const e of engines)
      assert.ok((closure(outDir, [e]) as Set<string>).has(jax[0]), `${e} imports ${jax[0]}`);
    assert.deepEqual([...(closure(outDir, [jax[0]]) as Set<string>)], [jax[0]]);
    // The shared chunks are DOM-free: no worker or engine chunk reaches an entry.
    for (const f of [...workers, ...engines])
      assert.ok(!(closure(outDir, [f]) as Set<string>).has('quant-widgets.js'), `${f} imports the entry`);
  });

  it('uPlot arrives with the first chart, not with the first simulator', () => {
    const first = (measure(outDir) as Row[])[1].files;
    assert.ok(![...first].some((f) => f.startsWith('uplot')), 'uPlot in the first simulator');
    const histogram = closure(outDir, ['quant-histogram.js'], { dynamic: true }) as Set<string>;
    assert.ok(
      [...histogram].some((f) => f.startsWith('uplot')),
      'uPlot not reached from the histogram',
    );
  });

  it('the first visible simulator: ≤ 130 KB gzip with jax-js and the engine', () => {
    const row = (measure(outDir) as Row[])[1];
    console.log(
      `first simulator visible: ${(row.bytes / 1024).toFixed(1)} KB gzip in ${row.files.size} files`,
    );
    assert.equal(row.missing, null);
    assert.ok([...row.files].some((f) => f.startsWith('engine-')));
    assert.ok(row.bytes <= BUDGETS[row.what], `${row.bytes} bytes`);
  });
});
