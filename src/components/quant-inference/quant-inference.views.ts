/** <quant-inference>'s views as templates of a result, and its canvas painters (no state). */
import { html, nothing, type TemplateResult } from 'lit';
import { packedPixel, rgba, withAlpha } from '../../internal/colors.js';
import { formatBytes, formatPercent, formatValue } from '../../internal/format.js';
import { styleProps } from '../../internal/style-props.js';
import type { LoadedModel } from '../../models/load.js';
import { flipCaption, flipLabel, sensitivityAxis, type Plane } from './quant-inference.model.js';
import { digitInk } from './quant-inference.thumbnail.js';
import type { InferenceResult } from './quant-inference.component.js';

/** Thumbnails shown at most; the rest are counted ("+N more"). */
export const GALLERY_MAX = 60;

const metric = (name: string, value: string) =>
  html`<div>
    <dt>${name}</dt>
    <dd>${value}</dd>
  </div>`;

export function renderMetrics(r: InferenceResult): TemplateResult {
  return html`<dl part="metrics">
    ${metric('Accuracy, float', formatPercent(r.accuracyFloat))}
    ${metric(r.qat ? 'Accuracy, quantized (QAT weights)' : 'Accuracy, quantized', formatPercent(r.accuracyQuant))}
    ${metric('Top-1 agreement', formatPercent(r.agreement))}
    ${metric('Mean KL(float ‖ quantized)', `${formatValue(r.meanKl, 3)} nats`)}
    ${metric('Max |Δlogit|', formatValue(r.maxLogitDiff, 3))}
    ${metric('Flipped predictions', `${r.flipped} of ${r.heldOut}`)}
    ${metric(
      'Model bytes',
      `${formatBytes(r.bytesFloat)} → ${formatBytes(r.bytesQuant)} (${(r.bytesFloat / r.bytesQuant).toFixed(1)}×)`,
    )}
  </dl>`;
}

export function renderSensitivity(r: InferenceResult, shapes: [number, number][]): TemplateResult {
  // One origin for every bar (the name column is the widest name), on an axis zoomed to the
  // values, the float accuracy drawn as a reference line across them.
  const [lo, hi] = sensitivityAxis(r.sensitivity, r.accuracyFloat);
  const at = (v: number) => String(Math.min(1, Math.max(0, (v - lo) / (hi - lo))));
  // On a narrow axis a tenth of a percent is a visible step: the labels show hundredths.
  const pct = (v: number) => (hi - lo < 0.02 ? `${(v * 100).toFixed(2)}%` : formatPercent(v));
  return html`<figure part="sensitivity">
    <figcaption>
      Held-out accuracy with only one layer quantized (its weights at its own
      width${r.activations === 'float' ? '' : `, its input at ${r.activations} bits`})${
        r.qat
          ? '; of the QAT weights, trained with every layer quantized, so the others stay at their float QAT values'
          : ''
      };
      the line is the float model's ${pct(r.accuracyFloat)}
    </figcaption>
    <ul class="bars" ${styleProps({ '--_ref': at(r.accuracyFloat) })}>
      ${r.sensitivity.map(
        (acc, i) =>
          html`<li>
            <span class="name"
              >layer ${i + 1} (${shapes[i]?.[1]}→${shapes[i]?.[0]}, ${r.layers[i]} bits)</span
            >
            <span class="track"><span class="bar" ${styleProps({ '--_p': at(acc) })}></span></span>
            <span class="value">${pct(acc)}</span>
          </li>`,
      )}
      <li class="axis" aria-hidden="true">
        <span></span>
        <span class="ticks"
          ><span>${pct(lo)}</span><span class="ref-label">float ${pct(r.accuracyFloat)}</span
          ><span>${pct(hi)}</span></span
        >
        <span></span>
      </li>
    </ul>
  </figure>`;
}

export function renderGallery(
  r: InferenceResult,
  names: readonly string[],
  raw: ArrayBuffer,
  named: (name: string) => string = (name) => name,
): TemplateResult {
  const shown = r.examples.slice(0, GALLERY_MAX);
  const more = r.examples.length - shown.length;
  return html`<figure part="gallery">
    <figcaption>
      ${
        r.flipped === 0
          ? 'No held-out digit changed its prediction at this config.'
          : `Held-out digits whose prediction changed (${r.flipped}):`
      }
    </figcaption>
    <ul class="gallery scroll-y" tabindex="0" aria-label=${named('Flipped held-out digits')}>
      ${shown.map(
        // Not keyed: reusing the nodes in place is cheaper than creating them when most flipped
        // digits differ between two configs.
        (e) =>
          html`<li>
            <svg
              viewBox="0 0 28 28"
              shape-rendering="crispEdges"
              role="img"
              aria-label=${flipLabel(e, names)}
              data-index=${e.index}
              ${digitInk(raw, e.index)}
            ></svg>
            <span aria-hidden="true">${flipCaption(e, names)}</span>
          </li>`,
      )}
    </ul>
    ${more > 0 ? html`<p class="more">+${more} more</p>` : nothing}
  </figure>`;
}

