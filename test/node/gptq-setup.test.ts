/**
 * The pieces GPTQ and AWQ share (src/core/gptq/setup.ts), checked against definitions written
 * out here and nothing from setup.ts: the reference and the jax-js implementation both use them,
 * so their agreement in gptq.test.ts cannot catch a wrong factor or a wrong scale.
 * - inverseFactor: U upper triangular with a positive diagonal and UᵀU·H = I;
 * - referenceGptq: the same codes as GPTQ written the way the OBS paper states it (a full
 *   inverse Hessian by Gauss–Jordan, each quantized column's error fed to every later column
 *   by H⁻¹_qk / H⁻¹_qq, then column q eliminated from H⁻¹), dead inputs and dampening included;
 * - awqScales: s = max(mean^α, 1e-4) / √(max s · min s) on numbers worked by hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { referenceGptq } from '../../src/core/gptq/reference.js';
import { awqScales, inverseFactor, type LayerQuant } from '../../src/core/gptq/setup.js';

/** A small seeded generator (mulberry32), uniform in [−1, 1). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

function spd(n: number, seed: number): Float64Array {
  const r = uniform(seed);
  const a = Float64Array.from({ length: n * n }, r);
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * a[j * n + k];
      h[i * n + j] = s;
    }
  return h;
}

/** Gauss–Jordan inverse with partial pivoting, float64. */
function invert(m: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    for (let k = 0; k < n; k++) {
      [a[c * n + k], a[p * n + k]] = [a[p * n + k], a[c * n + k]];
      [inv[c * n + k], inv[p * n + k]] = [inv[p * n + k], inv[c * n + k]];
    }
    const d = a[c * n + c];
    for (let k = 0; k < n; k++) {
      a[c * n + k] /= d;
      inv[c * n + k] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c];
      for (let k = 0; k < n; k++) {
        a[r * n + k] -= f * a[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return inv;
}

const half = (v: number) => {
  const f = Math.floor(v);
  return v - f !== 0.5 ? Math.round(v) : f % 2 === 0 ? f : f + 1;
};

/** Affine minmax grid of SPEC §3 for a block with values in [lo, hi], bits b. */
function grid(lo: number, hi: number, bits: number) {
  const qmax = 2 ** bits - 1;
  const [a, b] = [Math.min(lo, 0), Math.max(hi, 0)];
  if (a === b) return { scale: 1, zero: 0, qmax };
  const scale = (b - a) / qmax;
  return { scale, zero: Math.min(qmax, Math.max(0, -half(a / scale))), qmax };
}

/** GPTQ as the OBS update on the full inverse Hessian, column by column (affine; per channel or per group). */
function obsGptq(
  w0: Float32Array,
  out: number,
  cols: number,
  x: Float64Array,
  n: number,
  bits: number,
  group: number,
) {
  const h = new Float64Array(cols * cols);
  for (let s = 0; s < n; s++)
    for (let i = 0; i < cols; i++)
      for (let j = 0; j < cols; j++) h[i * cols + j] += (2 / n) * x[s * cols + i] * x[s * cols + j];
  const w = Float64Array.from(w0);
  // Per-channel grids come from the original weights, before dead inputs are zeroed.
  const rowGrid = Array.from({ length: out }, (_, r) => {
    const row = Array.from(w0.subarray(r * cols, (r + 1) * cols));
    return grid(Math.min(...row), Math.max(...row), bits);
  });
  let diag = 0;
  for (let i = 0; i < cols; i++) {
    if (h[i * cols + i] === 0) {
      h[i * cols + i] = 1;
      for (let r = 0; r < out; r++) w[r * cols + i] = 0;
    }
    diag += h[i * cols + i];
  }
  for (let i = 0; i < cols; i++) h[i * cols + i] += (0.01 * diag) / cols;
  const hinv = invert(h, cols);
  const codes = new Int32Array(out * cols);
  let grids = rowGrid;
  for (let q = 0; q < cols; q++) {
    if (group && q % group === 0)
      grids = Array.from({ length: out }, (_, r) => {
        const g = Array.from(w.subarray(r * cols + q, r * cols + q + group));
        return grid(Math.min(...g), Math.max(...g), bits);
      });
    const d = hinv[q * cols + q];
    for (let r = 0; r < out; r++) {
      const { scale, zero, qmax } = grids[r];
      const c = Math.min(qmax, Math.max(0, half(w[r * cols + q] / scale) + zero));
      codes[r * cols + q] = c;
      const e = (w[r * cols + q] - scale * (c - zero)) / d;
      for (let k = q + 1; k < cols; k++) w[r * cols + k] -= e * hinv[q * cols + k];
    }
    // Eliminate q: H⁻¹ ← H⁻¹ − H⁻¹[:, q] H⁻¹[q, :] / H⁻¹_qq.
    const col = Array.from({ length: cols }, (_, i) => hinv[i * cols + q]);
    const row = hinv.slice(q * cols, (q + 1) * cols);
    for (let i = 0; i < cols; i++) for (let k = 0; k < cols; k++) hinv[i * cols + k] -= (col[i] * row[k]) / d;
  }
  return codes;
}

describe('inverseFactor', () => {
  for (const n of [1, 5, 40])
    it(`n = ${n}: U is upper triangular, positive on the diagonal, and UᵀU·H = I`, () => {
      const h = spd(n, 7 + n);
      const u = inverseFactor(h, n);
      for (let i = 0; i < n; i++) {
        assert.ok(u[i * n + i] > 0, `U[${i},${i}] = ${u[i * n + i]}`);
        for (let j = 0; j < i; j++) assert.equal(u[i * n + j], 0, `U[${i},${j}]`);
      }
      let worst = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) {
            let utu = 0;
            for (let m = 0; m < n; m++) utu += u[m * n + i] * u[m * n + k];
            s += utu * h[k * n + j];
          }
          worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
        }
      assert.ok(worst < 1e-9, `max |UᵀUH − I| = ${worst}`);
    });

  it('refuses a matrix that is not positive definite', () => {
    assert.throws(() => inverseFactor(Float64Array.from([1, 2, 2, 1]), 2), RangeError);
  });
});

