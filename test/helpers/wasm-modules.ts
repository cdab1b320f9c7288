/**
 * Counts the WebAssembly modules compiled on this thread after this module runs. jax-js compiles
 * one per new kernel and keeps it for the page's life, so a test can check that a new attribute
 * value compiles no new kernel. Import it before anything loads jax-js. Browser and Node alike.
 */
let compiled = 0;

const wasm = WebAssembly as unknown as Record<string, unknown>;
const OriginalModule = WebAssembly.Module;
class CountingModule extends OriginalModule {
  constructor(bytes: BufferSource) {
    super(bytes);
    compiled++;
  }
}
wasm.Module = CountingModule;

const compile = WebAssembly.compile.bind(WebAssembly);
wasm.compile = (bytes: BufferSource) => {
  compiled++;
  return compile(bytes);
};

const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (
  source: BufferSource | WebAssembly.Module,
  imports?: WebAssembly.Imports,
) => Promise<unknown>;
// Bytes compile a module; an already compiled Module (jax-js's worker pool) does not.
wasm.instantiate = (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
  if (!(source instanceof OriginalModule)) compiled++;
  return instantiate(source, imports);
};

for (const name of ['compileStreaming', 'instantiateStreaming'] as const) {
  const original = wasm[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
  if (typeof original !== 'function') continue;
  wasm[name] = (...args: unknown[]) => {
    compiled++;
    return original.apply(WebAssembly, args);
  };
}

/** WebAssembly modules compiled on this thread since this module ran. */
export function compiledModules(): number {
  return compiled;
}
