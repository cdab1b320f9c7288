/**
 * A held-out digit as SVG path data, for the gallery's thumbnails. Not canvases: under software
 * compositing every visible canvas costs the main thread ~0.3 ms at each frame's commit even when
 * unchanged (60 thumbnails: ~18 ms a frame, stalling the model's kernels and the pad), and an <img>
 * would need a data: or blob: URL, which SPEC §4's CSP forbids. Paths fill with `currentColor`, so
 * a theme change needs no repaint.
 */

/** Ink opacity levels; every inked pixel gets at least the first, so none disappears. */
export const INK_LEVELS = 16;

export interface InkPath {
  /** Opacity, (0, 1]. */
  opacity: number;
  /** Unit squares of the pixels at this level, merged into horizontal runs. */
  d: string;
}

const level = (v: number) => Math.ceil((v * INK_LEVELS) / 255);

/** A uint8 image (0 = background) `width` pixels wide as one path per ink level, lightest first. */
export function inkPaths(pixels: Uint8Array, width: number): InkPath[] {
  const runs: string[][] = Array.from({ length: INK_LEVELS + 1 }, () => []);
  for (let y = 0; y * width < pixels.length; y++) {
    const row = pixels.subarray(y * width, (y + 1) * width);
    for (let x = 0; x < width;) {
      const k = level(row[x]);
      let end = x + 1;
      while (end < width && level(row[end]) === k) end++;
      if (k > 0) runs[k].push(`M${x} ${y}h${end - x}v1h${x - end}z`);
      x = end;
    }
  }
  return runs.flatMap((r, k) => (r.length ? [{ opacity: k / INK_LEVELS, d: r.join('') }] : []));
}

/** Paths of digit `index` of a model's raw images, made once per model and digit. */
const cache = new WeakMap<ArrayBuffer, Map<number, InkPath[]>>();

export function digitPaths(raw: ArrayBuffer, index: number, side = 28): InkPath[] {
  let byIndex = cache.get(raw);
  if (!byIndex) cache.set(raw, (byIndex = new Map()));
  let paths = byIndex.get(index);
  if (!paths) {
    const n = side * side;
    paths = inkPaths(new Uint8Array(raw, index * n, n), side);
    byIndex.set(index, paths);
  }
  return paths;
}
