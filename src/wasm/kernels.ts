/**
 * Typed loader of the WebAssembly SIMD kernels of <quant-arena> (src/wasm/kernels.wat and
 * relaxed.wat, embedded by scripts/build-wasm.mjs). Pure: no DOM, runs in Node 20, a page or a Worker
 * (instantiating wasm from bytes needs CSP 'wasm-unsafe-eval', which SPEC §4 allows).
 *
 * Layout (the `_bt` of the wasm names): C[m×n] = A[m×k] · B[k×n] with B passed TRANSPOSED, as Bt[n×k];
 * all three row-major. So C[i,j] = dot(A row i, Bt row j) and both operands of every dot product are
 * contiguous along k. `transpose()` turns a row-major B[k×n] into Bt. For matrix × vector (the
 * single-token decode case), pass the matrix as A (m×k) and the vector as Bt with n = 1.
 *
 * Memory: each instance owns one wasm memory. Operands are copied into it by `prepare*()` at 16-byte
 * aligned offsets, one after the other (a stack: the memory grows as needed), and stay there so a
 * benchmark can time `run()` alone, then `read()` a copy of C. `reset()` frees them all; a handle
 * used after that throws. The one-shot `matmul*()` helpers prepare, run, read and free at once.
 */
import { KERNELS_WASM, RELAXED_WASM } from './kernels.generated.js';

/** Operands resident in a kernel instance's memory. */
export interface PreparedMatmul<T extends Float32Array | Int32Array> {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** Runs the kernel on the resident operands: C (in wasm memory) = A · Btᵀ. */
  run(): void;
  /** A copy of C (m×n, row-major) as computed by the last run() (zeros before the first). */
  read(): T;
}

/** The fixed-width SIMD pair: float32, and int8 × int8 → int32 (exact). */
export interface Kernels {
  readonly memory: WebAssembly.Memory;
  /** C[m×n] = A[m×k] · Bt[n×k]ᵀ in float32 (f32x4; summation order differs from a plain loop). */
  matmulF32(a: Float32Array, bt: Float32Array, m: number, k: number, n: number): Float32Array;
  /** C[m×n] = A[m×k] · Bt[n×k]ᵀ on int8 codes, int32 result, exact (any int8 codes, k < 131072). */
  matmulI8(a: Int8Array, bt: Int8Array, m: number, k: number, n: number): Int32Array;
  prepareF32(
    a: Float32Array,
    bt: Float32Array,
    m: number,
    k: number,
    n: number,
  ): PreparedMatmul<Float32Array>;
  prepareI8(a: Int8Array, bt: Int8Array, m: number, k: number, n: number): PreparedMatmul<Int32Array>;
  /** Frees every prepared operand; earlier handles throw when used. */
  reset(): void;
}

/**
 * The relaxed-SIMD int8 kernel (i32x4.relaxed_dot_i8x16_i7x16_add_s). Exact only because Bt is
 * required to hold 7-bit unsigned codes (0…127): the caller quantizes that operand to 7 bits (e.g.
 * asymmetric codes with a zero-point, or non-negative activations); A holds int8 codes. Out-of-range
 * Bt codes are rejected with a RangeError (the hardware result would be implementation-defined).
 */
export interface RelaxedKernels {
  readonly memory: WebAssembly.Memory;
  matmulI8Relaxed(a: Int8Array, bt: Uint8Array | Int8Array, m: number, k: number, n: number): Int32Array;
  prepareI8Relaxed(
    a: Int8Array,
    bt: Uint8Array | Int8Array,
    m: number,
    k: number,
    n: number,
  ): PreparedMatmul<Int32Array>;
  /** Frees every prepared operand; earlier handles throw when used. */
  reset(): void;
}

/** (a, bt, c, m, k, n), pointers as byte offsets into the instance's memory. */
type MatmulFn = (a: number, bt: number, c: number, m: number, k: number, n: number) => void;

interface KernelExports {
  memory: WebAssembly.Memory;
  matmul_f32_bt: MatmulFn;
  matmul_i8_bt: MatmulFn;
}

interface RelaxedExports {
  memory: WebAssembly.Memory;
  matmul_i8_relaxed_bt: MatmulFn;
}

/** Whether this runtime has fixed-width WebAssembly SIMD (every current browser; Node ≥ 16.4). */
export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(KERNELS_WASM);
}

/** Whether this runtime has relaxed SIMD (Chromium ≥ 114, Firefox ≥ 145; Node 20 only with a flag). */
export function relaxedSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_WASM);
}

/** Instantiates the f32/int8 pair. Rejects when the runtime has no WebAssembly SIMD. */
export async function instantiateKernels(): Promise<Kernels> {
  if (!simdSupported()) throw new Error('This runtime has no WebAssembly SIMD (fixed-width v128).');
  const { instance } = await WebAssembly.instantiate(KERNELS_WASM);
  const exports = instance.exports as unknown as KernelExports;
  const ws = new Workspace(exports.memory);
  const prepareF32 = (a: Float32Array, bt: Float32Array, m: number, k: number, n: number) =>
    ws.prepare(exports.matmul_f32_bt, Float32Array, a, bt, m, k, n, Float32Array);
  const prepareI8 = (a: Int8Array, bt: Int8Array, m: number, k: number, n: number) =>
    ws.prepare(exports.matmul_i8_bt, Int8Array, a, bt, m, k, n, Int32Array);
  return {
    memory: exports.memory,
    prepareF32,
    prepareI8,
    matmulF32: (a, bt, m, k, n) => ws.once(() => prepareF32(a, bt, m, k, n)),
    matmulI8: (a, bt, m, k, n) => ws.once(() => prepareI8(a, bt, m, k, n)),
    reset: () => ws.reset(),
  };
}

