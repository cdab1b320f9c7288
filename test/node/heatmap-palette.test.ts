/**
 * The colour-blind heatmap palette: under protanopia, deuteranopia and tritanopia (Machado et al.
 * 2009, severity 1) the clipped colour stays far from each band's colour (CIE76 ΔE ≥ 45 in Lab), with normal vision too.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const styles = readFileSync(
  new URL('../../src/components/quant-heatmap/quant-heatmap.styles.ts', import.meta.url),
  'utf8',
);
const block = /\.view\[data-palette='colorblind'\] \{([^}]*)\}/.exec(styles)![1];
const colour = (name: string) =>
  new RegExp(`--_${name}: var\\(--quant-heatmap-${name}, (#[0-9a-f]{6})\\)`).exec(block)![1];

const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const rgb = (hex: string) => [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
type M = number[][];
const CVD: Record<string, M> = {
  'normal vision': [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};
const apply = (m: M, v: number[]) =>
  m.map((row) => Math.min(1, Math.max(0, row[0] * v[0] + row[1] * v[1] + row[2] * v[2])));
function lab([r, g, b]: number[]): number[] {
  const xyz = [
    (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
    0.2126 * r + 0.7152 * g + 0.0722 * b,
    (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
  ].map((t) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116));
  return [116 * xyz[1] - 16, 500 * (xyz[0] - xyz[1]), 200 * (xyz[1] - xyz[2])];
}
const deltaE = (a: number[], b: number[]) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

describe('the colour-blind heatmap palette', () => {
  it('keeps clipped cells apart from every band under each colour-vision deficiency', () => {
    const clipped = rgb(colour('clipped'));
    for (const [name, m] of Object.entries(CVD))
      for (const band of ['low', 'mid', 'high']) {
        const d = deltaE(apply(m, clipped), apply(m, rgb(colour(band))));
        assert.ok(d >= 45, `${name}: clipped vs ${band} ΔE ${d.toFixed(1)} (want ≥ 45)`);
      }
  });
});
