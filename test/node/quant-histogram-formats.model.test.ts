/** The histogram's model with number formats: compare tokens, labels, the grid drawn per format. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, FORMATS, type Format, type QuantConfig } from '../../src/core/config.js';
import { levelsOf, maxFinite } from '../../src/core/formats/tables.js';
import { generateWeights } from '../../src/core/index.js';
import { referenceQuantize } from '../../src/core/reference.js';
import {
  blockLabel,
  compareConfig,
  compareField,
  compareSpec,
  describePanel,
  formatLabel,
  histogramRange,
  levelsIn,
  medianBlock,
  panelOf,
  panelsOf,
  sameQuantization,
  specKey,
} from '../../src/components/quant-histogram/quant-histogram.model.js';

type Named = Exclude<Format, 'int'>;
const NAMED = FORMATS.filter((f): f is Named => f !== 'int');

describe('quant-histogram compare tokens', () => {
  it('bit widths, intN and format names, mixed; numbers stay numbers', () => {
    assert.deepEqual(compareField.parse('2 4 8 16'), [2, 4, 8, 16]);
    assert.deepEqual(compareField.parse('int4 nf4 fp4-e2m1 mxfp4'), ['int4', 'nf4', 'fp4-e2m1', 'mxfp4']);
    assert.deepEqual(compareField.parse(' 4  nf4,mxfp8 '), [4, 'nf4', 'mxfp8']);
    assert.deepEqual(compareField.parse(NAMED.join(' ')), NAMED);
    assert.deepEqual(compareField.parse('int2 int16'), ['int2', 'int16']);
  });

  it('rejects unknown names, widths out of range, bare int and repeats (4 and int4 are one)', () => {
    for (const bad of [
      'nf5',
      'int1',
      'int17',
      'int',
      'int04',
      'NF4',
      'fp8',
      'int4 4',
      'nf4 nf4',
      '4 int 8',
      'mxfp4 <b>',
      'int4.5',
    ])
      assert.equal(compareField.parse(bad), undefined, bad);
  });

  it('one message says what is allowed: widths, intN and every format name, with examples', () => {
    const allowed = compareField.allowed;
    assert.match(allowed, /distinct bit widths from 2 to 16/);
    assert.match(allowed, /intN/);
    for (const f of NAMED) assert.ok(allowed.includes(f), f);
    assert.ok(allowed.includes('"int4 nf4 fp4-e2m1 mxfp4"'));
  });

  it('valid / format round-trip the property value', () => {
    assert.equal(compareField.valid([4, 'nf4']), true);
    assert.equal(compareField.valid(['int4', 'mxint8']), true);
    assert.equal(compareField.valid([4, 'int4']), false);
    assert.equal(compareField.valid(['4']), false); // a width is a number
    assert.equal(compareField.valid(['int']), false);
    assert.equal(compareField.valid('nf4'), false);
    assert.equal(compareField.format([4, 'nf4', 'fp4-e2m1']), '4 nf4 fp4-e2m1');
    assert.deepEqual(compareField.parse(compareField.format(['int3', 8, 'bf16'])), ['int3', 8, 'bf16']);
  });

  it('a token quantizes the element config in its format; a width is intN at the element scheme', () => {
    assert.deepEqual(compareSpec(4), { format: 'int', bits: 4 });
    assert.deepEqual(compareSpec('int4'), { format: 'int', bits: 4 });
    assert.deepEqual(compareSpec('nf4'), { format: 'nf4' });
    assert.equal(compareSpec(1), undefined);
    assert.equal(specKey(compareSpec(4)!), 'int4');
    assert.equal(specKey(compareSpec('mxfp4')!), 'mxfp4');
    const config: QuantConfig = {
      ...DEFAULT_CONFIG,
      scheme: 'symmetric',
      granularity: 'group',
      groupSize: 64,
    };
    assert.deepEqual(compareConfig(config, { format: 'int', bits: 4 }), { ...config, bits: 4 });
    assert.deepEqual(compareConfig(config, { format: 'nf4' }), { ...config, format: 'nf4' });
    const nf4 = { ...config, format: 'nf4' } as const;
    assert.equal(sameQuantization(config, compareConfig(config, { format: 'int', bits: 8 })), true);
    assert.equal(sameQuantization(config, compareConfig(config, { format: 'int', bits: 4 })), false);
    assert.equal(sameQuantization(nf4, compareConfig(nf4, { format: 'nf4' })), true);
    assert.equal(sameQuantization(nf4, { ...nf4, bits: 3 }), true); // bits do not apply to nf4
  });
});

describe('quant-histogram labels', () => {
  const cfg = (c: Partial<QuantConfig>) => ({ ...DEFAULT_CONFIG, ...c });
  it('format names', () => {
    assert.deepEqual(
      [
        cfg({ bits: 4 }),
        cfg({ format: 'nf4' }),
        cfg({ format: 'fp4-e2m1' }),
        cfg({ format: 'mxfp4' }),
        cfg({ format: 'fp8-e4m3' }),
        cfg({ format: 'bf16' }),
      ].map(formatLabel),
      ['int4', 'NF4', 'FP4 E2M1', 'MXFP4', 'FP8 E4M3', 'BF16'],
    );
  });

  it('blocks as the core cut them: MX always 32, casts none, a group no longer than the row', () => {
    const g64 = { granularity: 'group', groupSize: 64 } as const;
    assert.equal(blockLabel(cfg(g64), [256, 1024]), 'groups of 64');
    assert.equal(blockLabel(cfg({ ...g64, format: 'nf4' }), [256, 1024]), 'groups of 64');
    assert.equal(
      blockLabel(cfg({ ...g64, format: 'mxfp4' }), [256, 1024]),
      'blocks of 32, power-of-two scales',
    );
    assert.equal(blockLabel(cfg({ format: 'mxint8' }), [4, 4]), 'blocks of 32, power-of-two scales');
    assert.equal(blockLabel(cfg({ ...g64, format: 'fp16' }), [256, 1024]), 'no scale');
    assert.equal(blockLabel(cfg({}), [256, 1024]), 'per tensor');
    assert.equal(blockLabel(cfg({ granularity: 'channel' }), [8, 16]), 'per row of 16');
    assert.equal(blockLabel(cfg(g64), [8, 16]), 'per row of 16');
    assert.equal(blockLabel(cfg({ granularity: 'channel' }), [1, 16]), 'per tensor');
  });
});

describe('quant-histogram format panels', () => {
  const shape = [8, 96];
  const x = Float32Array.from({ length: 8 * 96 }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)) * 0.1);

  it('medianBlock: the lower median scale, its first block', () => {
    assert.equal(medianBlock(Float32Array.of(3)), 0);
    assert.equal(medianBlock(Float32Array.of(5, 1, 3)), 2);
    assert.equal(medianBlock(Float32Array.of(4, 1, 3, 2)), 3);
    assert.equal(medianBlock(Float32Array.of(2, 2, 1)), 0);
  });

  for (const format of NAMED) {
    it(`${format}: the median block's grid is levelsOf(format) · its scale; ±max · scale clips`, () => {
      const r = referenceQuantize(x, shape, { format, granularity: 'group', groupSize: 32 });
      const p = panelOf(r, 'main');
      const b = medianBlock(r.scale);
      assert.equal(p.block, b);
      assert.equal(p.scale, r.scale[b]);
      assert.equal(p.format, format);
      const want = Array.from(levelsOf(format), (v) => Math.fround(v * r.scale[b]));
      assert.deepEqual([...p.levels], want);
      const amax = Math.max(...r.scale);
      assert.deepEqual(p.clipRange, [
        Math.fround(-maxFinite(format) * amax),
        Math.fround(maxFinite(format) * amax),
      ]);
      assert.equal(p.scaled, format !== 'fp16' && format !== 'bf16');
      // Every dequantized value of the drawn block lies on the drawn grid.
      const grid = new Set(p.levels);
      const [start, end] = r.scale.length === 1 ? [0, x.length] : [b * 32, b * 32 + 32];
      for (let i = start; i < end; i++)
        assert.ok(grid.has(r.dequantized[i] === 0 ? 0 : r.dequantized[i]), `${i}`);
      assert.doesNotMatch(describePanel(p, { bins: 64, range: [-1, 1] }), /zero-point/);
    });
  }

  it('MX blocks hold power-of-two scales, so the grid drawn is levels · 2^k', () => {
    const r = referenceQuantize(x, shape, { format: 'mxfp4' });
    const p = panelOf(r, 'main');
    assert.equal(p.blocks, 8 * 3);
    assert.ok(Number.isInteger(Math.log2(p.scale)));
    assert.match(describePanel(p, { bins: 64, range: [-1, 1] }), /grid of block \d+ of 24, the median scale/);
  });

  it('levelsIn: the sorted levels inside a range, as a view', () => {
    const levels = Float64Array.of(-2, -1, -0.5, 0, 0.5, 1, 2);
    assert.deepEqual([...levelsIn(levels, [-1, 0.7])], [-1, -0.5, 0, 0.5]);
    assert.deepEqual([...levelsIn(levels, [5, 6])], []);
    const fp16 = panelOf(referenceQuantize(x, shape, { format: 'fp16' }), 'main');
    assert.equal(fp16.levels.length, levelsOf('fp16').length);
    const range = histogramRange([-1, 1], [fp16]);
    assert.deepEqual(range, [-1, 1]);
    assert.ok(levelsIn(fp16.levels, range).length > 10_000); // dense near 0: most fp16 values are in [−1, 1]
  });

  it('compare panels are keyed and labelled by their own configs', () => {
    const main = referenceQuantize(x, shape, { granularity: 'group', groupSize: 32 });
    const compare = (['int4', 'nf4', 'fp4-e2m1', 'mxfp4'] as const).map((t) =>
      referenceQuantize(x, shape, compareConfig(main.config, compareSpec(t)!)),
    );
    const panels = panelsOf({ ...main, compare });
    assert.deepEqual(
      panels.map((p) => [p.key, p.label, p.detail]),
      [
        ['int4', 'int4', 'affine, groups of 32'],
        ['nf4', 'NF4', 'groups of 32'],
        ['fp4-e2m1', 'FP4 E2M1', 'groups of 32'],
        ['mxfp4', 'MXFP4', 'blocks of 32, power-of-two scales'],
      ],
    );
    for (const [i, p] of panels.entries()) {
      assert.equal(p.sqnrDb, compare[i].stats.sqnrDb);
      assert.equal(p.bitsPerWeight, compare[i].stats.bitsPerWeight);
    }
  });
});

describe("the issue's comparison, at equal blocks of 64 (the default weights: normal, std 0.5, seed 95)", () => {
  it('NF4 ≈ 20.7 dB, symmetric int4 ≈ 19.4 dB, affine int4 ≈ 20.8 dB on 256×1024', async () => {
    const x = await generateWeights('normal', 256 * 1024, { seed: 95, std: 0.5 });
    const at = (c: Partial<QuantConfig>) =>
      referenceQuantize(x, [256, 1024], { granularity: 'group', groupSize: 64, ...c }).stats;
    const nf4 = at({ format: 'nf4' });
    const sym = at({ bits: 4, scheme: 'symmetric' });
    const affine = at({ bits: 4, scheme: 'affine' });
    assert.ok(Math.abs(nf4.sqnrDb - 20.7) < 0.1, `${nf4.sqnrDb}`);
    assert.ok(Math.abs(sym.sqnrDb - 19.35) < 0.1, `${sym.sqnrDb}`);
    assert.ok(Math.abs(affine.sqnrDb - 20.8) < 0.1, `${affine.sqnrDb}`);
    assert.deepEqual([nf4.bitsPerWeight, sym.bitsPerWeight, affine.bitsPerWeight], [4.5, 4.5, 4.5625]);
  });
});
