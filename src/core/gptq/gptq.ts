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

/** Codes and dequantized values of w ([out, 1] or [out, B]) on per-row grids [out, 1] (borrowed). */
function onGrid(w: Array, scale: Array, zero: Array, qmin: number, qmax: number): Array {
  const codes = np.clip(roundHalfEven(w.div(scale.ref)).add(zero.ref), qmin, qmax);
  return codes.sub(zero).mul(scale);
}

/** Per-row minmax grids of w [out, B] (consumed), as SPEC §3 (the device twin of setup.ts gridOf). */
function gridsOf(w: Array, q: LayerQuant): [Array, Array] {
  const { qmin, qmax } = codeLimits(q);
  if (q.scheme === 'symmetric') {
    const hi = np.abs(w).max(1, keep);
    const scale = np.where(hi.ref.equal(0), 1, np.maximum(hi.div(qmax), 2 ** -126));
    return [scale.ref, np.zerosLike(scale)];
  }
  const lo = np.minimum(w.ref.min(1, keep), 0);
  const hi = np.maximum(w.max(1, keep), 0);
  const scale = np.where(hi.ref.equal(lo.ref), 1, np.maximum(hi.sub(lo.ref).div(qmax - qmin), 2 ** -126));
  const zero = np.clip(roundHalfEven(lo.div(scale.ref)).neg().add(qmin), qmin, qmax);
  return [scale, zero];
}

/**
 * One lazy block as one compiled call, compiled once per layer shape: (W [out, P], Q [out, P],
 * E [P, B] one-hot of the block's columns, U1 [B, B] the block's part of U, Urows [B, P] its rows
 * zeroed up to the block's end[, scale, zero [out, 1] fixed grids]) → W, Q[, the group's grid].
 * Where the block lies is in the operands only, so every block runs the same kernels. Its B
 * columns are unrolled at static offsets inside the block: measured on wasm, a compiled call per
 * column (the column a one-hot runtime operand) took 2.2 s for the first digits layer against
 * 0.5 s this way, the calls' fixed cost dominating their 128×32 work.
 */
function compile(q: LayerQuant, group: boolean): Fn {
  const { qmin, qmax } = codeLimits(q);
  const whole = jit((w: Array, qAll: Array, e: Array, u1: Array, urows: Array, ...fixedGrid: Array[]) => {
    const b = e.shape[1];
    let w1 = np.matmul(w.ref, e.ref);
    const [scale, zero] = group ? gridsOf(w1.ref, q) : fixedGrid;
    const qs: Array[] = [];
    const errs: Array[] = [];
    for (let k = 0; k < b; k++) {
      const col = w1.ref.slice([], [k, k + 1]);
      const urow = u1.ref.slice([k, k + 1], []);
      const d = u1.ref.slice([k, k + 1], [k, k + 1]);
      const qv = onGrid(col.ref, scale.ref, zero.ref, qmin, qmax);
      const err = col.sub(qv.ref).div(d);
      if (k < b - 1) w1 = w1.sub(err.ref.mul(urow));
      else urow.dispose();
      qs.push(qv);
      errs.push(err);
    }
    w1.dispose();
    u1.dispose();
    const q1 = np.concatenate(qs, 1);
    const err1 = np.concatenate(errs, 1);
    const outs = [w.sub(np.matmul(err1, urows)), qAll.add(np.matmul(q1, e.transpose()))];
    if (group) return [...outs, scale, zero];
    scale.dispose();
    zero.dispose();
    return outs;
  }) as Fn;
  return whole;
}

/**
 * GPTQ of one [out, cols] layer on the calibration inputs `x` ([n, cols] on `device`, borrowed).
 * `onColumns(done)`: after each block is queued.
 */
