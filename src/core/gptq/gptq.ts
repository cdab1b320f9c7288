/**
 * GPTQ on jax-js, one layer (the algorithm of reference.ts, float32 on the device). The column
 * loop runs three fixed-shape jit-compiled functions, each compiled once per layer shape: a block
 * start (the block's columns gathered by a one-hot matmul; a group's scale from them), a column
 * step whose column is a runtime one-hot operand (no slice per column, which would compile one
 * kernel per column), and a block end (the lazy update of the later columns, the block's
 * quantized columns scattered back, again by one-hot matmuls). The Cholesky factor of H⁻¹ is
 * setup in float64 on the host (setup.ts); its blocks are uploaded once as operands.
 *
 * Ownership (jax-js): every op and jit call consumes its array arguments; `.ref` keeps one.
 */
import { jit, numpy as np, type Array, type Device, type OwnedFunction } from '@jax-js/jax';
import { roundHalfEven } from '../round.js';
import { upload } from '../upload.js';
import type { LayerResult } from './reference.js';
import {
  codeLimits,
  codeOf,
  gridOf,
  inverseFactor,
  layout,
  prepareHessian,
  type LayerQuant,
} from './setup.js';

type Fn = OwnedFunction<(...args: Array[]) => Array[]>;

const keep = { keepdims: true };

/**
 * Compiled steps, kept for the worker's life: a reader's next calibration (another bit width,
 * another layer of the same width) compiles nothing. Keyed by shape and scheme only: the code range
 * is an operand.
 */
const compiled = new Map<string, Fn>();

function cached(key: string, make: () => Fn): Fn {
  let f = compiled.get(key);
  if (!f) compiled.set(key, (f = make()));
  return f;
}

/** Codes' dequantized values of w ([R, 1]) on per-row grids [R, 1] (borrowed), range [qmin, qmax] [1] (borrowed). */
function onGrid(w: Array, scale: Array, zero: Array, qmin: Array, qmax: Array): Array {
  const codes = np.minimum(np.maximum(roundHalfEven(w.div(scale.ref)).add(zero.ref), qmin.ref), qmax.ref);
  return codes.sub(zero.ref).mul(scale.ref);
}

/** Per-row minmax grids of w [R, B] (consumed), as SPEC §3 (the device twin of setup.ts gridOf). */
function gridsOf(w: Array, symmetric: boolean, qmin: Array, qmax: Array): [Array, Array] {
  if (symmetric) {
    qmin.dispose();
    const hi = np.abs(w).max(1, keep);
    const scale = np.where(hi.ref.equal(0), 1, np.maximum(hi.div(qmax), 2 ** -126));
    return [scale.ref, np.zerosLike(scale)];
  }
  const lo = np.minimum(w.ref.min(1, keep), 0);
  const hi = np.maximum(w.max(1, keep), 0);
  const steps = qmax.ref.sub(qmin.ref);
  const scale = np.where(hi.ref.equal(lo.ref), 1, np.maximum(hi.sub(lo.ref).div(steps), 2 ** -126));
  const zero = np.minimum(np.maximum(roundHalfEven(lo.div(scale.ref)).neg().add(qmin.ref), qmin), qmax);
  return [scale, zero];
}

/**
 * The column loop of one lazy block, compiled once per block shape [R, B] (rows padded to the
 * model's widest layer, so every layer of a model shares it): (W1 [R, B] the block's current
 * weights, U1 [B, B] the block's part of U, scale, zero [R, 1], range [2]) → Q1, Err1 [R, B].
 * The B columns are unrolled at static offsets; where the block lies is in the operands only.
 * Measured on wasm: a compiled call per column (the column a one-hot runtime operand) took 2.2 s
 * for the first digits layer against 0.5 s this way, the calls' fixed cost dominating their
 * 128×32 work.
 */
