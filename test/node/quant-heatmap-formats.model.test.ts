/** The heatmap's view model on number formats (SPEC §2.2 `error`, §3.1): local steps, blocks, words. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cellBlocks,
  cellDetail,
  cellErrors,
  cellStep,
  describeCell,
  heatmapView,
  type HeatmapSource,
} from '../../src/components/quant-heatmap/quant-heatmap.model.js';
import {
  codeBits,
  floatStep,
  levelStep,
  localStep,
} from '../../src/components/quant-heatmap/quant-heatmap.steps.js';
import type { Format, QuantConfig } from '../../src/core/config.js';
import { FORMAT_SPECS, NF4_LEVELS, levelsOf, maxFinite } from '../../src/core/formats/tables.js';
import { referenceQuantize } from '../../src/core/reference.js';
import { lcgNormal } from '../shared/core-cases.js';
import { OTHER_FORMATS } from '../shared/format-cases.js';

type NumberFormat = Exclude<Format, 'int'>;
const FLOATS: NumberFormat[] = ['fp8-e4m3', 'fp8-e5m2', 'fp4-e2m1', 'mxfp4', 'mxfp8'];
const f = Math.fround;
const L = NF4_LEVELS;

/** The oracle's result as the heatmap reads it, with the clip mask SPEC §3.1 defines. */
function source(x: Float32Array, shape: number[], config: Partial<QuantConfig>): HeatmapSource {
  const q = referenceQuantize(x, shape, config);
  const blocks = cellBlocks({ ...q, clipped: new Uint8Array(0) });
  const max = maxFinite(q.config.format as NumberFormat);
  const clipped = Uint8Array.from(x, (v, i) => +(Math.abs(f(v * f(1 / q.scale[blocks[i]]))) > max));
  return { ...q, clipped };
}

describe('heatmap model: local step of a number format', () => {
  it('E2M1 at scale 1: the gap between the levels around v, the outer gap on a level', () => {
    const cases: [number, number][] = [
      [2.4, 1], // between 2 and 3
      [0.3, 0.5], // between 0 and 0.5
      [0, 0.5],
      [0.5, 0.5],
      [1.75, 0.5],
      [2, 1], // on a level: the gap above (away from zero)
      [3.9, 1],
      [4, 2],
      [6, 2],
      [7.5, 2], // saturated: the last gap
      [-2.4, 1],
      [-0.3, 0.5],
      [-6, 2],
    ];
    for (const [v, step] of cases) assert.equal(localStep('fp4-e2m1', v), step, `v = ${v}`);
  });

  it('NF4: each side’s own gaps from its 16 levels (they are not symmetric)', () => {
    const cases: [number, number][] = [
      [0.5, L[13] - L[12]],
      [-0.5, L[3] - L[2]],
      [0, L[8]], // zero: the gap to the smallest positive level
      [-0.01, -L[6]],
      [0.05, L[8]],
      [L[8], L[9] - L[8]], // on a level: the outer gap
      [L[2], L[2] - L[1]],
      [1, 1 - L[14]],
      [-1, L[1] + 1],
      [0.9, 1 - L[14]],
    ];
    for (const [v, step] of cases) assert.equal(localStep('nf4', v, levelsOf('nf4')), step, `v = ${v}`);
    // without the result's levels it reads the table's
    assert.equal(localStep('nf4', 0.5), L[13] - L[12]);
  });

  it('fp16 and bf16 from the float layout: 2^(e − mantissa), subnormal spacing, the top step past max', () => {
    assert.equal(localStep('bf16', 1.5), 2 ** -7);
    assert.equal(localStep('bf16', 1), 2 ** -7);
    assert.equal(localStep('bf16', f(0.99)), 2 ** -8);
    assert.equal(localStep('bf16', -300), 2 ** (8 - 7));
    assert.equal(localStep('bf16', 2 ** -130), 2 ** -133); // bf16 subnormal (float32's range)
    assert.equal(localStep('bf16', 3.4e38), 2 ** 120);
    assert.equal(localStep('fp16', 1), 2 ** -10);
    assert.equal(localStep('fp16', f(1 - 2 ** -20)), 2 ** -11); // just below a power of two
    assert.equal(localStep('fp16', 65504), 32);
    assert.equal(localStep('fp16', 1e6), 32); // saturated
    assert.equal(localStep('fp16', 2 ** -20), 2 ** -24); // subnormal
    assert.equal(localStep('fp16', 2 ** -14), 2 ** -24); // smallest normal: the same spacing
  });

  it('fp8 subnormals and the top of the range', () => {
    assert.equal(localStep('fp8-e4m3', 2 ** -8), 2 ** -9);
    assert.equal(localStep('fp8-e4m3', 0.001), 2 ** -9);
    assert.equal(localStep('fp8-e4m3', 2 ** -6), 2 ** -9);
    assert.equal(localStep('fp8-e4m3', 2 ** -5), 2 ** -8);
    assert.equal(localStep('fp8-e4m3', 448), 32);
    assert.equal(localStep('fp8-e4m3', 500), 32);
    assert.equal(localStep('fp8-e5m2', 2 ** -16), 2 ** -16);
    assert.equal(localStep('fp8-e5m2', 57344), 2 ** 13);
    assert.equal(localStep('mxint8', 0.3), 1 / 64);
    assert.equal(localStep('mxint8', -1.99), 1 / 64);
  });

  it('the float-layout step equals the gap between listed levels (fp8, fp4, MX elements)', () => {
    for (const format of FLOATS) {
      const levels = levelsOf(format);
      const max = maxFinite(format);
      const points = [...levels, ...levels.slice(1).map((l, k) => (l + levels[k]) / 2)];
      for (let k = 0; k < 400; k++) points.push((Math.random() * 2 - 1) * 1.2 * max);
      for (const v of points) {
        const spec = FORMAT_SPECS[format] as { element: Parameters<typeof floatStep>[0] };
        assert.equal(floatStep(spec.element, Math.abs(v)), levelStep(levels, v), `${format} at ${v}`);
      }
    }
  });
});

