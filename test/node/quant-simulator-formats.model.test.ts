import { blockOf } from '../../src/internal/layout.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  codeSegments,
  controlsNote,
  elementName,
  elementValue,
  formatBlocksLabel,
  formatFormula,
  patternsUsed,
  valueText,
  type NumberFormat,
} from '../../src/components/quant-simulator/quant-simulator.formats.js';
import { resolveConfig, type QuantConfig } from '../../src/core/config.js';
import { FORMATS } from '../../src/core/fields.js';
import { castFloat, nf4Code } from '../../src/core/formats/reference.js';
import { E2M1, E4M3, levelsOf } from '../../src/core/formats/tables.js';
import { referenceQuantize } from '../../src/core/reference.js';

const NUMBER_FORMATS = FORMATS.filter((f): f is NumberFormat => f !== 'int');
const f = Math.fround;

/** Deterministic weights with a few ties, zeros, a negative zero and an outlier. */
function weights(n: number): Float32Array {
  const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * (0.3 + (i % 5) * 0.2));
  x[3] = 0;
  x[4] = -0;
  x[7] = 9; // an outlier: its block's scale comes from it
  return x;
}

describe('simulator formats model', () => {
  it('splits every E2M1 code into sign · exponent · mantissa (0b0101 → 0 10 1)', () => {
    assert.deepEqual(
      codeSegments('fp4-e2m1', 0b0101).map((s) => s.text),
      ['0', '10', '1'],
    );
    for (let c = 0; c < 16; c++) {
      const seg = codeSegments('fp4-e2m1', c);
      assert.deepEqual(
        seg.map((s) => s.role),
        ['sign', 'exponent', 'mantissa'],
      );
      assert.equal(seg.map((s) => s.text).join(''), c.toString(2).padStart(4, '0'));
      // the code's value round-trips through the oracle's cast
      const v = elementValue('fp4-e2m1', c);
      assert.equal(castFloat(v, E2M1).code, c, `code ${c}`);
    }
    assert.ok(Object.is(elementValue('fp4-e2m1', 0b1000), -0));
  });

  it('E4M3 (and mxfp8) codes: 1 · 4 · 3 bits, values round-trip through the oracle', () => {
    const finite = new Set(Array.from(levelsOf('fp8-e4m3')));
    for (let c = 0; c < 256; c++) {
      if ((c & 0x7f) === 0x7f) continue; // S.1111.111 is NaN in E4M3FN
      for (const format of ['fp8-e4m3', 'mxfp8'] as const) {
        const seg = codeSegments(format, c);
        assert.deepEqual(
          seg.map((s) => s.text.length),
          [1, 4, 3],
        );
        assert.equal(parseInt(seg.map((s) => s.text).join(''), 2), c);
      }
      const v = elementValue('fp8-e4m3', c);
      assert.ok(finite.has(v === 0 ? 0 : v), `code ${c} → ${v}`);
      assert.equal(castFloat(v, E4M3).code, c, `code ${c}`);
    }
  });

  it('fp16, bf16, E5M2 layouts; NF4 and INT8 are one run of bits', () => {
    assert.deepEqual(
      codeSegments('fp16', 0x3c00).map((s) => s.text),
      ['0', '01111', '0000000000'],
    );
    assert.equal(elementValue('fp16', 0x3c00), 1);
    assert.deepEqual(
      codeSegments('bf16', 0xbf80).map((s) => s.text),
      ['1', '01111111', '0000000'],
    );
    assert.equal(elementValue('bf16', 0xbf80), -1);
    assert.deepEqual(
      codeSegments('fp8-e5m2', 0x3c).map((s) => s.text),
      ['0', '01111', '00'],
    );
    assert.deepEqual(codeSegments('nf4', 12), [{ role: 'bits', text: '1100' }]);
    assert.equal(elementValue('nf4', 15), 1);
    assert.deepEqual(codeSegments('mxint8', 0xff), [{ role: 'bits', text: '11111111' }]);
    assert.equal(elementValue('mxint8', 0xff), -1 / 64); // two's complement
    assert.equal(elementValue('mxint8', 0x81), -127 / 64);
    assert.deepEqual(NUMBER_FORMATS.map(elementName), [
      'fp16',
      'bf16',
      'E4M3',
      'E5M2',
      'E2M1',
      'NF4',
      'E2M1',
      'E4M3',
      'INT8',
    ]);
  });

  for (const format of NUMBER_FORMATS) {
    for (const layout of [
      { granularity: 'tensor', shape: [4, 40] },
      { granularity: 'group', groupSize: 16, shape: [4, 40] },
      { granularity: 'channel', shape: [3, 70] },
    ] as const) {
      it(`${format}, ${layout.granularity} ${layout.shape.join('x')}: the formula reproduces the oracle`, () => {
        const { shape: dims, ...blocks } = layout;
        const config: QuantConfig = resolveConfig({ format, ...blocks });
        const shape = [...dims];
        const x = weights(shape[0] * shape[1]);
        const r = referenceQuantize(x, shape, config);
        for (let i = 0; i < x.length; i++) {
          const fm = formatFormula(i, x, { ...r, config, shape });
          const where = `${format} element ${i}`;
          assert.equal(fm.scale, r.scale[blockOf(i, r)], where);
          assert.equal(fm.code, r.codes[i], where);
          assert.equal(fm.dequantized, r.dequantized[i], where);
          // the formula's value times the scale is the oracle's dequantized value
          const value = fm.q !== undefined ? fm.q / 64 : fm.value;
          assert.equal(value, fm.value, where);
          assert.equal(f(fm.value * fm.scale) + 0, r.dequantized[i] + 0, where);
          // its block's amax gives that scale
          if (fm.kind === 'float')
            assert.equal(fm.scale, fm.amax === 0 ? 1 : f(fm.amax * f(1 / fm.max)), where);
          if (fm.kind === 'nf4') {
            assert.equal(fm.scale, fm.amax === 0 ? 1 : fm.amax, where);
            assert.equal(nf4Code(Math.min(Math.max(fm.v, -1), 1)), fm.code, where);
          }
          if (fm.kind === 'mx') {
            assert.equal(fm.scale, 2 ** fm.sharedExp!, where);
            assert.equal(fm.scaleCode, fm.sharedExp! + 127, where);
            assert.equal(fm.sharedExp, Math.floor(Math.log2(fm.amax)) - fm.emax!, where);
            assert.equal(fm.floorLog2, Math.floor(Math.log2(fm.amax)), where);
          }
          if (fm.kind === 'cast') assert.equal(fm.scale, 1, where);
          // the nearest value: the oracle's cast of v (saturating) is the code shown
          const layoutOf = { 'fp8-e4m3': E4M3, 'fp4-e2m1': E2M1, mxfp4: E2M1, mxfp8: E4M3 } as const;
          if (format in layoutOf)
            assert.equal(castFloat(fm.v, layoutOf[format as keyof typeof layoutOf]).code, fm.code, where);
        }
      });
    }
  }

  it('flags saturation, ties and signed zero', () => {
    const config = resolveConfig({ format: 'fp4-e2m1' });
    // amax 6 → s = 1: 2.5 is a tie between 2 and 3 (to even: 2), 5 between 4 and 6 (to 4 = 0 11 0)
    const x = Float32Array.from([6, 2.5, 5, -0.1, 0.7]);
    const r = referenceQuantize(x, [5], config);
    const at = (i: number) => formatFormula(i, x, { ...r, config, shape: [5] });
    assert.deepEqual([at(1).tie, at(1).value], [true, 2]);
    assert.deepEqual([at(2).tie, at(2).value], [true, 4]);
    assert.deepEqual(
      at(2).segments.map((s) => s.text),
      ['0', '11', '0'],
    );
    assert.equal(at(4).tie, false);
    assert.ok(Object.is(at(3).value, -0)); // −0.1 rounds to −0: the sign is kept
    assert.equal(at(3).code, 0b1000);
    const mx = resolveConfig({ format: 'mxint8' });
    const y = Float32Array.from([1.999, 0.5, -1]);
    const rm = referenceQuantize(y, [3], mx);
    const sat = formatFormula(0, y, { ...rm, config: mx, shape: [3] });
    // amax 1.999 → X = 2^0; 1.999 · 64 = 127.9 saturates at 127
    assert.deepEqual([sat.sharedExp, sat.scaleCode, sat.saturated, sat.q], [0, 127, true, 127]);
    // an all-zero MX block: floor(log2 0) is −127 from the exponent field, the shared exponent clamps there
    const zeros = new Float32Array(4);
    const rz = referenceQuantize(zeros, [4], resolveConfig({ format: 'mxfp4' }));
    const z = formatFormula(1, zeros, { ...rz, shape: [4] });
    assert.deepEqual([z.floorLog2, z.sharedExp, z.scaleCode, z.value], [-127, -127, 0, 0]);
    const neg = formatFormula(2, y, { ...rm, config: mx, shape: [3] });
    assert.deepEqual([neg.q, neg.code, neg.segments[0].text], [-64, 0xc0, '11000000']);
  });

  it('labels MX and cast blocks; counts the bit patterns used', () => {
    const mx = { config: resolveConfig({ format: 'mxfp4', granularity: 'channel' }), shape: [4, 40] };
    assert.equal(formatBlocksLabel(mx), '8 blocks of up to 32 (MX)');
    assert.equal(formatBlocksLabel({ ...mx, shape: [4, 64] }), '8 blocks of 32 (MX)');
    assert.equal(
      formatBlocksLabel({ ...mx, shape: [4, 8] }),
      '4 blocks of 8 (MX: one per row, shorter than 32)',
    );
    assert.equal(blockOf(33, mx), 1); // MX ignores the granularity: 32 along a row
    assert.equal(blockOf(40, mx), 2);
    const cast = {
      config: resolveConfig({ format: 'bf16', granularity: 'group', groupSize: 2 }),
      shape: [4, 4],
    };
    assert.equal(formatBlocksLabel(cast), 'none: a plain cast');
    assert.equal(blockOf(15, cast), 0);
    assert.equal(formatBlocksLabel({ config: resolveConfig({ format: 'nf4' }), shape: [2, 2] }), null);
    assert.deepEqual(patternsUsed(Int32Array.from([1, 1, 8, 3]), 'fp4-e2m1'), { used: 3, total: 16 });
    assert.deepEqual(patternsUsed(Int32Array.from([1]), 'fp16').total, 65536);
  });
});

