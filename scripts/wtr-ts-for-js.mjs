// @ts-check
// web-test-runner middleware: a request for `x.js` that does not exist while `x.ts` does gets the
// TypeScript module (compiled by the esbuild plugin). The sources name their workers by their built
// name (`new URL('./workers/qat.worker.js', import.meta.url)`, src/worker-sources.ts), which tsc
// output, Vite and webpack resolve; the test server serves src/ as it is.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} root the server's root folder */
export function tsForJs(root) {
  /** @param {import('koa').Context} ctx @param {() => Promise<unknown>} next */
  return (ctx, next) => {
    if (ctx.path.endsWith('.js') && !ctx.path.includes('..')) {
      const ts = `${ctx.path.slice(0, -3)}.ts`;
      if (!existsSync(join(root, ctx.path)) && existsSync(join(root, ts))) ctx.path = ts;
    }
    return next();
  };
}