function blockStep(rows: number, b: number): Fn {
  return cached(
    `step ${rows}x${b}`,
    () =>
      jit((w1: Array, u1: Array, scale: Array, zero: Array, range: Array) => {
        const [qmin, qmax] = [range.ref.slice([0, 1]), range.slice([1, 2])];
        const qs: Array[] = [];
        const errs: Array[] = [];
        for (let k = 0; k < b; k++) {
          const col = w1.ref.slice([], [k, k + 1]);
          const qv = onGrid(col.ref, scale, zero, qmin, qmax);
          const err = col.sub(qv.ref).div(u1.ref.slice([k, k + 1], [k, k + 1]));
          // U is upper triangular: the columns before k get nothing, column k itself is done.
          if (k < b - 1) w1 = w1.sub(err.ref.mul(u1.ref.slice([k, k + 1], [])));
          qs.push(qv);
          errs.push(err);
        }
        for (const a of [w1, u1, scale, zero, qmin, qmax]) a.dispose();
        return [np.concatenate(qs, 1), np.concatenate(errs, 1)];
      }) as Fn,
  );
}

/** A group's grids from its block W1 [R, B] (consumed): compiled once per block shape and scheme. */
function groupGrids(rows: number, b: number, symmetric: boolean): Fn {
  return cached(
    `grid ${rows}x${b} ${symmetric}`,
    () =>
      jit((w1: Array, range: Array) =>
        gridsOf(w1, symmetric, range.ref.slice([0, 1]), range.slice([1, 2])),
      ) as Fn,
  );
}

/** (W [R, P], E [P, B] one-hot of the block's columns) → W1 = W·E [R, B]: the block's columns, no slice. */
function gather(rows: number, p: number, b: number): Fn {
  return cached(`gather ${rows}x${p}x${b}`, () => jit((w: Array, e: Array) => [np.matmul(w, e)]) as Fn);
}

/**
 * The lazy update at a block's end: (W, Q [R, P], Q1, Err1 [R, B], E [P, B], Urows [B, P] the
 * block's rows of U zeroed up to its end) → W − Err1·Urows, Q + Q1·Eᵀ.
 */
function update(rows: number, p: number, b: number): Fn {
  return cached(
    `update ${rows}x${p}x${b}`,
    () =>
      jit((w: Array, qAll: Array, q1: Array, err1: Array, e: Array, urows: Array) => [
        w.sub(np.matmul(err1, urows)),
        qAll.add(np.matmul(q1, e.transpose())),
      ]) as Fn,
  );
}

/**
 * GPTQ of one [out, cols] layer on the calibration inputs `x` ([n, cols] on `device`, borrowed).
 * `rows`: pad the rows to this (the model's widest layer: one compiled block step for all its
 * layers). `onColumns(done)`: after each block is queued.
 */