export async function gptqLayer(
  device: Device,
  weight: Float32Array,
  [out, cols]: [number, number],
  x: Array,
  n: number,
  q: LayerQuant,
  onColumns: (done: number) => void = () => {},
): Promise<LayerResult> {
  const { granularity, block: B } = layout(q, cols);
  const group = granularity === 'group';
  // Setup: H on the device (one matmul), its factor on the host in float64.
  const hd = np.matmul(x.ref.transpose(), x.ref);
  const h = Float64Array.from((await hd.data()) as Float32Array, (v) => (v * 2) / n);
  const dead = prepareHessian(h, cols);
  const u = inverseFactor(h, cols);
  const blocks = Math.ceil(cols / B);
  const P = blocks * B;
  // Fixed grids from the original weights, float32 as the device uses them.
  const scale = new Float32Array(out);
  const zero = new Float32Array(out);
  if (!group) {
    const rowRange = (r: number) => {
      let [lo, hi] = [Infinity, -Infinity];
      for (let j = 0; j < cols; j++)
        [lo, hi] = [Math.min(lo, weight[r * cols + j]), Math.max(hi, weight[r * cols + j])];
      return [lo, hi];
    };
    const ranges = [...new globalThis.Array(out).keys()].map(rowRange);
    const all = [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
    for (let r = 0; r < out; r++) {
      const g = granularity === 'tensor' ? gridOf(all[0], all[1], q) : gridOf(ranges[r][0], ranges[r][1], q);
      [scale[r], zero[r]] = [g.scale, g.zero];
    }
  }
  const wp = new Float32Array(out * P);
  for (let r = 0; r < out; r++)
    for (let j = 0; j < cols; j++) if (!dead[j]) wp[r * P + j] = weight[r * cols + j];
  const whole = compile(q, group);
  const owned: Array[] = [];
  const keepArray = (a: Array) => (owned.push(a), a);
  let w = upload(wp, [out, P], device);
  let qAll = upload(new Float32Array(out * P), [out, P], device);
  let fixed: [Array, Array] | null = group
    ? null
    : [keepArray(upload(scale, [out, 1], device)), keepArray(upload(zero, [out, 1], device))];
  const groupGrids: Array[] = [];
  try {
    for (let b = 0; b < blocks; b++) {
      const i1 = b * B;
      const e = new Float32Array(P * B);
      for (let k = 0; k < B; k++) e[(i1 + k) * B + k] = 1;
      const u1 = new Float32Array(B * B);
      const urows = new Float32Array(B * P);
      for (let k = 0; k < B; k++) {
        const j = i1 + k;
        for (let m = 0; m < P; m++) {
          // Padding columns: identity in U (their weights are zero, their error is zero).
          const v = j < cols && m < cols ? u[j * cols + m] : j === m ? 1 : 0;
          if (m >= i1 && m < i1 + B) u1[k * B + (m - i1)] = v;
          else if (m >= i1 + B) urows[k * P + m] = v;
        }
      }
      const ed = upload(e, [P, B], device);
      const u1d = upload(u1, [B, B], device);
      const outs = whole(
        w,
        qAll,
        ed,
        u1d,
        upload(urows, [B, P], device),
        ...(fixed ? [fixed[0].ref, fixed[1].ref] : []),
      );
      [w, qAll] = outs;
      if (group) groupGrids.push(outs[2], outs[3]);
      onColumns(Math.min(i1 + B, cols));
    }
    w.dispose();
    const qp = (await qAll.data()) as Float32Array;
    const grids = await Promise.all(groupGrids.map((g) => g.data() as Promise<Float32Array>));
    const { qmin, qmax } = codeLimits(q);
    const dequantized = new Float32Array(out * cols);
    const codes = new Int32Array(out * cols);
    for (let r = 0; r < out; r++)
      for (let j = 0; j < cols; j++) {
        const v = qp[r * P + j];
        const blk = Math.floor(j / B);
        const [s, z] = group ? [grids[2 * blk][r], grids[2 * blk + 1][r]] : [scale[r], zero[r]];
        dequantized[r * cols + j] = v;
        codes[r * cols + j] = codeOf(v, s, z, qmin, qmax) + 0;
      }
    let scales: Float32Array;
    if (granularity === 'tensor') scales = Float32Array.of(scale[0]);
    else if (!group) scales = scale;
    else {
      scales = new Float32Array(out * blocks);
      for (let r = 0; r < out; r++) for (let b = 0; b < blocks; b++) scales[r * blocks + b] = grids[2 * b][r];
    }
    return { dequantized, codes, scales };
  } finally {
    for (const a of owned) a.dispose();
    fixed = null;
    whole.dispose();
  }
}
