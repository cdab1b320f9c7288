// @ts-check
/**
 * The CDN bundle for tests (test/reliability/two-bundles.test.ts): built by `vite build` into a
 * temporary folder on the first request (about 2 s, once per test run) and served under
 * `/__cdn/COPY/…` for any COPY name, so one page can load two copies of the bundle from two URLs
 * (each with its own chunks, like two CDNs). `/__cdn/page?copies=a,b&tags=…` is such a page: it
 * records errors and kit events before the copies load, imports them in order, and holds one
 * eager element of each tag.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES = {
  '.js': 'js',
  '.json': 'json',
  '.map': 'json',
  '.gz': 'application/octet-stream',
  '.wasm': 'wasm',
};

/** @type {Promise<string> | null} */
let built = null;

/** The folder of a fresh CDN build (built once). */
function cdnBuild() {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'qw-cdn-'));
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    const { build } = await import('vite');
    await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    return outDir;
  })();
  return built;
}

/** The test page: two (or more) copies of the bundle and one eager element of each tag. */
function page(copies, tags) {
  const imports = copies
    .map((c, i) => `import * as copy${i} from '/__cdn/${c}/quant-widgets.js';`)
    .join('\n');
  return `<!doctype html><html><head><script>
  window.errors = [];
  window.events = [];
  addEventListener('error', (e) => errors.push(String(e.error ?? e.message)));
  addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));
  for (const type of ['quant-result', 'quant-error', 'quant-ready'])
    document.addEventListener(type, (e) => events.push({ tag: e.target.localName, type, detail: type === 'quant-error' ? e.detail : null }));
</script><script type="module">
${imports}
window.copies = [${copies.map((_, i) => `copy${i}`).join(', ')}];
</script></head><body>${tags.map((t) => `<${t} loading="eager"></${t}>`).join('')}</body></html>`;
}

/** @param {import('koa').Context} ctx @param {() => Promise<unknown>} next */
export async function cdnCopies(ctx, next) {
  if (ctx.path === '/__cdn/page') {
    const list = (/** @type {unknown} */ v, /** @type {RegExp} */ re) =>
      String(v ?? '')
        .split(',')
        .filter((w) => re.test(w));
    await cdnBuild();
    ctx.type = 'html';
    ctx.body = page(list(ctx.query.copies, /^\w+$/), list(ctx.query.tags, /^quant-[a-z]+$/));
    return undefined;
  }
  // The CDN folder reads the models from ../lib/models (dist/lib/models): src/models here.
  const model = /^\/__cdn\/lib\/models\/([\w.-]+)$/.exec(ctx.path);
  if (model) {
    const file = join(root, 'src/models', model[1]);
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return next();
    ctx.type = TYPES[/** @type {keyof typeof TYPES} */ (extname(file))] ?? 'application/octet-stream';
    ctx.body = readFileSync(file);
    return undefined;
  }
  const m = /^\/__cdn\/\w+\/(.+)$/.exec(ctx.path);
  if (!m) return next();
  const dir = await cdnBuild();
  const file = normalize(join(dir, m[1]));
  if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) return next();
  ctx.type = TYPES[/** @type {keyof typeof TYPES} */ (extname(file))] ?? 'application/octet-stream';
  ctx.body = readFileSync(file);
  return undefined;
}