export async function gptqLayer(
  device: Device,
  weight: Float32Array,
  [out, cols]: [number, number],
  x: Array,
  n: number,
  q: LayerQuant,
  onColumns: (done: number) => void = () => {},
  rows = out,
): Promise<LayerResult> {
  const { granularity, block: B } = layout(q, cols);
  const group = granularity === 'group';
  const R = Math.max(rows, out);
  // Setup: H on the device (one matmul), its factor on the host in float64.
  const hd = np.matmul(x.ref.transpose(), x.ref);
  const h = Float64Array.from((await hd.data()) as Float32Array, (v) => (v * 2) / n);
  const dead = prepareHessian(h, cols);
  const u = inverseFactor(h, cols);
  const blocks = Math.ceil(cols / B);
  const P = blocks * B;
  const { qmin, qmax } = codeLimits(q);
  // Fixed grids from the original weights (padding rows: zero weights, any grid), float32 as the device uses them.
  const scale = new Float32Array(R).fill(1);
  const zero = new Float32Array(R);
  if (!group) {
    const ranges: [number, number][] = [];
    for (let r = 0; r < out; r++) {
      let [lo, hi] = [Infinity, -Infinity];
      for (let j = 0; j < cols; j++)
        [lo, hi] = [Math.min(lo, weight[r * cols + j]), Math.max(hi, weight[r * cols + j])];
      ranges.push([lo, hi]);
    }
    const all = [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
    for (let r = 0; r < out; r++) {
      const g = granularity === 'tensor' ? gridOf(all[0], all[1], q) : gridOf(ranges[r][0], ranges[r][1], q);
      [scale[r], zero[r]] = [g.scale, g.zero];
    }
  }
  const wp = new Float32Array(R * P);
  for (let r = 0; r < out; r++)
    for (let j = 0; j < cols; j++) if (!dead[j]) wp[r * P + j] = weight[r * cols + j];
  const [step, grids, take, lazy] = [
    blockStep(R, B),
    groupGrids(R, B, q.scheme === 'symmetric'),
    gather(R, P, B),
    update(R, P, B),
  ];
  const range = upload(Float32Array.of(qmin, qmax), [2], device);
  const fixed = group ? null : [upload(scale, [R, 1], device), upload(zero, [R, 1], device)];
  let w = upload(wp, [R, P], device);
  let qAll = upload(new Float32Array(R * P), [R, P], device);
  const kept: Array[] = [];
  try {
    for (let b = 0; b < blocks; b++) {
      const i1 = b * B;
      const e = new Float32Array(P * B);
      for (let k = 0; k < B; k++) e[(i1 + k) * B + k] = 1;
      const u1 = new Float32Array(B * B);
      const urows = new Float32Array(B * P);
      for (let k = 0; k < B; k++) {
        const j = i1 + k;
        for (let m = i1; m < P; m++) {
          // Padding columns: identity in U (their weights are zero, their error is zero).
          const v = j < cols && m < cols ? u[j * cols + m] : j === m ? 1 : 0;
          if (m < i1 + B) u1[k * B + (m - i1)] = v;
          else urows[k * P + m] = v;
        }
      }
      const ed = upload(e, [P, B], device);
      const [w1] = take(w.ref, ed.ref);
      let grid: Array[];
      if (fixed) grid = [fixed[0].ref, fixed[1].ref];
      else {
        grid = grids(w1.ref, range.ref);
        kept.push(grid[0].ref, grid[1].ref);
      }
      const [q1, err1] = step(w1, upload(u1, [B, B], device), grid[0], grid[1], range.ref);
      [w, qAll] = lazy(w, qAll, q1, err1, ed, upload(urows, [B, P], device));
      // Realized before the next block: queued unrealized, jax-js compiles the whole chain of
      // blocks as new kernels when it is read (3,500 wasm compiles for digits, seconds; ~150 this way).
      await w.blockUntilReady();
      onColumns(Math.min(i1 + B, cols));
    }
    w.dispose();
    const qp = (await qAll.data()) as Float32Array;
    const read = await Promise.all(kept.splice(0).map((g) => g.data() as Promise<Float32Array>));
    const dequantized = new Float32Array(out * cols);
    const codes = new Int32Array(out * cols);
    for (let r = 0; r < out; r++)
      for (let j = 0; j < cols; j++) {
        const v = qp[r * P + j];
        const blk = Math.floor(j / B);
        const [s, z] = group ? [read[2 * blk][r], read[2 * blk + 1][r]] : [scale[r], zero[r]];
        dequantized[r * cols + j] = v;
        codes[r * cols + j] = codeOf(v, s, z, qmin, qmax);
      }
    let scales: Float32Array;
    if (granularity === 'tensor') scales = Float32Array.of(scale[0]);
    else if (!group) scales = scale.slice(0, out);
    else {
      scales = new Float32Array(out * blocks);
      for (let r = 0; r < out; r++) for (let b = 0; b < blocks; b++) scales[r * blocks + b] = read[2 * b][r];
    }
    return { dequantized, codes, scales };
  } finally {
    range.dispose();
    for (const a of [...(fixed ?? []), ...kept]) a.dispose();
  }
}
