/** The number formats (SPEC §3.1) in Node: conformance table, known values, bad input. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_CONFIG,
  QuantError,
  createSession,
  dequantize,
  quantizeArray,
  quantizedMatmul,
} from '../../src/core/index.js';
import { referenceQuantize } from '../../src/core/reference.js';
import { levelsOf, NF4_LEVELS, NF4_MIDPOINTS } from '../../src/core/formats/tables.js';
import { castFloat, nf4Code, sharedExponent } from '../../src/core/formats/reference.js';
import { E2M1, E4M3, E5M2, BF16, FP16 } from '../../src/core/formats/tables.js';
import { lcgNormal } from '../shared/core-cases.js';
import { OTHER_FORMATS, compareFormatResults, formatFailures } from '../shared/format-cases.js';

const hex = (codes: ArrayLike<number>) => Array.from(codes, (c) => c.toString(16));

describe('number formats in Node', () => {
  it('match the oracle bit for bit on the conformance table (eager)', async () => {
    assert.deepEqual(await formatFailures((c) => quantizeArray(c.data, c.shape, c.config)), []);
  });

  it('match the oracle bit for bit through a jit-compiled session too', async () => {
    const session = await createSession('wasm', { jit: true });
    try {
      const failures = await formatFailures(async (c) => {
        session.setData(c.data, c.shape);
        return session.quantize(c.config);
      });
      assert.deepEqual(failures, []);
    } finally {
      session.dispose();
    }
  });

  it('have the known levels: E2M1, E4M3 (max 448), E5M2 (max 57344), fp16, bf16, MXINT8', () => {
    assert.deepEqual(
      Array.from(levelsOf('fp4-e2m1')),
      [-6, -4, -3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 4, 6],
    );
    assert.deepEqual(levelsOf('mxfp4'), levelsOf('fp4-e2m1'));
    const e4m3 = levelsOf('fp8-e4m3');
    assert.equal(e4m3.length, 253); // 256 codes − 2 NaNs − the second zero
    assert.deepEqual([e4m3[e4m3.length - 1], e4m3[e4m3.length - 2], e4m3[127]], [448, 416, 2 ** -9]);
    const e5m2 = levelsOf('fp8-e5m2');
    assert.equal(e5m2.length, 247); // 256 − 6 NaN − 2 Inf − the second zero
    assert.deepEqual([e5m2[e5m2.length - 1], e5m2[124]], [57344, 2 ** -16]);
    const fp16 = levelsOf('fp16');
    assert.deepEqual([fp16.length, fp16[fp16.length - 1], fp16[31744]], [63487, 65504, 2 ** -24]);
    const bf16 = levelsOf('bf16');
    assert.deepEqual([bf16[bf16.length - 1], bf16[32640]], [Math.fround(3.3895313892515355e38), 2 ** -133]);
    const mxint8 = levelsOf('mxint8');
    assert.deepEqual([mxint8.length, mxint8[0], mxint8[128]], [255, -127 / 64, 1 / 64]);
    for (const format of OTHER_FORMATS) {
      const levels = levelsOf(format);
      for (let i = 1; i < levels.length; i++)
        assert.ok(levels[i] > levels[i - 1], `${format} sorted at ${i}`);
    }
  });

  it('NF4: bitsandbytes’ 16 levels and the thresholds of its kernel, as float32', () => {
    assert.deepEqual(Array.from(levelsOf('nf4')), NF4_LEVELS);
    assert.equal(NF4_LEVELS[1], Math.fround(-0.6961928009986877));
    assert.equal(NF4_LEVELS[14], Math.fround(0.7229568362236023));
    // dQuantizeNF4's comparisons (csrc/kernels.cu), as float literals
    const kernel = [
      -0.8480964004993439, -0.6106329262256622, -0.4599952697753906, -0.33967943489551544,
      -0.23460740596055984, -0.13791173323988914, -0.045525018125772476, 0.03979014977812767,
      0.1202552504837513, 0.2035212516784668, 0.2920137718319893, 0.3893125355243683, 0.5016634166240692,
      0.6427869200706482, 0.8614784181118011,
    ];
    assert.deepEqual(NF4_MIDPOINTS, kernel.map(Math.fround));
  });

  it('casts known values: fp16, bf16, E4M3, E5M2, E2M1 (ties to even, subnormals, saturation, −0)', () => {
    const codes = (layout: typeof FP16, xs: number[]) =>
      hex(xs.map((x) => castFloat(Math.fround(x), layout).code));
    assert.deepEqual(
      codes(FP16, [1, 0.1, -2, 65504, 65520, 1e9, 2 ** -24, 2 ** -25, 3 * 2 ** -25, -0, -1e-9]),
      [
        '3c00',
        '2e66',
        'c000',
        '7bff',
        '7bff',
        '7bff',
        '1',
        '0', // tie between 0 and the smallest subnormal: even is 0
        '2', // tie between 1 and 2 (× 2^−24): even is 2
        '8000',
        '8000',
      ],
    );
    // bf16: 1 + 2^−8 ties to 1 (even); 1 + 3·2^−8 ties to 1 + 2^−6 (even mantissa 2)
    assert.deepEqual(codes(BF16, [1, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 3.4e38, -1e-40, 2 ** -133]), [
      '3f80',
      '3f80',
      '3f82',
      '7f7f',
      '8001',
      '1',
    ]);
    assert.deepEqual(codes(E4M3, [448, 464, 500, -1, 0.5, 2 ** -9, 2 ** -10, 3 * 2 ** -10, 17]), [
      '7e', // 0 1111 110 = 448
      '7e',
      '7e',
      'b8',
      '30',
      '1',
      '0',
      '2',
      '58', // 17 is a tie between 16 and 18: 16 = 0 1011 000 (even mantissa)
    ]);
    assert.deepEqual(codes(E5M2, [57344, 61440, 1, -0, 2 ** -16, 1.125]), [
      '7b',
      '7b',
      '3c',
      '80',
      '1',
      '3c',
    ]);
    assert.deepEqual(
      [0, 0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5, 7, -0.1].map((x) => castFloat(x, E2M1).value),
      [0, 0, 1, 1, 2, 2, 4, 4, 6, -0],
    );
  });

  it('MX: the shared exponent from the float32 exponent, clamped; X = 2^sharedExp; E8M0 codes', async () => {
    assert.equal(sharedExponent(Math.fround(8 * (1 - 2 ** -24)), 2), 0); // just below 8: floor(log2) = 2
    assert.equal(sharedExponent(8, 2), 1);
    assert.equal(sharedExponent(0, 2), -127);
    assert.equal(sharedExponent(1e-40, 0), -127);
    assert.equal(sharedExponent(3e38, 0), 127);
    const data = new Float32Array(96);
    data.set([6, 3, -1.5], 0); // block 0: amax 6 → 2^(2 − 2) = 1
    data.set([2 ** -125, -(2 ** -126)], 32); // block 1: 2^−125 → 2^−127, the smallest scale
    data.set([Math.fround(1 - 2 ** -24)], 64); // block 2: just below 1 → 2^(−1 − 2)
    const r = await quantizeArray(data, [96], { format: 'mxfp4' });
    assert.deepEqual(Array.from(r.scale), [1, 2 ** -127, 2 ** -3]);
    assert.deepEqual(Array.from(r.scaleCodes!), [127, 0, 124]);
    assert.deepEqual(Array.from(r.dequantized.subarray(32, 34)), [2 ** -125, -(2 ** -126)]);
    assert.deepEqual(compareFormatResults(r, referenceQuantize(data, [96], { format: 'mxfp4' })), []);
    const i8 = await quantizeArray([1, -1, 0.5, -0.001, 1.99, -0.0234375], [6], { format: 'mxint8' });
    assert.deepEqual(hex(i8.codes), ['40', 'c0', '20', '0', '7f', 'fe']);
    assert.ok(Object.is(i8.dequantized[3], 0)); // int8 has one zero
  });

  it('fills result fields: zero-points, ∓max, levels, bitsPerWeight, clippedFraction, config', async () => {
    const data = lcgNormal(4 * 64, 3);
    const bpw: Record<string, number> = {
      fp16: 16, // a plain cast: no scale stored
      bf16: 16,
      'fp8-e4m3': 8 + (32 * 4) / 256,
      'fp8-e5m2': 8 + (32 * 4) / 256,
      'fp4-e2m1': 4 + (32 * 4) / 256,
      nf4: 4 + (32 * 4) / 256,
      mxfp4: 4 + (8 * 8) / 256,
      mxfp8: 8 + (8 * 8) / 256,
      mxint8: 8 + (8 * 8) / 256,
    };
    const qmax: Record<string, number> = {
      fp16: 65504,
      bf16: Math.fround(3.3895313892515355e38),
      'fp8-e4m3': 448,
      'fp8-e5m2': 57344,
      'fp4-e2m1': 6,
      nf4: 1,
      mxfp4: 6,
      mxfp8: 448,
      mxint8: 127 / 64,
    };
    for (const format of OTHER_FORMATS) {
      const r = await quantizeArray(data, [4, 64], { format, granularity: 'channel' });
      assert.deepEqual(r.config, { ...DEFAULT_CONFIG, format, granularity: 'channel' });
      assert.deepEqual([r.shape, r.device], [[4, 64], 'wasm']);
      assert.equal(r.stats.bitsPerWeight, bpw[format], format);
      assert.deepEqual([r.qmin, r.qmax], [-qmax[format], qmax[format]], format);
      assert.deepEqual(r.levels, levelsOf(format));
      assert.ok(r.zeroPoint.every((z) => z === 0));
      assert.equal(r.scale.length, format.startsWith('mx') ? 8 : format.endsWith('16') ? 1 : 4, format);
      assert.equal(r.scaleCodes !== undefined, format.startsWith('mx'), format);
      assert.ok(r.stats.sqnrDb > 10 && r.stats.sqnrDb < 80, `${format} ${r.stats.sqnrDb}`);
    }
    // fp16 saturates beyond 65504; mxfp4 clips the [6, 8) gap of a block
    const fp16 = await quantizeArray([1e5, 1, -7e4, 2], [4], { format: 'fp16' });
    assert.equal(fp16.stats.clippedFraction, 0.5);
    const mx = await quantizeArray([7, 6, 6.5, 1], [4], { format: 'mxfp4' });
    assert.equal(mx.stats.clippedFraction, 0.5);
    const session = await createSession('wasm');
    try {
      session.setData([7, 6, 6.5, 1], [4]);
      const masked = await session.quantize({ format: 'mxfp4' }, { clipMask: true });
      assert.deepEqual(Array.from(masked.clipped!), [1, 0, 1, 0]);
    } finally {
      session.dispose();
    }
  });

  it('the int-only fields do not change another format’s result', async () => {
    const data = lcgNormal(64, 5);
    const plain = await quantizeArray(data, [2, 32], { format: 'nf4', granularity: 'channel' });
    const other = await quantizeArray(data, [2, 32], {
      format: 'nf4',
      granularity: 'channel',
      bits: 3,
      scheme: 'symmetric',
      rounding: 'stochastic',
      calibration: 'mse',
    });
    assert.deepEqual(
      [other.codes, other.scale, other.dequantized],
      [plain.codes, plain.scale, plain.dequantized],
    );
  });

  it('x / scale is x · fl(1/scale), as jax-js divides: against a correctly rounded x / scale, an element moves at most one step, only where the quotients differ', async () => {
    const data = lcgNormal(64 * 256, 13);
    const ordinal = (code: number, bits: number) =>
      code >= 2 ** (bits - 1) ? -(code - 2 ** (bits - 1)) : code;
    let moved = 0;
    for (const [format, layout] of [
      ['fp8-e4m3', E4M3],
      ['fp8-e5m2', E5M2],
      ['fp4-e2m1', E2M1],
      ['nf4', null],
    ] as const) {
      const r = await quantizeArray(data, [64, 256], { format, granularity: 'group', groupSize: 64 });
      for (let i = 0; i < data.length; i++) {
        const s = r.scale[Math.floor(i / 64)];
        const exact = Math.fround(data[i] / s);
        const step = (v: number) =>
          layout ? ordinal(castFloat(v, layout).code, layout.bits) : nf4Code(Math.min(Math.max(v, -1), 1));
        const got = layout ? ordinal(r.codes[i], layout.bits) : r.codes[i];
        if (exact === Math.fround(data[i] * Math.fround(1 / s)))
          assert.equal(got, step(exact), `${format} ${i}`);
        else {
          assert.ok(Math.abs(got - step(exact)) <= 1, `${format} ${i}`);
          if (got !== step(exact)) moved++;
        }
      }
    }
    // ~6% of the quotients differ by an ulp, but a code moves only within an ulp of a boundary (0 here)
    assert.ok(moved <= 4, `${moved} moved`);
  });

  it('the integer-only API (quantizedMatmul, dequantize) rejects other formats instead of misreading codes', async () => {
    await assert.rejects(quantizedMatmul([1, 2], [1, 2], [3, 4], [2, 1], { format: 'nf4' }), {
      code: 'invalid-config',
    });
    await assert.rejects(
      dequantize(new Int32Array(2), new Float32Array(1), new Int32Array(1), [2], { format: 'mxfp4' }),
      {
        code: 'invalid-config',
      },
    );
  });

  for (const format of ['fp32', 'FP16', 'int4', '', 'mx-fp4', 4, null]) {
    it(`rejects format ${JSON.stringify(format)} with invalid-config`, async () => {
      await assert.rejects(
        quantizeArray([1, 2, 3, 4], [4], { format } as never),
        (e: unknown) => e instanceof QuantError && e.code === 'invalid-config' && /format/.test(e.message),
      );
    });
  }
});
