/** The gallery's SVG thumbnails: every inked pixel drawn once, at its ink level, none invented. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { INK_LEVELS, inkPaths } from '../../src/components/quant-inference/quant-inference.thumbnail.js';

/** Rasterizes inkPaths back to an image of opacities (each path is runs `M x y h n v1 h-n z`). */
function raster(paths: { opacity: number; d: string }[], width: number, height: number): Float64Array {
  const out = new Float64Array(width * height);
  for (const { opacity, d } of paths)
    for (const [, x, y, n] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g))
      for (let i = 0; i < Number(n); i++) {
        const at = Number(y) * width + Number(x) + i;
        assert.equal(out[at], 0, `pixel ${at} drawn twice`);
        out[at] = opacity;
      }
  return out;
}

describe('<quant-inference> thumbnails', () => {
  it('a run per stretch of equal ink; every nonzero pixel at ceil(v·levels/255)/levels, zeros empty', () => {
    const width = 6;
    const pixels = Uint8Array.from([0, 255, 255, 1, 0, 128, 17, 16, 0, 0, 255, 255]);
    const paths = inkPaths(pixels, width);
    const got = raster(paths, width, 2);
    const want = Array.from(pixels, (v) => Math.ceil((v * INK_LEVELS) / 255) / INK_LEVELS);
    assert.deepEqual([...got], want);
    // the faintest ink (1 of 255) still shows; equal neighbours merge into one run
    assert.equal(got[3], 1 / INK_LEVELS);
    assert.match(paths.at(-1)!.d, /M1 0h2v1h-2z/);
    assert.deepEqual(inkPaths(new Uint8Array(12), width), []);
  });

  it('every held-out digit: the inked pixels are exactly the nonzero ones', () => {
    const raw = gunzipSync(readFileSync('src/models/digits-heldout-images.bin.gz'));
    const buffer = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
    for (let i = 0; i < raw.length / 784; i += 97) {
      const pixels = new Uint8Array(buffer, i * 784, 784);
      const drawn = raster(inkPaths(pixels, 28), 28, 28);
      assert.deepEqual(
        [...drawn].map((o) => o > 0),
        [...pixels].map((v) => v > 0),
        `digit ${i}`,
      );
    }
  });
});
