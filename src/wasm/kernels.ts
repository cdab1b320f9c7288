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
 * Kernels: for n ≥ TILED_MIN_N (a matmul), the register-tiled 4×8 kernels (gemm_* in the .wat files):
 * prepare*() packs A into panels of 4 rows and Bt into panels of 8 columns, zero-padded to whole
 * tiles and whole k steps (see "Tiled matmul" in kernels.wat), once, outside run(). For n < TILED_MIN_N
 * (matrix × vector, where padding n to 8 would multiply the work) the row-dot _bt kernels run on
 * the operands as given, so the matrix streams through memory once at its own width (1 byte a code).
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
  /**
   * A copy of C (m×n, row-major) as computed by the last run() (zeros before the first), into
   * `into` (m·n long) when given, so that repeated reads need not allocate.
   */
  read(into?: T): T;
  /** Bytes of the resident operands as the kernel reads them (packed, padded; C not counted). */
  readonly bytes: number;
  /** Whether run() is the tiled kernel on packed operands (n ≥ TILED_MIN_N) or a row-dot _bt one. */
  readonly tiled: boolean;
}

/** An int32 product, with the dequantization epilogue in wasm. */
export interface PreparedIntMatmul extends PreparedMatmul<Int32Array>, Dequantizable {}

interface Dequantizable {
  /**
   * Reserves room for `offsets` (one int32 per row of C, e.g. a zero-point correction; zeros when
   * omitted) and the float32 output, and returns a function that turns the last run's C into
   * float32 (C[i,j] − offsets[i]) · scale in wasm (dequant_i32) and returns a copy of it: what
   * `Float32Array.from(C, (c, idx) => (c − offsets[row]) * scale)` gives, bit for bit. The copy goes
   * into `into` (m·n long) when given.
   */
  dequantizer(scale: number, offsets?: Int32Array): (into?: Float32Array) => Float32Array;
}

/** Smallest n that takes the tiled kernels (below it, the row-dot _bt kernels: matrix × vector). */
export const TILED_MIN_N = 4;
/** The tile of the gemm_* kernels: rows of A and columns of B per micro-kernel call. */
export const TILE = { m: 4, n: 8 } as const;

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
  prepareI8(a: Int8Array, bt: Int8Array, m: number, k: number, n: number): PreparedIntMatmul;
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
  ): PreparedIntMatmul;
  /** Frees every prepared operand; earlier handles throw when used. */
  reset(): void;
}

/** (a, bt, c, m, k, n), pointers as byte offsets into the instance's memory. */
type MatmulFn = (a: number, bt: number, c: number, m: number, k: number, n: number) => void;

/** (ap, bp, c, mp, steps, np): packed panels, mp and np multiples of the tile, steps of k. */
type GemmFn = (ap: number, bp: number, c: number, mp: number, steps: number, np: number) => void;

/** (c, cstride, offsets, out, m, n, scale). */
type DequantFn = (c: number, cs: number, off: number, out: number, m: number, n: number, s: number) => void;

interface KernelExports {
  memory: WebAssembly.Memory;
  matmul_f32_bt: MatmulFn;
  matmul_i8_bt: MatmulFn;
  gemm_f32_4x8: GemmFn;
  gemm_i8_4x8c2: GemmFn;
  dequant_i32: DequantFn;
}