/** Both models' top class for the drawn digit. */
export function padReading(
  probs: { float: number[]; quant: number[] },
  names: readonly string[],
): [string, string] {
  const top = (p: number[]) => names[p.indexOf(Math.max(...p))];
  return [top(probs.float), top(probs.quant)];
}

/** Paired bars of both models' class probabilities for the drawn digit. */
export function renderPadBars(
  probs: { float: number[]; quant: number[] } | null,
  names: readonly string[],
): TemplateResult {
  if (!probs) return html`<p class="hint">Draw a digit: both models' probabilities appear here.</p>`;
  const [f, q] = padReading(probs, names);
  return html`<div class="pad-result">
    <p>Float reads <strong>${f}</strong>, quantized reads <strong>${q}</strong>.</p>
    <p class="legend" aria-hidden="true">
      <span class="key float"></span>float <span class="key quant"></span>quantized (probabilities)
    </p>
    <ul class="pairs">
      ${names.map(
        (name, c) =>
          html`<li>
            <span class="name">${name}</span>
            <span class="pair">
              <span class="bar float" ${styleProps({ '--_p': String(probs.float[c]) })}></span>
              <span class="bar quant" ${styleProps({ '--_p': String(probs.quant[c]) })}></span>
            </span>
            <span class="value">${formatPercent(probs.float[c])} / ${formatPercent(probs.quant[c])}</span>
          </li>`,
      )}
    </ul>
  </div>`;
}

export interface Regions {
  cells: number;
  plane: Plane;
  float: Uint8Array;
  quant: Uint8Array;
}

/** Decision regions of one model (a class per grid cell), the held-out points, flipped ones ringed. */
export function paintRegions(
  canvas: HTMLCanvasElement,
  regions: Regions,
  classes: Uint8Array,
  model: LoadedModel,
  flipped: ReadonlySet<number>,
  colours: string[],
  fg: string,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { cells, plane } = regions;
  const size = canvas.width;
  const image = ctx.createImageData(cells, cells);
  const out = new Uint32Array(image.data.buffer);
  for (let i = 0; i < cells * cells; i++) {
    const [r, g, b] = rgba(colours[classes[i]] ?? fg);
    out[i] = packedPixel([r, g, b, 70]);
  }
  ctx.clearRect(0, 0, size, size);
  // the grid at its own resolution, then scaled up crisp
  const tile = document.createElement('canvas');
  tile.width = tile.height = cells;
  tile.getContext('2d')?.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, 0, 0, size, size);
  const points = model.inputs;
  const toPx = (x: number, y: number): [number, number] => [
    ((x - plane.x0) / plane.size) * size,
    (1 - (y - plane.y0) / plane.size) * size,
  ];
  for (let i = 0; i < model.labels.length; i++) {
    const [x, y] = toPx(points[2 * i], points[2 * i + 1]);
    ctx.fillStyle = colours[model.labels[i]] ?? fg;
    ctx.beginPath();
    ctx.arc(x, y, 2.5, 0, 2 * Math.PI);
    ctx.fill();
    if (flipped.has(i)) {
      ctx.strokeStyle = fg;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(x, y, 6, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
}

/** How many grid cells the two models classify differently. */
export function differingCells({ float, quant }: Pick<Regions, 'float' | 'quant'>): number {
  let n = 0;
  for (let i = 0; i < float.length; i++) if (float[i] !== quant[i]) n++;
  return n;
}

/**
 * The cells where float and quantized disagree, tinted and hatched on a canvas of their own laid
 * over the quantized regions: at alpha 70 two regions that differ in a few hundred cells look alike.
 */
export function paintDisagreement(canvas: HTMLCanvasElement, regions: Regions, fg: string): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { cells, float, quant } = regions;
  const size = canvas.width;
  const cell = size / cells;
  ctx.clearRect(0, 0, size, size);
  ctx.save();
  ctx.beginPath();
  for (let i = 0; i < cells * cells; i++) {
    if (float[i] === quant[i]) continue;
    // the grid's row 0 is the plane's top, as in paintRegions' image
    ctx.rect((i % cells) * cell, Math.floor(i / cells) * cell, cell, cell);
  }
  ctx.clip();
  ctx.fillStyle = withAlpha(fg, 0.3);
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = fg;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let d = -size; d < size; d += 4) {
    ctx.moveTo(d, size);
    ctx.lineTo(d + size, 0);
  }
  ctx.stroke();
  ctx.restore();
}