describe('simulator controls note', () => {
  it('says which shown controls do not apply, and why', () => {
    const all = ['format', 'bits', 'scheme', 'granularity', 'rounding', 'calibration'];
    assert.equal(controlsNote('int', all), null);
    assert.equal(controlsNote('nf4', ['format', 'granularity']), null);
    assert.equal(
      controlsNote('mxfp4', ['bits', 'scheme', 'granularity']),
      'bits and scheme are int-only settings, and granularity does not apply: mxfp4 shares one power-of-two scale per 32 values of a row and casts each value to the nearest E2M1 value.',
    );
    assert.match(controlsNote('fp16', ['granularity'])!, /^granularity does not apply: fp16 is a plain cast/);
    assert.match(
      controlsNote('fp4-e2m1', ['bits'])!,
      /^bits is an int-only setting: fp4-e2m1 scales each block/,
    );
  });
});

describe('simulator value text', () => {
  it('writes representable values exactly when short', () => {
    assert.deepEqual([6, -1.5, 0.0625, 448, 57344, -0, 0.1].map(valueText), [
      '6',
      '−1.5',
      '0.0625',
      '448',
      '57344',
      '0',
      '0.1',
    ]);
    assert.equal(valueText(0.7229568362236023), '0.723');
    assert.equal(valueText(2 ** -9), '0.001953');
    assert.equal(valueText(-(2 ** -12)), '−2.441e-4');
  });
});