interface RelaxedExports {
  memory: WebAssembly.Memory;
  matmul_i8_relaxed_bt: MatmulFn;
  gemm_i8_relaxed_4x8c4: GemmFn;
  dequant_i32: DequantFn;
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
  const ws = new Workspace(exports.memory, exports.dequant_i32);
  // f32: 1 k a step, A and B as float32. int8: 2 k a step, A sign-extended to int16 when packed (the
  // splat operand: extending it once here saves 4 extensions a step), B int8 (extended as loaded).
  const prepareF32 = (a: Float32Array, bt: Float32Array, m: number, k: number, n: number) =>
    n >= TILED_MIN_N
      ? ws.prepareTiled(exports.gemm_f32_4x8, 1, Float32Array, Float32Array, a, bt, m, k, n, Float32Array)
      : ws.prepare(exports.matmul_f32_bt, Float32Array, a, bt, m, k, n, Float32Array);
  const prepareI8 = (a: Int8Array, bt: Int8Array, m: number, k: number, n: number) =>
    n >= TILED_MIN_N
      ? ws.prepareTiled(exports.gemm_i8_4x8c2, 2, Int16Array, Int8Array, a, bt, m, k, n, Int32Array)
      : ws.prepare(exports.matmul_i8_bt, Int8Array, a, bt, m, k, n, Int32Array);
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
  const ws = new Workspace(exports.memory, exports.dequant_i32);
  const prepareI8Relaxed = (a: Int8Array, bt: Uint8Array | Int8Array, m: number, k: number, n: number) => {
    for (let i = 0; i < bt.length; i++) {
      const v = bt[i];
      if (v < 0 || v > 127) {
        throw new RangeError(
          `relaxed int8 kernel: Bt must hold 7-bit unsigned codes (0…127); Bt[${i}] = ${v}`,
        );
      }
    }
    // 4 k a step: A int8, B 0…127 (the padding's zero codes are in range too).
    return n >= TILED_MIN_N
      ? ws.prepareTiled(exports.gemm_i8_relaxed_4x8c4, 4, Int8Array, Uint8Array, a, bt, m, k, n, Int32Array)
      : ws.prepare(exports.matmul_i8_relaxed_bt, Uint8Array, a, bt, m, k, n, Int32Array);
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
type PackedCtor = InputCtor | Int16ArrayConstructor;
type OutputCtor<T> = { new (buffer: ArrayBuffer, byteOffset: number, length: number): T };

const PAGE = 65536;

function checkDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be an integer ≥ 0 (got ${v})`);
}

function checkInto<T extends { length: number }>(into: T | undefined, length: number): T | undefined {
  if (into && into.length !== length)
    throw new RangeError(`into has ${into.length} elements; C has ${length}`);
  return into;
}

function checkSize(name: string, length: number, rows: number, cols: number): void {
  checkDim('rows', rows);
  checkDim('cols', cols);
  if (length !== rows * cols) {
    throw new RangeError(`${name} has ${length} elements; ${rows}×${cols} needs ${rows * cols}`);
  }
}

/**
 * Packs a row-major rows×k matrix (A, or Bt) into panels of `tile` rows, `w` k a step: element
 * (row P·tile + r, k t·w + e) goes to ((P·S + t)·tile + r)·w + e, S = ⌈k / w⌉. `dst` must be
 * zero-filled and ⌈rows / tile⌉·tile·S·w long: the padding rows and k stay 0.
 */
export function packPanels(
  src: ArrayLike<number>,
  rows: number,
  k: number,
  tile: number,
  w: number,
  dst: { [i: number]: number },
): void {
  const steps = Math.ceil(k / w);
  for (let i = 0; i < rows; i++) {
    const r = i % tile;
    const base = (i - r) * steps * w + r * w;
    const row = i * k;
    for (let kk = 0; kk < k; kk++) {
      const t = (kk / w) | 0;
      dst[base + t * tile * w + (kk - t * w)] = src[row + kk];
    }
  }
}

/** One instance's memory as a stack of 16-byte aligned regions, and the handles on them. */
class Workspace {
  #top = 0;
  #generation = 0;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly dequant: DequantFn,
  ) {}

  /** The dequantization epilogue of an int32 C (row stride cstride) of m×n. */
  #dequantizer(live: () => void, cPtr: number, cstride: number, m: number, n: number) {
    return (scale: number, offsets?: Int32Array): ((into?: Float32Array) => Float32Array) => {
      live();
      if (offsets && offsets.length !== m) throw new RangeError(`offsets: ${offsets.length} for ${m} rows`);
      const offPtr = this.#alloc(m * 4);
      const outPtr = this.#alloc(m * n * 4);
      new Int32Array(this.memory.buffer, offPtr, m).set(offsets ?? new Int32Array(m));
      return (into) => {
        live();
        this.dequant(cPtr, cstride, offPtr, outPtr, m, n, scale);
        // set() into a new array, not slice(): V8's slice() of a Float32Array view is ~5× slower
        // (0.14 ms for 256² here, as long as the dequantization itself 15 times over).
        const copy = checkInto(into, m * n) ?? new Float32Array(m * n);
        copy.set(new Float32Array(this.memory.buffer, outPtr, m * n));
        return copy;
      };
    };
  }

  #liveCheck(): () => void {
    const generation = this.#generation;
    return () => {
      if (generation !== this.#generation) throw new Error('prepared matmul used after reset()');
    };
  }

  /** Packs A and Bt into tile panels (w k a step, element types packA / packB), reserves the padded C. */
  prepareTiled<T extends Float32Array | Int32Array>(
    fn: GemmFn,
    w: number,
    packA: PackedCtor,
    packB: PackedCtor,
    a: InputArray,
    bt: InputArray,
    m: number,
    k: number,
    n: number,
    out: OutputCtor<T>,
  ): PreparedMatmul<T> & Dequantizable {
    checkSize('A', a.length, m, k);
    checkSize('Bt', bt.length, n, k);
    const steps = Math.ceil(k / w);
    const mp = Math.ceil(m / TILE.m) * TILE.m;
    const np = Math.ceil(n / TILE.n) * TILE.n;
    const aLen = mp * steps * w;
    const bLen = np * steps * w;
    const aPtr = this.#alloc(aLen * packA.BYTES_PER_ELEMENT);
    const bPtr = this.#alloc(bLen * packB.BYTES_PER_ELEMENT);
    const cPtr = this.#alloc(mp * np * 4);
    const buffer = this.memory.buffer;
    const aView = new packA(buffer, aPtr, aLen);
    const bView = new packB(buffer, bPtr, bLen);
    // The stack may hold an earlier run's bytes: padding must be zero.
    aView.fill(0);
    bView.fill(0);
    packPanels(a, m, k, TILE.m, w, aView);
    packPanels(bt, n, k, TILE.n, w, bView);
    new Uint8Array(buffer, cPtr, mp * np * 4).fill(0);
    const live = this.#liveCheck();
    return {
      m,
      k,
      n,
      tiled: true,
      bytes: aView.byteLength + bView.byteLength,
      run: () => {
        live();
        fn(aPtr, bPtr, cPtr, mp, steps, np);
      },
      read: (into) => {
        live();
        const c = new out(this.memory.buffer as ArrayBuffer, cPtr, mp * np);
        const r = checkInto(into, m * n) ?? new out(new ArrayBuffer(m * n * 4), 0, m * n);
        for (let i = 0; i < m; i++) r.set(c.subarray(i * np, i * np + n), i * n);
        return r;
      },
      dequantizer: this.#dequantizer(live, cPtr, np, m, n),
    };
  }

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
  ): PreparedMatmul<T> & Dequantizable {
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
    const live = this.#liveCheck();
    return {
      m,
      k,
      n,
      tiled: false,
      bytes: (m * k + n * k) * size,
      run: () => {
        live();
        fn(aPtr, btPtr, cPtr, m, k, n);
      },
      read: (into) => {
        live();
        const copy = checkInto(into, m * n) ?? new out(new ArrayBuffer(m * n * 4), 0, m * n);
        copy.set(new out(this.memory.buffer as ArrayBuffer, cPtr, m * n));
        return copy;
      },
      dequantizer: this.#dequantizer(live, cPtr, n, m, n),
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
