import { css } from 'lit';

export const inferenceStyles = css`
  :host {
    --_float: var(--quant-inference-float, var(--_accent));
    --_quant: var(--quant-inference-quant, #d4640b);
    --_qat: var(--quant-inference-qat, light-dark(#1a7f37, #3fb950));
    --_class-0: var(--quant-inference-class-0, #0969da);
    --_class-1: var(--quant-inference-class-1, #d4640b);
    --_class-2: var(--quant-inference-class-2, #1a7f37);
  }
  figure {
    margin: 0;
    display: grid;
    gap: 6px;
  }
  figcaption,
  .hint,
  .note,
  .more {
    color: var(--_muted);
    font-size: var(--_text-small);
    margin: 0;
  }
  [part~='metrics'] {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
    gap: 8px;
    margin: 0;
  }
  [part~='metrics'] dt {
    color: var(--_muted);
    font-size: var(--_text-small);
  }
  [part~='metrics'] dd {
    margin: 0;
    font-family: var(--_mono);
    font-weight: 600;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .gallery {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(120px, 1fr));
    gap: 8px;
    max-height: 320px;
    overflow: auto;
  }
  .gallery li {
    display: grid;
    justify-items: center;
    gap: 2px;
    font-size: var(--_text-small);
    text-align: center;
    background: var(--_surface);
    border-radius: 6px;
    padding: 4px;
  }
  .gallery svg {
    width: 56px;
    height: 56px;
    fill: var(--_fg);
  }
  .pad-row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
    align-items: start;
  }
  .pad-box {
    display: grid;
    gap: 6px;
    justify-items: start;
  }
  .pad-box .hint {
    max-width: 280px;
    margin: 0;
    font-size: var(--_text-small);
  }
  .pad-frame {
    position: relative;
    line-height: 0;
  }
  canvas.pad:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .pad-cursor {
    position: absolute;
    width: 14px;
    height: 14px;
    margin: -8px 0 0 -8px;
    border: 2px solid var(--_accent);
    border-radius: 50%;
    pointer-events: none;
  }
  .pad-cursor[data-pen='down'] {
    background: var(--_accent);
  }
  .pad-cursor[hidden] {
    display: none;
  }
  canvas.pad {
    width: 280px;
    height: 280px;
    max-width: 80vw;
    max-height: 80vw;
    touch-action: none;
    cursor: crosshair;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 6px;
  }
  .pad-result p {
    margin: 0 0 6px;
  }
  /* One grid for every bar: the same origin whatever each name's width. */
  .bars {
    display: grid;
    /* a name may wrap on a phone, so the axis keeps room for its labels */
    grid-template-columns: minmax(7em, max-content) minmax(120px, 1fr) max-content;
    gap: 4px 8px;
    align-items: center;
    font-size: var(--_text-small);
  }
  .bars li {
    display: contents;
  }
  .bars .track {
    position: relative;
    overflow: visible;
  }
  /* The float accuracy: a line through every track (and the axis) at the same x. */
  .bars .track::after,
  .bars .ticks::after {
    content: '';
    position: absolute;
    top: -3px;
    bottom: -3px;
    left: calc(var(--_ref) * 100%);
    border-left: 2px solid var(--_fg);
  }
  .bars .ticks {
    position: relative;
    display: flex;
    justify-content: space-between;
    gap: 8px;
    color: var(--_muted);
    font-family: var(--_mono);
  }
  .bars .ticks::after {
    bottom: auto;
    height: 6px;
  }
  .bars .ref-label {
    position: absolute;
    left: calc(var(--_ref) * 100%);
    /* from left-aligned at 0 to right-aligned at 1: never past the track's ends */
    transform: translateX(calc(var(--_ref) * -100%));
    top: 1.3em;
    color: var(--_fg);
    white-space: nowrap;
  }
  .bars .axis .ticks {
    padding-bottom: 1.5em;
  }
  .pairs li {
    display: grid;
    grid-template-columns: auto minmax(80px, 1fr) auto;
    gap: 8px;
    align-items: center;
    font-size: var(--_text-small);
  }
  .pairs li {
    grid-template-columns: 1.5em minmax(80px, 200px) max-content;
  }
  .value {
    white-space: nowrap;
  }
  .legend .key.quant {
    border-top: 6px solid var(--_quant);
  }
  .pad-result .legend .key.float {
    border-top: 6px solid var(--_float);
  }
  .value {
    font-family: var(--_mono);
  }
  .track,
  .pair {
    display: grid;
    gap: 1px;
    background: var(--_surface);
    border-radius: 3px;
    overflow: hidden;
  }
  .bar {
    display: block;
    height: 10px;
    width: calc(var(--_p, 0) * 100%);
    background: var(--_float);
  }
  .pair .bar {
    height: 6px;
  }
  .bar.quant {
    background: var(--_quant);
  }
  .regions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space);
  }
  .stack {
    position: relative;
    width: fit-content;
  }
  .stack canvas[data-differ] {
    position: absolute;
    inset: 0;
    pointer-events: none;
  }
  .region-key .swatch,
  .region-key .ring {
    display: inline-block;
    width: 12px;
    height: 12px;
    margin: 0 4px 0 10px;
    vertical-align: -1px;
    border-radius: 2px;
  }
  .region-key .swatch.class-0 {
    background: var(--_class-0);
  }
  .region-key .swatch.class-1 {
    background: var(--_class-1);
  }
  .region-key .swatch.class-2 {
    background: var(--_class-2);
  }
  .region-key .swatch.differ {
    border: 1px solid var(--_fg);
    background: repeating-linear-gradient(-45deg, var(--_fg) 0 1px, transparent 1px 4px);
  }
  .region-key .ring {
    border: 1.5px solid var(--_fg);
    border-radius: 50%;
  }
  .regions canvas {
    width: 256px;
    height: 256px;
    max-width: 42vw;
    max-height: 42vw;
    border: 1px solid var(--_border);
    border-radius: 6px;
  }
  [part~='qat'] {
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: var(--_space);
  }
  .qat-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .qat-state {
    margin: 0;
  }
  [part~='qat'] progress {
    width: min(100%, 320px);
  }
  .legend {
    margin: 0;
    font-size: var(--_text-small);
    color: var(--_muted);
  }
  .legend .key {
    display: inline-block;
    width: 18px;
    height: 0;
    margin: 0 4px 0 10px;
    vertical-align: middle;
    border-top: 2px solid var(--_qat);
  }
  .legend .key.float {
    border-top: 2px dashed var(--_float);
  }
  .legend .key.ptq {
    border-top: 2px dotted var(--_quant);
  }
`;
