// `import url from './x.worker.js?worker&url'`: the URL of a module worker, bundled by Vite (demo,
// CDN build, apps that use Vite) and served by web-test-runner (scripts/wtr-worker-url.mjs).
declare module '*?worker&url' {
  const url: string;
  export default url;
}
