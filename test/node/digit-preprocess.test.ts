import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MNIST_SIZE, toMnist } from '../../src/models/digit-preprocess.js';

/** A width × height canvas with ink where `draw(x, y)` is true. */
function canvas(width: number, height: number, draw: (x: number, y: number) => boolean): Float32Array {
  return Float32Array.from({ length: width * height }, (_, i) =>
    draw(i % width, Math.floor(i / width)) ? 1 : 0,
  );
}

function centreOfMass(img: Float32Array): [number, number] {
  let [m, x, y] = [0, 0, 0];
  img.forEach((v, i) => {
    m += v;
    x += v * ((i % MNIST_SIZE) + 0.5);
    y += v * (Math.floor(i / MNIST_SIZE) + 0.5);
  });
  return [x / m, y / m];
}

function inkBox(img: Float32Array): { w: number; h: number } {
  let [l, t, r, b] = [99, 99, -1, -1];
  img.forEach((v, i) => {
    if (v <= 0.05) return;
    const [x, y] = [i % MNIST_SIZE, Math.floor(i / MNIST_SIZE)];
    [l, r, t, b] = [Math.min(l, x), Math.max(r, x), Math.min(t, y), Math.max(b, y)];
  });
  return { w: r - l + 1, h: b - t + 1 };
}

describe('toMnist (a drawn digit as an MNIST input)', () => {
  it('a vertical stroke anywhere on the pad: 20 rows tall, centred by its mass', () => {
    for (const x0 of [20, 150, 250]) {
      const img = toMnist(
        canvas(280, 280, (x, y) => x >= x0 && x < x0 + 16 && y >= 40 && y < 240),
        280,
        280,
      )!;
      assert.equal(img.length, 784);
      assert.equal(inkBox(img).h, 20);
      const [cx, cy] = centreOfMass(img);
      assert.ok(Math.abs(cx - 14) <= 0.5 && Math.abs(cy - 14) <= 0.5, `centre ${cx}, ${cy}`);
    }
  });

  it('keeps the aspect ratio: a wide bar is 20 wide and thin', () => {
    const img = toMnist(
      canvas(200, 200, (x, y) => x >= 10 && x < 190 && y >= 95 && y < 105),
      200,
      200,
    )!;
    const box = inkBox(img);
    assert.equal(box.w, 20);
    assert.ok(box.h <= 3, `height ${box.h}`);
  });

  it('scales a tiny drawing up, and values stay in [0, 1]', () => {
    const img = toMnist(
      canvas(28, 28, (x, y) => x >= 12 && x < 16 && y >= 10 && y < 18),
      28,
      28,
    )!;
    assert.equal(inkBox(img).h, 20);
    assert.ok(img.every((v) => v >= 0 && v <= 1));
  });

  it('an empty pad is null', () => {
    assert.equal(toMnist(new Float32Array(100), 10, 10), null);
  });
});

describe('drawn digits through the trained model', () => {
  it('a vertical stroke is a 1, a ring is a 0', async () => {
    const { readFileSync } = await import('node:fs');
    const { gunzipSync } = await import('node:zlib');
    const { sliceWeights } = await import('../../src/models/manifest.js');
    const { argmax, forwardFloat32 } = await import('../../src/models/reference.js');
    const dir = new URL('../../src/models/', import.meta.url);
    const manifest = JSON.parse(readFileSync(new URL('digits.json', dir), 'utf8'));
    const bytes = gunzipSync(readFileSync(new URL(manifest.weights.file, dir)));
    const layers = sliceWeights(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      manifest,
    );
    const classify = (ink: Float32Array) => argmax(forwardFloat32(layers, toMnist(ink, 280, 280)!));
    assert.equal(classify(canvas(280, 280, (x, y) => x >= 130 && x < 150 && y >= 40 && y < 240)), 1);
    const ring = canvas(280, 280, (x, y) => {
      const r = Math.hypot((x - 140) / 70, (y - 140) / 100);
      return r > 0.8 && r < 1;
    });
    assert.equal(classify(ring), 0);
  });
});
