/**
 * Records every WebAssembly.Memory created after this module runs, so tests
 * can read jax-js's wasm heap size. Import it before anything loads jax-js.
 */
const memories: WebAssembly.Memory[] = [];
const Original = WebAssembly.Memory;
class RecordingMemory extends Original {
  constructor(descriptor: WebAssembly.MemoryDescriptor) {
    super(descriptor);
    memories.push(this);
  }
}
WebAssembly.Memory = RecordingMemory as typeof WebAssembly.Memory;

/** Bytes of the largest recorded wasm memory (jax-js's heap). */
export function wasmHeapBytes(): number {
  return Math.max(0, ...memories.map((m) => m.buffer.byteLength));
}
