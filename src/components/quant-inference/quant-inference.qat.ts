/**
 * The quantization-aware-training panel of <quant-inference>: the "Recover with QAT" action, its
 * progress and Cancel, the live held-out accuracy curve (float, post-training quantized, QAT) and
 * the "QAT weights" state with Reset. Views only: the component owns the run and the weights.
 */
import { html, nothing, type TemplateResult } from 'lit';
import uPlot from 'uplot';
import type { ChartSpec } from '../../controllers/chart-controller.js';
import type { QatPoint } from '../../core/qat/train.js';
import type { QatWorkerProgress } from '../../core/qat/protocol.js';
import { formatPercent } from '../../internal/format.js';
import { trainedForLabel } from './quant-inference.model.js';
import type { QatWeights } from './quant-inference.run.js';

/** What the panel shows: idle, training (with progress), or the QAT weights in force. */
export interface QatView {
  running: boolean;
  progress: QatWorkerProgress | undefined;
  steps: number;
  curve: readonly QatPoint[];
  weights: QatWeights | null;
  /** The post-training-quantized accuracy of the shown result (its `method`'s weights). */
  ptq: number | null;
  /** How the shown result's weights were quantized: QAT starts from round-to-nearest whatever it is. */
  method: 'rtn' | 'gptq' | 'awq';
  /** The shown result's int width (null: another format), for a hint at fewer bits. */
  bits: number | null;
  float: number | null;
  /** The shown result's config, when it is not the one the QAT weights were trained for. */
  otherConfig: string | null;
  /** The step a cancelled run stopped at (its curve stays shown), or null. */
  cancelledAt: number | null;
}

export interface QatActions {
  train(): void;
  cancel(): void;
  reset(): void;
}

const METHOD_NAMES = { rtn: 'round-to-nearest', gptq: 'GPTQ', awq: 'AWQ' } as const;

/** What QAT would do, from which weights, against which figure; a hint at fewer bits where little is lost. */
export function qatHint(v: Pick<QatView, 'steps' | 'ptq' | 'float' | 'method' | 'bits'>): string {
  let text =
    `Fine-tunes the model with the quantizer in the loop (${v.steps} steps on a training subset, in a ` +
    `Web Worker), starting from the trained float weights quantized round-to-nearest`;
  const known = v.ptq !== null && v.float !== null;
  if (v.method !== 'rtn')
    // QAT's quantizer recomputes the codes each step, which would undo GPTQ's / AWQ's adjustments.
    text +=
      ` — not ${METHOD_NAMES[v.method]}'s weights` +
      (known
        ? `: ${METHOD_NAMES[v.method]} gives ${formatPercent(v.ptq!)} against ${formatPercent(v.float!)} float; the curve's post-training line is round-to-nearest's`
        : '');
  else if (known)
    text += `: round-to-nearest gives ${formatPercent(v.ptq!)} against ${formatPercent(v.float!)} float`;
  // Fewer bits than the current width, where there are any.
  const fewer = v.bits === null ? [] : [2, 3].filter((b) => b < v.bits!);
  if (known && v.method === 'rtn' && v.float! - v.ptq! < 0.01 && fewer.length)
    text += `; little to recover here: try ${fewer.join(' or ')} bits`;
  return `${text}.`;
}

function progressText(v: QatView): string {
  const p = v.progress;
  if (!p || p.phase === 'loading') return 'Loading the training subset and starting the worker…';
  const last = v.curve.at(-1);
  return `Step ${p.done} / ${p.total}${last ? ` · held-out ${formatPercent(last.qat)}` : ''}`;
}

/** A short text version of the curve, for screen readers and as the chart's label. */
export function curveLabel(curve: readonly QatPoint[]): string {
  const first = curve[0];
  const last = curve.at(-1);
  if (!first || !last) return 'Held-out accuracy during training: no points yet.';
  return (
    `Held-out accuracy during training: float ${formatPercent(first.float)}, post-training quantized ` +
    `${formatPercent(first.ptq)}, QAT ${formatPercent(first.qat)} at step ${first.step} → ` +
    `${formatPercent(last.qat)} at step ${last.step}.`
  );
}

