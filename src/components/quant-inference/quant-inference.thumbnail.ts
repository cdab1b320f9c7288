/**
 * A held-out digit as SVG path data, for the gallery's thumbnails. Not canvases: under software
 * compositing every visible canvas costs the main thread ~0.3 ms at each frame's commit even when
 * unchanged (60 thumbnails: ~18 ms a frame, stalling the model's kernels and the pad), and an <img>
 * would need a data: or blob: URL, which SPEC §4's CSP forbids. The paths take the svg's `fill`
 * (the theme ink, set in CSS), so a theme change needs no repaint.
 */
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

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

/** Held-out digits are 28×28 (MNIST). */
const DIGIT_SIDE = 28;

/** One <g> of paths per model and digit, built once; thumbnails show clones of it. */
const nodes = new WeakMap<ArrayBuffer, Map<number, SVGGElement>>();

function digitNode(raw: ArrayBuffer, index: number): SVGGElement {
  let byIndex = nodes.get(raw);
  if (!byIndex) nodes.set(raw, (byIndex = new Map()));
  let g = byIndex.get(index);
  if (!g) {
    const ns = 'http://www.w3.org/2000/svg';
    g = document.createElementNS(ns, 'g');
    const size = DIGIT_SIDE * DIGIT_SIDE;
    for (const { opacity, d } of inkPaths(new Uint8Array(raw, index * size, size), DIGIT_SIDE)) {
      const path = document.createElementNS(ns, 'path');
      path.setAttribute('d', d);
      path.setAttribute('fill-opacity', String(opacity));
      g.append(path);
    }
    byIndex.set(index, g);
  }
  return g;
}

/**
 * `<svg ${digitInk(raw, index)}>`: the digit's paths as the svg's content, swapped in only when the
 * digit changes — a cloned node instead of a template per path, so a gallery of 60 re-renders in a
 * fraction of the time.
 */
class DigitInkDirective extends Directive {
  #shown: [ArrayBuffer, number] | null = null;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('digitInk() goes on an <svg> element');
  }

  render(_raw: ArrayBuffer, _index: number) {
    return noChange;
  }

  override update(part: ElementPart, [raw, index]: [ArrayBuffer, number]) {
    if (this.#shown?.[0] !== raw || this.#shown[1] !== index) {
      part.element.replaceChildren(digitNode(raw, index).cloneNode(true));
      this.#shown = [raw, index];
    }
    return noChange;
  }
}

export const digitInk = directive(DigitInkDirective);
