/**
 * A digit drawn on the pad, made to look like an MNIST digit (LeCun et al.): the ink's bounding box
 * scaled to fit 20×20 (aspect kept, area-averaged), then placed in 28×28 so that its centre of mass
 * is the centre. Pure: pixels in, 784 values in [0, 1] out (row-major, 1 = ink).
 */
export const MNIST_SIZE = 28;
const BOX = 20;
/** Pixels below this are background when finding the ink's bounding box. */
const INK = 0.05;
/** Samples per axis per target pixel (area averaging by supersampling). */
const SAMPLES = 4;

/** Bilinear sample of `img` (width w, height h) at (x, y) in pixel units (pixel centres at +0.5). */
function sample(img: ArrayLike<number>, w: number, h: number, x: number, y: number): number {
  const fx = Math.min(Math.max(x - 0.5, 0), w - 1);
  const fy = Math.min(Math.max(y - 0.5, 0), h - 1);
  const [x0, y0] = [Math.floor(fx), Math.floor(fy)];
  const [x1, y1] = [Math.min(x0 + 1, w - 1), Math.min(y0 + 1, h - 1)];
  const [tx, ty] = [fx - x0, fy - y0];
  const top = img[y0 * w + x0] * (1 - tx) + img[y0 * w + x1] * tx;
  const bottom = img[y1 * w + x0] * (1 - tx) + img[y1 * w + x1] * tx;
  return top * (1 - ty) + bottom * ty;
}

/** The 28×28 input of a drawing (`ink`: width × height values in [0, 1]); null when it is empty. */
export function toMnist(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (ink[y * width + x] > INK) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
  if (right < 0) return null;
  const [bw, bh] = [right - left + 1, bottom - top + 1];
  const scale = BOX / Math.max(bw, bh);
  const [tw, th] = [Math.max(1, Math.round(bw * scale)), Math.max(1, Math.round(bh * scale))];
  // Resample the bounding box into tw × th by averaging SAMPLES² bilinear samples per pixel.
  const box = new Float64Array(tw * th);
  for (let ty = 0; ty < th; ty++)
    for (let tx = 0; tx < tw; tx++) {
      let sum = 0;
      for (let sy = 0; sy < SAMPLES; sy++)
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = left + ((tx + (sx + 0.5) / SAMPLES) * bw) / tw;
          const y = top + ((ty + (sy + 0.5) / SAMPLES) * bh) / th;
          sum += sample(ink, width, height, x, y);
        }
      box[ty * tw + tx] = sum / (SAMPLES * SAMPLES);
    }
  // Centre of mass of the box, then the whole-pixel shift that puts it at the centre of 28×28.
  let [mass, mx, my] = [0, 0, 0];
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const v = box[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  const [cx, cy] = mass > 0 ? [mx / mass, my / mass] : [tw / 2, th / 2];
  const ox = Math.round(MNIST_SIZE / 2 - cx);
  const oy = Math.round(MNIST_SIZE / 2 - cy);
  const out = new Float32Array(MNIST_SIZE * MNIST_SIZE);
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++) {
      const [X, Y] = [x + ox, y + oy];
      if (X >= 0 && X < MNIST_SIZE && Y >= 0 && Y < MNIST_SIZE)
        out[Y * MNIST_SIZE + X] = Math.min(1, box[y * tw + x]);
    }
  return out;
}