export function renderQat(
  v: QatView,
  on: QatActions,
  named: (name: string) => string = (name) => name,
): TemplateResult {
  const w = v.weights;
  const train = w ? 'Train again with QAT' : 'Recover with QAT';
  const reset = 'Reset to the trained weights';
  const state = v.running
    ? html`<p class="qat-state" role="status">${progressText(v)}</p>
        <progress
          max=${v.progress?.total || v.steps}
          value=${v.progress?.phase === 'training' ? v.progress.done : 0}
          aria-label=${named('Quantization-aware training progress')}
        ></progress>`
    : w
      ? html`<p class="qat-state" role="status">
          <strong>QAT weights</strong>: ${w.summary.steps} steps trained for ${trainedForLabel(w)} in
          ${(w.summary.ms / 1000).toFixed(1)} s · held-out ${formatPercent(w.summary.accuracy)} there.
          ${
            v.otherConfig
              ? html`The numbers above quantize them at <strong>${v.otherConfig}</strong>, not the config they
                  were trained for.`
              : 'The numbers above use them.'
          }
        </p>`
      : html`${
            v.cancelledAt !== null
              ? html`<p class="qat-state" role="status">
                  Cancelled at step ${v.cancelledAt} of ${v.steps}: the trained weights stay.
                </p>`
              : nothing
          }
          <p class="hint">${qatHint(v)}</p>`;
  return html`<figure part="qat">
    <figcaption>Quantization-aware training</figcaption>
    <div class="qat-actions">
      ${
        v.running
          ? html`<button class="secondary" aria-label=${named('Cancel')} @click=${on.cancel}>Cancel</button>`
          : html`<button aria-label=${named(train)} @click=${on.train}>${train}</button>`
      }
      ${w && !v.running ? html`<button class="secondary" aria-label=${named(reset)} @click=${on.reset}>${reset}</button>` : nothing}
    </div>
    ${state}
    ${
      v.curve.length
        ? html`<div data-chart="qat" role="img" aria-label=${curveLabel(v.curve)}></div>
            <p class="legend" aria-hidden="true">
              <span class="key float"></span>float <span class="key ptq"></span>post-training
              <span class="key qat"></span>QAT
            </p>`
        : nothing
    }
  </figure>`;
}

/** Held-out accuracy (%) per step: float and PTQ as flat references, QAT as it trains. */
export function qatChart(
  curve: readonly QatPoint[],
  total: number,
  c: Record<'float' | 'ptq' | 'qat' | 'muted' | 'border', string>,
): ChartSpec {
  const pct = (f: (p: QatPoint) => number) => curve.map((p) => 100 * f(p));
  const low = Math.min(...pct((p) => p.ptq), ...pct((p) => p.qat));
  const axis = { stroke: c.muted, grid: { stroke: c.border, width: 1 }, ticks: { stroke: c.border } };
  const line = (stroke: string, dash?: number[]): uPlot.Series => ({
    stroke,
    width: 2,
    dash,
    points: { show: false },
  });
  return {
    height: 200,
    data: [curve.map((p) => p.step), pct((p) => p.float), pct((p) => p.ptq), pct((p) => p.qat)],
    options: {
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [0, Math.max(total, 1)] },
        y: { range: [Math.max(0, Math.floor(low / 5) * 5 - 5), 100] },
      },
      axes: [
        { ...axis, label: 'step', size: 40 },
        { ...axis, label: 'held-out accuracy, %', size: 56 },
      ],
      series: [
        {},
        { label: 'float', ...line(c.float, [6, 4]) },
        { label: 'post-training', ...line(c.ptq, [2, 3]) },
        { label: 'QAT', ...line(c.qat) },
      ],
    },
  };
}
