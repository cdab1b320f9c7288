/** The arena's tables and the worked example, as templates of a result (no state). */
import { html, type TemplateResult } from 'lit';
import type { MatmulResult } from '../../core/index.js';
import { formatBytes, formatValue } from '../../internal/format.js';
import { memoryRows, type ArenaResult, type Bars, type WorkedExample } from './quant-arena.model.js';

export function chartLabel(b: Bars): string {
  return b.labels.map((l, i) => `${l}: ${formatValue(b.gflops[i], 3)} GFLOP/s`).join('; ');
}

export function renderTable(r: ArenaResult): TemplateResult {
  return html`<table part="table">
    <caption>
      Every run: median and p25–p75 of ${r.iterations} timed samples after warm-up, each timed until the
      result is read back (a run under 2 ms is repeated within a sample and averaged)
    </caption>
    <thead>
      <tr>
        <th scope="col">path</th>
        <th scope="col">device</th>
        <th scope="col">shape</th>
        <th scope="col">median ms</th>
        <th scope="col">p25–p75 ms</th>
        <th scope="col">GFLOP/s</th>
        <th scope="col">operand bytes</th>
        <th scope="col">max |error| vs float32</th>
      </tr>
    </thead>
    <tbody>
      ${r.runs.map(
        (x) =>
          html`<tr>
            <th scope="row">${x.path}</th>
            <td>${x.device}</td>
            <td>${x.shape.join('×')}</td>
            <td>${formatValue(x.medianMs, 3)}</td>
            <td>${formatValue(x.p25Ms, 3)}–${formatValue(x.p75Ms, 3)}</td>
            <td>${formatValue(x.gflops, 3)}</td>
            <td>${formatBytes(x.bytes)}</td>
            <td>${x.reference.startsWith('itself') ? 'reference' : formatValue(x.maxAbsError, 2)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function renderMemory(r: ArenaResult): TemplateResult {
  return html`<table part="memory">
    <caption>
      The ${r.size}×${r.size} matrix in memory
    </caption>
    <thead>
      <tr>
        <th scope="col">format</th>
        <th scope="col">bytes</th>
        <th scope="col">vs float32</th>
      </tr>
    </thead>
    <tbody>
      ${memoryRows(r.memory).map(
        (row) =>
          html`<tr>
            <th scope="row">${row.format}</th>
            <td>${formatBytes(row.bytes)}</td>
            <td>${row.ratio.toFixed(2)}×</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function grid(label: string, values: ArrayLike<number>, digits?: number): TemplateResult {
  const cell = (v: number) => (digits === undefined ? String(v) : formatValue(v, digits));
  return html`<table>
    <caption>
      ${label}
    </caption>
    <tbody>
      ${[0, 1, 2, 3].map(
        (i) =>
          html`<tr>
            ${[0, 1, 2, 3].map((j) => html`<td>${cell(values[i * 4 + j])}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function renderExample(m: MatmulResult, w: WorkedExample): TemplateResult {
  const [za, zb] = [m.a.zeroPoint[0], m.b.zeroPoint[0]];
  return html`<p>
      A ≈ s<sub>a</sub>·(q<sub>a</sub> − z<sub>a</sub>) with s<sub>a</sub> = ${formatValue(m.a.scale[0], 5)},
      z<sub>a</sub> = ${za}; B ≈ s<sub>b</sub>·(q<sub>b</sub> − z<sub>b</sub>) with s<sub>b</sub> =
      ${formatValue(m.b.scale[0], 5)}, z<sub>b</sub> = ${zb}. An integer kernel accumulates C = Σ
      q<sub>a</sub>q<sub>b</sub> − z<sub>b</sub>·Σ<sub>k</sub> q<sub>a</sub> − z<sub>a</sub>·Σ<sub>k</sub>
      q<sub>b</sub> + K·z<sub>a</sub>z<sub>b</sub> in int32 (K·z<sub>a</sub>z<sub>b</sub> = ${w.constant}),
      then rescales by s<sub>a</sub>s<sub>b</sub> once.
    </p>
    <div class="example">
      ${grid('A codes', m.a.codes)} ${grid('B codes', m.b.codes)} ${grid('Σ qa·qb (raw int32)', w.raw)}
      ${grid('zb·Σk qa', w.rowTerm)} ${grid('za·Σk qb', w.colTerm)} ${grid('corrected C', w.corrected)}
      ${grid('sa·sb·C', w.output, 4)} ${grid('float product of dequantized A·B', m.expected, 4)}
    </div>
    <p>
      Largest difference between the integer path and the float product: ${formatValue(m.maxAbsError, 2)}.
    </p>`;
}