/** Instantiates the relaxed-SIMD kernel, or resolves null when the runtime rejects relaxed SIMD. */
export async function instantiateRelaxed(): Promise<RelaxedKernels | null> {
  if (!relaxedSimdSupported()) return null;
  const { instance } = await WebAssembly.instantiate(RELAXED_WASM);
  const exports = instance.exports as unknown as RelaxedExports;
  const ws = new Workspace(exports.memory);
  const prepareI8Relaxed = (a: Int8Array, bt: Uint8Array | Int8Array, m: number, k: number, n: number) => {
    for (let i = 0; i < bt.length; i++) {
      const v = bt[i];
      if (v < 0 || v > 127) {
        throw new RangeError(
          `relaxed int8 kernel: Bt must hold 7-bit unsigned codes (0…127); Bt[${i}] = ${v}`,
        );
      }
    }
    return ws.prepare(exports.matmul_i8_relaxed_bt, Uint8Array, a, bt, m, k, n, Int32Array);
  };
  return {
    memory: exports.memory,
    prepareI8Relaxed,
    matmulI8Relaxed: (a, bt, m, k, n) => ws.once(() => prepareI8Relaxed(a, bt, m, k, n)),
    reset: () => ws.reset(),
  };
}

/** Bt[n×k] from a row-major B[k×n] (the layout the kernels take), as a new array of B's type. */
export function transpose<T extends Float32Array | Int8Array | Uint8Array>(b: T, k: number, n: number): T {
  checkSize('B', b.length, k, n);
  const bt = b.slice() as T;
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < n; c++) bt[c * k + r] = b[r * n + c];
  }
  return bt;
}

type InputArray = Float32Array | Int8Array | Uint8Array;
type InputCtor = Float32ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor;
type OutputCtor<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T };

const PAGE = 65536;

function checkDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be an integer ≥ 0 (got ${v})`);
}

function checkSize(name: string, length: number, rows: number, cols: number): void {
  checkDim('rows', rows);
  checkDim('cols', cols);
  if (length !== rows * cols) {
    throw new RangeError(`${name} has ${length} elements; ${rows}×${cols} needs ${rows * cols}`);
  }
}

/** One instance's memory as a stack of 16-byte aligned regions, and the handles on them. */
class Workspace {
  #top = 0;
  #generation = 0;

  constructor(readonly memory: WebAssembly.Memory) {}

  /** Copies A and Bt in, reserves C, and returns the handle that runs `fn` on them. */
  prepare<T extends Float32Array | Int32Array>(
    fn: MatmulFn,
    view: InputCtor,
    a: InputArray,
    bt: InputArray,
    m: number,
    k: number,
    n: number,
    out: OutputCtor<T>,
  ): PreparedMatmul<T> {
    checkSize('A', a.length, m, k);
    checkSize('Bt', bt.length, n, k);
    const size = view.BYTES_PER_ELEMENT;
    const aPtr = this.#alloc(m * k * size);
    const btPtr = this.#alloc(n * k * size);
    const cPtr = this.#alloc(m * n * 4);
    // Views are made after every grow (growing detaches the old buffer).
    const buffer = this.memory.buffer;
    new view(buffer, aPtr, m * k).set(a);
    new view(buffer, btPtr, n * k).set(bt);
    new Uint8Array(buffer, cPtr, m * n * 4).fill(0);
    const generation = this.#generation;
    const live = () => {
      if (generation !== this.#generation) throw new Error('prepared matmul used after reset()');
    };
    return {
      m,
      k,
      n,
      run: () => {
        live();
        fn(aPtr, btPtr, cPtr, m, k, n);
      },
      read: () => {
        live();
        return new out(this.memory.buffer as ArrayBuffer, cPtr, m * n).slice() as T;
      },
    };
  }

  /** Prepare, run, read, then free what was prepared (the stack returns to where it was). */
  once<T extends Float32Array | Int32Array>(prepare: () => PreparedMatmul<T>): T {
    const mark = this.#top;
    try {
      const p = prepare();
      p.run();
      return p.read();
    } finally {
      this.#top = mark;
    }
  }

  reset(): void {
    this.#top = 0;
    this.#generation++;
  }

  #alloc(bytes: number): number {
    const ptr = Math.ceil(this.#top / 16) * 16;
    const top = ptr + bytes;
    if (top > 0xffff0000) throw new RangeError(`operands need ${top} bytes: over the 4 GiB of wasm32`);
    const have = this.memory.buffer.byteLength;
    if (top > have) this.memory.grow(Math.ceil((top - have) / PAGE));
    this.#top = top;
    return ptr;
  }
}
