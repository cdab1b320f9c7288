/**
 * What dist/lib asks of a bundler (issue 18): only the standard forms Vite, webpack 5 and others
 * detect. No Vite-only `?worker` / `?url` import; every `import.meta.url` inside a literal
 * `new URL('./file', import.meta.url)` that names a file of dist/lib (a bundler copies it, or bundles
 * it as a worker); every worker a literal `new Worker(new URL(…), { type: 'module' })`, but for the
 * controller that starts it again from the URL it read (src/controllers/worker.ts) and a `blob:`
 * probe; and every model file named by one such literal. Builds dist/lib first when it is missing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const lib = join(root, 'dist/lib');
/**
 * The `new Worker(<a variable>, …)`s, of no file a bundler could see: the controller's own start,
 * from the URL it read, and the trial `blob:` worker of the CSP probe.
 */
const UNBUNDLED = ['controllers/worker.js', 'core/worker-probe.js'];

let files: { path: string; text: string }[];

const isImportMetaUrl = (n: ts.Node) =>
  ts.isPropertyAccessExpression(n) && ts.isMetaProperty(n.expression) && n.name.text === 'url';

/** `new URL('<literal>', import.meta.url)`: the literal, else null. */
function literalUrl(n: ts.Node): string | null {
  if (!ts.isNewExpression(n) || !ts.isIdentifier(n.expression) || n.expression.text !== 'URL') return null;
  const [what, base] = n.arguments ?? [];
  if (!base || !isImportMetaUrl(base) || !what || !ts.isStringLiteralLike(what)) return null;
  return what.text;
}

interface Found {
  /** The files named by literal `new URL`s, relative to dist/lib. */
  urls: { file: string; target: string }[];
  workers: { file: string; target: string | null; module: boolean }[];
  /** `import.meta` anywhere else. */
  stray: string[];
}

function scan(): Found {
  const found: Found = { urls: [], workers: [], stray: [] };
  for (const { path, text } of files) {
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
    const at = (n: ts.Node) => `${path}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (n: ts.Node): void => {
      const literal = literalUrl(n);
      if (literal !== null) {
        found.urls.push({ file: at(n), target: relative(lib, join(lib, dirname(path), literal)) });
        if (!literal.startsWith('./') && !literal.startsWith('../')) found.stray.push(`${at(n)}: ${literal}`);
        return; // its import.meta.url is accounted for
      }
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'Worker') {
        const [url, options] = n.arguments ?? [];
        const target = url && literalUrl(url);
        const module =
          !!options &&
          ts.isObjectLiteralExpression(options) &&
          options.properties.some(
            (p) =>
              ts.isPropertyAssignment(p) &&
              p.name.getText(source) === 'type' &&
              ts.isStringLiteralLike(p.initializer) &&
              p.initializer.text === 'module',
          );
        found.workers.push({
          file: at(n),
          target: target ? relative(lib, join(lib, dirname(path), target)) : null,
          module,
        });
      }
      if (ts.isMetaProperty(n)) found.stray.push(`${at(n)}: ${n.parent.getText(source)}`);
      ts.forEachChild(n, visit);
    };
    visit(source);
  }
  return found;
}

describe('dist/lib for any bundler', () => {
  before(() => {
    if (!existsSync(join(lib, 'index.js')))
      execFileSync('npm', ['run', 'build:lib'], { cwd: root, stdio: 'ignore' });
    files = readdirSync(lib, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.js'))
      .map((path) => ({ path, text: readFileSync(join(lib, path), 'utf8') }));
  });

  it('has no Vite-only import query (`?worker`, `?url`)', () => {
    const hits = files.filter((f) => /\?(worker|url)\b/.test(f.text)).map((f) => f.path);
    assert.deepEqual(hits, []);
  });

  it('uses import.meta.url only in literal new URL(…)s that name its own files', () => {
    const { urls, stray } = scan();
    assert.deepEqual(stray, [], 'import.meta elsewhere, or a URL that is not relative');
    assert.ok(urls.length > 0);
    const missing = urls.filter((u) => !existsSync(join(lib, u.target)));
    assert.deepEqual(missing, [], 'literal URLs of files that dist/lib does not have');
  });

  it('starts every worker as a literal new Worker(new URL(…), { type: "module" })', () => {
    const { workers } = scan();
    const loose = workers.filter((w) => !w.target || !w.module);
    assert.deepEqual(
      loose.map((w) => w.file.replace(/:\d+$/, '')),
      UNBUNDLED,
      'a worker a bundler cannot see',
    );
    const named = workers.flatMap((w) => (w.target ? [w.target] : [])).sort();
    const built = readdirSync(join(lib, 'workers'))
      .filter((f) => f.endsWith('.worker.js'))
      .map((f) => `workers/${f}`)
      .sort();
    assert.deepEqual(named, built, 'each worker of dist/lib/workers started once');
  });

  it('names every model file in a literal new URL(…)', () => {
    const named = new Set(scan().urls.map((u) => u.target));
    const models = readdirSync(join(lib, 'models')).filter((f) => /\.(json|bin\.gz)$/.test(f));
    assert.ok(models.length >= 4);
    assert.deepEqual(
      models.filter((f) => !named.has(`models/${f}`)),
      [],
      'model files a bundler would not copy (run node scripts/model-files.mjs)',
    );
  });
});