describe('referenceGptq vs GPTQ as the OBS update', () => {
  const cases: [string, number, number, LayerQuant][] = [
    // 40 columns cross the 32-column lazy block.
    [
      'per channel, 3 bits, 40 inputs',
      40,
      3,
      { bits: 3, scheme: 'affine', granularity: 'channel', groupSize: 32 },
    ],
    [
      'per group of 4, 2 bits, 12 inputs',
      12,
      2,
      { bits: 2, scheme: 'affine', granularity: 'group', groupSize: 4 },
    ],
  ];
  for (const [name, cols, bits, q] of cases)
    it(`${name}, with a dead input: identical codes`, () => {
      const out = 5;
      const n = 60;
      const r = uniform(cols * 31 + bits);
      const w = Float32Array.from({ length: out * cols }, r);
      // Correlated inputs (so the feedback matters) and input 2 dead.
      const x = new Float64Array(n * cols);
      for (let s = 0; s < n; s++) {
        const common = r();
        for (let j = 0; j < cols; j++) x[s * cols + j] = j === 2 ? 0 : common + 0.5 * r();
      }
      const want = obsGptq(w, out, cols, x, n, bits, q.granularity === 'group' ? q.groupSize : 0);
      const got = referenceGptq(w, [out, cols], x, n, q);
      assert.deepEqual(Array.from(got.codes), Array.from(want));
      // Not a vacuous case: the feedback changed codes away from round-to-nearest.
      const rtn = Array.from(w, (v, i) => {
        const row = Array.from(w.subarray(Math.floor(i / cols) * cols, (Math.floor(i / cols) + 1) * cols));
        const g = grid(Math.min(...row), Math.max(...row), bits);
        return Math.min(g.qmax, Math.max(0, half(v / g.scale) + g.zero));
      });
      assert.ok(rtn.some((c, i) => c !== want[i] && i % cols !== 2));
    });
});

describe('awqScales', () => {
  it('s = mean^α, normalised by √(max · min)', () => {
    assert.deepEqual(Array.from(awqScales([0.25, 1, 4], 0.5)), [0.5, 1, 2]);
    assert.deepEqual(Array.from(awqScales([0.25, 1, 4], 1)), [0.25, 1, 4]);
    assert.deepEqual(Array.from(awqScales([1, 16], 0.5)), [0.5, 2]);
    assert.deepEqual(Array.from(awqScales([0.3, 7], 0)), [1, 1]);
  });
  it('a silent input is floored at 1e-4 before the normalisation', () => {
    const s = awqScales([0, 1], 0.5);
    assert.ok(Math.abs(s[0] - 0.01) < 1e-7 && Math.abs(s[1] - 100) < 1e-4, `${s[0]}, ${s[1]}`);
  });
});
