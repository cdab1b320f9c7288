/**
 * CSS colours for canvases and uPlot, in one place: read a token from an element's computed
 * style, and turn any CSS colour the browser knows into RGBA bytes (for ImageData) or into an
 * `rgba()` string with a given opacity (for canvas fills). Results are cached per colour.
 */
import { declaredScheme, pickScheme } from './theme.js';

export type Rgba = [number, number, number, number];

/**
 * The computed value of each custom property, or its fallback when unset or empty, with
 * `light-dark()` resolved for the element's colour scheme (a canvas cannot resolve it).
 */
export function readTokens<K extends string>(
  el: Element,
  tokens: Record<K, [string, string]>,
): Record<K, string> {
  const cs = getComputedStyle(el);
  const scheme = declaredScheme(cs.colorScheme) ?? 'light';
  const out = {} as Record<K, string>;
  for (const key of Object.keys(tokens) as K[]) {
    const [name, fallback] = tokens[key];
    out[key] = pickScheme(cs.getPropertyValue(name).trim() || fallback, scheme);
  }
  return out;
}

const cache = new Map<string, Rgba>();
let probe: CanvasRenderingContext2D | null = null;

/** RGBA bytes of a CSS colour, via a 1×1 canvas (handles every syntax the browser knows). */
export function rgba(colour: string): Rgba {
  const cached = cache.get(colour);
  if (cached) return cached;
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return [0, 0, 0, 255];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000';
  probe.fillStyle = colour;
  probe.fillRect(0, 0, 1, 1);
  const d = probe.getImageData(0, 0, 1, 1).data;
  const value: Rgba = [d[0], d[1], d[2], d[3]];
  if (cache.size > 256) cache.clear();
  cache.set(colour, value);
  return value;
}

/** `colour` with opacity `alpha` (0–1, times the colour's own), as a canvas fill string. */
export function withAlpha(colour: string, alpha: number): string {
  const [r, g, b, a] = rgba(colour);
  return `rgba(${r}, ${g}, ${b}, ${+((a / 255) * alpha).toFixed(3)})`;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A colour as one Uint32 pixel of ImageData's byte order. */
export function packedPixel([r, g, b, a]: Rgba): number {
  return littleEndian
    ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}