describe('heatmap model: number formats against the oracle', () => {
  const shape = [16, 80]; // rows of 80: MX blocks 32, 32, 16
  const x = lcgNormal(16 * 80, 7, 0.5);
  x[5] = 0; // a zero
  x[6] = -0;

  for (const format of OTHER_FORMATS) {
    for (const granularity of ['group', 'channel'] as const) {
      it(`${format}, ${granularity}: relative error ≤ ½ step where not clipped, and the bound is tight`, () => {
        const r = source(x, shape, { format, granularity, groupSize: 64 });
        const rel = cellErrors(r, x, 'relative');
        const abs = cellErrors(r, x, 'abs');
        let top = 0;
        let clipped = 0;
        for (let i = 0; i < x.length; i++) {
          assert.ok(Number.isFinite(rel[i]), `cell ${i}`);
          assert.equal(rel[i], f(abs[i] / cellStep(r, x, i)));
          if (r.clipped[i]) clipped++;
          else {
            assert.ok(rel[i] <= 0.5 * (1 + 1e-6), `${format} cell ${i}: ${rel[i]}`);
            top = Math.max(top, rel[i]);
          }
        }
        // Only the MX formats saturate (their power-of-two scale leaves amax above the max).
        if (!format.startsWith('mx')) assert.equal(clipped, 0);
        // A step twice too large would keep every error under ¼.
        assert.ok(top > 0.35, `${format}: largest relative error ${top}`);
      });
    }
  }

  it('MX blocks are 32 along a row whatever the granularity; fp16/bf16 have one block', () => {
    const r = source(x, shape, { format: 'mxfp4', granularity: 'tensor' });
    assert.equal(r.scale.length, 16 * 3);
    const blocks = cellBlocks(r);
    assert.equal(blocks[31], 0);
    assert.equal(blocks[32], 1);
    assert.equal(blocks[79], 2);
    assert.equal(blocks[80], 3);
    const h = source(x, shape, { format: 'bf16', granularity: 'group', groupSize: 8 });
    assert.equal(h.scale.length, 1);
    assert.ok(cellBlocks(h).every((b) => b === 0));
  });

  it('shows a cell’s numbers in the format’s terms', () => {
    const data = Float32Array.of(2.4, 0.3, -6, 1);
    const r = source(data, [1, 4], { format: 'fp4-e2m1' });
    const view = heatmapView(r, data, 'relative', [0.1, 0.3]);
    const d = Object.fromEntries(cellDetail(0, view, r, data));
    assert.deepEqual(d, {
      row: '0',
      column: '0',
      'original x': '2.40000',
      code: '0 10 0',
      'dequantized x̂': '2.00000',
      'error |x − x̂|': '0.4000',
      'block scale s': '1.00000',
      'local step': '1 · s = 1.000',
      'error / step': '0.4000',
      band: 'high',
    });
    assert.equal(Object.fromEntries(cellDetail(2, view, r, data)).code, '1 11 1');
    assert.match(describeCell(0, view, r), /error 0\.400 × step, high band$/);

    const mx = Float32Array.from({ length: 32 }, (_, i) => (i === 0 ? 3 : 0.01 * i));
    const m = source(mx, [1, 32], { format: 'mxfp4' });
    const md = Object.fromEntries(cellDetail(0, heatmapView(m, mx, 'abs', [0.1, 0.3]), m, mx));
    assert.equal(md['block scale s'], '2^−1 = 0.5');
    assert.equal(md.code, '0 11 1'); // 3 / 0.5 = 6 = 1.5 · 2^2
    assert.equal(md['local step'], '2 · s = 1.000');

    const b = source(Float32Array.of(1.5, -0.1), [2], { format: 'bf16' });
    const bd = Object.fromEntries(
      cellDetail(
        0,
        heatmapView(b, Float32Array.of(1.5, -0.1), 'abs', [0.1, 0.3]),
        b,
        Float32Array.of(1.5, -0.1),
      ),
    );
    assert.equal(bd['block scale s'], '1 (none)');
    assert.equal(bd.code, '0 01111111 1000000');
    assert.equal(bd['local step'], '0.007813'); // 2^−7
  });

  it('writes codes as the format stores them', () => {
    assert.equal(codeBits('fp4-e2m1', 5), '0 10 1'); // 3
    assert.equal(codeBits('fp4-e2m1', 15), '1 11 1'); // −6
    assert.equal(codeBits('fp16', 0x3c00), '0 01111 0000000000');
    assert.equal(codeBits('bf16', 0xbf80), '1 01111111 0000000');
    assert.equal(codeBits('fp8-e4m3', 0x7e), '0 1111 110'); // 448
    assert.equal(codeBits('fp8-e5m2', 0x01), '0 00000 01');
    assert.equal(codeBits('mxfp8', 0x80), '1 0000 000'); // −0
    assert.equal(codeBits('nf4', 13), '13 (1101)');
    assert.equal(codeBits('nf4', 0), '0 (0000)');
    assert.equal(codeBits('mxint8', 0xfb), '11111011 (q −5)');
    assert.equal(codeBits('mxint8', 64), '01000000 (q 64)');
  });
});
