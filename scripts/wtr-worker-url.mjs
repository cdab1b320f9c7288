// web-test-runner plugin: `import url from './x.worker.js?worker&url'` (Vite's syntax) gives the URL
// of the worker module, which the dev server then serves like any other module (TS compiled, bare
// imports resolved). What Vite does for the demo and the CDN build, for the tests.
export function workerUrlPlugin() {
  return {
    name: 'quant-worker-url',
    serve(context) {
      const params = context.URL.searchParams;
      if (!params.has('worker') || !params.has('url')) return undefined;
      const path = context.path.replace(/\.js$/, '.ts');
      return { body: `export default new URL(${JSON.stringify(path)}, import.meta.url).href;\n`, type: 'js' };
    },
  };
}
