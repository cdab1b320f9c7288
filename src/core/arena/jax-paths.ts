/**
 * The jax-js paths, one runner each: operands moved to the device once, one jit-compiled function
 * called per run, its result read back (dataSync where kernels run on the calling thread, else
 * await data()). Everything is disposed by the runner's dispose().
 */
import { jit, numpy as np, type Array, type Device } from '@jax-js/jax';
import { QuantSession } from '../session.js';
import type { Operands } from './operands.js';
import { SkipPath, type PreparedPath } from './prepared.js';
import type { ArenaPath } from './types.js';

type DataArray = Awaited<ReturnType<Array['data']>>;

/**
 * Whether the device's kernels run on the calling thread, so dataSync() times exactly what data()
 * would. Not so for wasm with SharedArrayBuffer and Worker (a cross-origin isolated page): jax-js
 * then spreads async work over a worker pool, while dataSync() would compile a single-threaded
 * kernel, and the arena must time what the device really does.
 */
export function readsOnCallingThread(device: Device): boolean {
  if (device === 'cpu') return true;
  if (device !== 'wasm') return false;
  return typeof SharedArrayBuffer === 'undefined' || typeof Worker === 'undefined';
}

/** Reads an array back (consuming it) as float32. */
function readBack(x: Array, sync: boolean): Float32Array | Promise<Float32Array> {
  if (sync) return x.dataSync() as Float32Array;
  return x.data().then((d: DataArray) => d as Float32Array);
}

/** Moves operands to the device and waits until they are there. */
async function resident(...xs: Array[]): Promise<void> {
  await Promise.all(xs.map((x) => x.ref.blockUntilReady().then((r) => r.dispose())));
}

function disposeAll(xs: Array[]): void {
  for (const x of xs) if (x.refCount > 0) x.dispose();
}

/**
 * A runner from a jit function and its operands: waits until the operands are on the device, and
 * disposes both when that fails or when the runner is disposed. `call` runs once per timed run.
 */
async function residentPath(
  f: { dispose(): void },
  operands: Array[],
  call: () => Array,
  device: Device,
  info: Pick<PreparedPath, 'bytes' | 'note'>,
): Promise<PreparedPath> {
  const dispose = () => {
    f.dispose();
    disposeAll(operands);
  };
  try {
    await resident(...operands);
  } catch (e) {
    dispose();
    throw e;
  }
  return { ...info, run: () => readBack(call(), readsOnCallingThread(device)), dispose };
}

/** float32: A·B with jax-js matmul. */
async function prepareFloat32(ops: Operands, device: Device): Promise<PreparedPath> {
  const [m, k, n] = ops.shape;
  const A = np.array(ops.a, { shape: [m, k], device });
  const B = np.array(ops.b, { shape: [k, n], device });
  const f = jit((x: Array, y: Array) => np.matmul(x, y));
  return residentPath(f, [A, B], () => f(A.ref, B.ref), device, { bytes: (m * k + k * n) * 4 });
}

/**
 * int-jax: SPEC §3's quantized matmul. A and B are quantized per tensor, affine 8-bit (codes
 * 0…255 with zero-points za, zb: the kit's default scheme, so the correction terms are real), by
 * the kit's own jax-js quantizer, before timing. jax-js has no int8 dtype: the codes live on the
 * device as int32. One run: the int32 matmul, the zero-point correction
 *   C = Σ qa·qb − zb·Σ_k qa − za·Σ_k qb + K·za·zb
 * with Σ_k qa (the weights' row sums) precomputed, as a deployed kernel does, and the rescale sa·sb.
 */
async function prepareIntJax(ops: Operands, device: Device): Promise<PreparedPath> {
  const [m, k, n] = ops.shape;
  const config = { bits: 8, scheme: 'affine', granularity: 'tensor' } as const;
  const session = new QuantSession(device, { jit: false });
  let qa, qb;
  try {
    session.setData(ops.a, [m, k]);
    qa = await session.quantize(config);
    session.setData(ops.b, [k, n]);
    qb = await session.quantize(config);
  } finally {
    session.dispose();
  }
  const [sa, za, sb, zb] = [qa.scale[0], qa.zeroPoint[0], qb.scale[0], qb.zeroPoint[0]];
  // Σ qa·qb ≤ K·255² < 2³¹ for every K the arena allows (2048).
  const A = np.array(qa.codes, { shape: [m, k], device });
  const B = np.array(qb.codes, { shape: [k, n], device });
  const rowSumsA = A.ref.sum(1, { keepdims: true });
  const scale = Math.fround(sa * sb);
  const f = jit((a: Array, b: Array, rowSums: Array) =>
    np
      .matmul(a, b.ref)
      .sub(rowSums.mul(zb))
      .sub(b.sum(0, { keepdims: true }).mul(za))
      .add(k * za * zb)
      .astype(np.float32)
      .mul(scale),
  );
  return residentPath(f, [A, B, rowSumsA], () => f(A.ref, B.ref, rowSumsA.ref), device, {
    bytes: (m * k + k * n + m) * 4,
    note:
      `affine 8-bit codes per tensor (za = ${za}, zb = ${zb}) held as int32, since jax-js has no int8 dtype; ` +
      `int32 matmul, correction − zb·Σ_k qa (row sums precomputed) − za·Σ_k qb + K·za·zb, rescaled by sa·sb; ` +
      `operands quantized before timing`,
  });
}

/**
 * Whether jax-js runs a float16 matmul on this device, tried on a 2×2 product. jax-js's own error
 * is the reason otherwise (wasm: no float16 casts; webgpu without `shader-f16`; cpu without
 * Float16Array, e.g. Node 20).
 */
async function float16Support(device: Device): Promise<string | null> {
  const probe = jit((x: Array) => np.matmul(x.ref, x).astype(np.float32));
  let x: Array | null = null;
  try {
    x = np.array(new Float32Array([1, 2, 3, 4]), { shape: [2, 2], device }).astype(np.float16);
    const out = await probe(x.ref).data();
    return out[0] === 7 && out[3] === 22 ? null : `jax-js float16 matmul on ${device} gave wrong values`;
  } catch (e) {
    return `jax-js float16 on ${device}: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    probe.dispose();
    if (x && x.refCount > 0) x.dispose();
  }
}

/** float16: A and B cast to float16 on the device, matmul in float16, result cast to float32 for reading. */
async function prepareFloat16(ops: Operands, device: Device): Promise<PreparedPath> {
  const unsupported = await float16Support(device);
  if (unsupported) throw new SkipPath(unsupported);
  const [m, k, n] = ops.shape;
  const A = np.array(ops.a, { shape: [m, k], device }).astype(np.float16);
  const B = np.array(ops.b, { shape: [k, n], device }).astype(np.float16);
  const f = jit((x: Array, y: Array) => np.matmul(x, y).astype(np.float32));
  return residentPath(f, [A, B], () => f(A.ref, B.ref), device, {
    bytes: (m * k + k * n) * 2,
    note: 'float16 operands and float16 matmul (accumulation as the backend does it), cast to float32 to read',
  });
}

export function prepareJaxPath(path: ArenaPath, ops: Operands, device: Device): Promise<PreparedPath> {
  if (path === 'float32') return prepareFloat32(ops, device);
  if (path === 'int-jax') return prepareIntJax(ops, device);
  if (path === 'float16') return prepareFloat16(ops, device);
  throw new RangeError(`${path} is not a jax-js path`);
}
