/**
 * The core against its references, in one run (issue 20): `quantizeArray` per-channel affine
 * 8-bit half-even (codes and dequantized read) beside the plain typed-array loop doing the same
 * (codes, dequantized, MSE and SQNR), a session call that reads one array, the path of before
 * this change (an eager session per call), and the floor: the bytes the loop must move ÷ this
 * machine's memcpy bandwidth (measured here). Medians and p95 of one run; ratios to the loop.
 */
import { jit, numpy as np, type Array } from '@jax-js/jax';
import { expect } from '@open-wc/testing';
import { createSession, generateWeights, quantizeArray } from '../src/core/index.js';
import { QuantSession } from '../src/core/session.js';
import { resolveDevice } from '../src/core/runtime.js';
import { summarize, table } from './stats.js';

const f = Math.fround;

/** Per-row affine 8-bit, half-even, x · fl(1/scale) as jax-js computes it: the reference loop. */
function plainLoop(x: Float32Array, rows: number, cols: number) {
  const codes = new Int32Array(x.length);
  const dq = new Float32Array(x.length);
  let se = 0;
  let ss = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let lo = 0;
    let hi = 0;
    for (let i = o; i < o + cols; i++) {
      const v = x[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const scale = hi === lo ? 1 : f(f(hi - lo) * f(1 / 255));
    const inv = f(1 / scale);
    const zl = f(lo * inv);
    const zf = Math.floor(zl);
    const zr = zl - zf > 0.5 || (zl - zf === 0.5 && zf % 2 !== 0) ? zf + 1 : zf;
    const z = Math.min(255, Math.max(0, -zr));
    for (let i = o; i < o + cols; i++) {
      const v = f(x[i] * inv);
      const fl = Math.floor(v);
      const d = v - fl;
      const q = Math.min(255, Math.max(0, (d > 0.5 || (d === 0.5 && fl % 2 !== 0) ? fl + 1 : fl) + z));
      codes[i] = q;
      const y = f(scale * (q - z));
      dq[i] = y;
      const e = x[i] - y;
      se += e * e;
      ss += x[i] * x[i];
    }
  }
  return { codes, dq, mse: se / x.length, sqnrDb: 10 * Math.log10(ss / se) };
}

async function sample(runs: number, fn: () => unknown): Promise<{ median: number; p95: number }> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return summarize(t);
}

describe('core bench', function () {
  this.timeout(600000);

  it('quantizeArray vs the plain loop and memcpy', async () => {
    const config = { granularity: 'channel', bits: 8 } as const;
    const rows: Record<string, string | number>[] = [];
    const floors: Record<string, string | number>[] = [];
    for (const side of [256, 1024]) {
      const n = side * side;
      const shape = [side, side];
      const x = await generateWeights('normal', n, { std: 0.5, seed: 1 });
      const runs = side >= 1024 ? 15 : 41;
      // memcpy bandwidth: 64 MB (beyond the caches) into a buffer already touched, per value.
      const big = new Float32Array(1 << 24).fill(1);
      const dst = new Float32Array(1 << 24);
      dst.set(big);
      const bigCopy = await sample(9, () => dst.set(big));
      const copy = { median: (bigCopy.median * n) / big.length, p95: (bigCopy.p95 * n) / big.length };
      const fresh = await sample(runs, () => x.slice());
      const loop = await sample(runs, () => plainLoop(x, side, side));
      // Before: a session without jit per call, every array read (quantizeArray until issue 20).
      const device = await resolveDevice('auto');
      const before = await sample(runs, async () => {
        const s = new QuantSession(device, { jit: false });
        s.setData(x, shape);
        await s.quantize(config);
        s.dispose();
      });
      await quantizeArray(x, shape, config); // its first call runs eagerly; the second compiles
      await quantizeArray(x, shape, config);
      const both = await sample(runs, async () => {
        const r = await quantizeArray(x, shape, config);
        return r.codes.length + r.dequantized.length;
      });
      const session = await createSession('auto');
      session.setData(x, shape);
      await session.quantize(config, { read: ['dequantized'] });
      const one = await sample(runs, async () => {
        const r = await session.quantize(config, { read: ['dequantized'] });
        return r.dequantized.length;
      });
      // Same numbers as the loop (the conformance tests check every config; this, the bench's).
      const r = await session.quantize(config);
      const ref = plainLoop(x, side, side);
      expect(r.codes).to.deep.equal(ref.codes);
      expect(r.dequantized).to.deep.equal(ref.dq);
      session.dispose();
      // Floor: the loop reads x and writes codes and dequantized, 12 bytes a value; memcpy
      // moves 8 bytes a value (read + write) in `copy.median`.
      const bandwidth = (8 * n) / copy.median; // bytes per ms
      const floor = (12 * n) / bandwidth;
      const row = (name: string, s: { median: number; p95: number }) => ({
        shape: `${side}²`,
        path: name,
        'median ms': s.median,
        'p95 ms': s.p95,
        '× loop': s.median / loop.median,
        '× floor': s.median / floor,
      });
      rows.push(
        row('plain typed-array loop', loop),
        row('quantizeArray (codes + dequantized)', both),
        row('session, read: [dequantized]', one),
        row('before: eager session per call', before),
      );
      floors.push({
        shape: `${side}²`,
        'memcpy ms (4 B/value)': copy.median,
        'memcpy GB/s': (bandwidth * 1000) / 1e9,
        'alloc + copy ms (slice)': fresh.median,
        'floor ms (12 B/value)': floor,
      });
    }
    console.log(
      table(
        `quantizeArray per-channel 8-bit vs plain loop (crossOriginIsolated=${crossOriginIsolated})`,
        rows,
      ),
    );
    console.log(table('memory floor', floors));

    // Where jax-js 0.1.25 is the limit: a full reduction of 1M values costs several elementwise passes.
    const a = np.array(await generateWeights('normal', 1 << 20, { seed: 2 }), { device: 'wasm' });
    const kernels: [string, (v: Array) => Array][] = [
      ['elementwise v · 2', (v) => v.mul(2)],
      ['row max [1024, 1024] → [1024]', (v) => v.reshape([1024, 1024]).max(1)],
      ['sum() float32', (v) => v.sum()],
      ['sum() float64', (v) => v.astype(np.float64).sum()],
      [
        '5 sums (the stats)',
        (v) =>
          np.stack([
            v.ref.sum(),
            v.ref.mul(v.ref).sum(),
            np.abs(v.ref).sum(),
            np.abs(v.ref).max(),
            v.greater(1).astype(np.float32).sum(),
          ]),
      ],
    ];
    const limits: Record<string, string | number>[] = [];
    for (const [name, body] of kernels) {
      const fn = jit(body);
      const once = async () =>
        await fn(a.ref)
          .blockUntilReady()
          .then((o) => o.dispose());
      await once();
      const s = await sample(15, once);
      limits.push({ 'jit kernel on 1M float32 values (wasm)': name, 'median ms': s.median, 'p95 ms': s.p95 });
      fn.dispose();
    }
    a.dispose();
    console.log(table('jax-js 0.1.25 kernels', limits));
  });
});
