import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { MatmulResult } from '../../core/index.js';
import { ChartController } from '../../controllers/chart-controller.js';
import { toDetail } from '../../controllers/errors.js';
import { TaskController } from '../../controllers/task.js';
import { VisibilityController } from '../../controllers/visibility.js';
import { WorkerController } from '../../controllers/worker.js';
import { readTokens } from '../../internal/colors.js';
import type { ArenaProgress } from '../../core/arena/types.js';
import { fieldProperty, LOADING_FIELD } from '../../internal/fields.js';
import { buttonStyles } from '../../internal/controls.js';
import { QuantBase } from '../../internal/quant-base.js';
import { chartGridStyles, uplotStyles } from '../../internal/uplot-styles.js';
import { arenaWorker } from '../../worker-sources.js';
import {
  BOOLEAN_FIELD,
  DEVICES_FIELD,
  ITERATIONS_FIELD,
  MODE_FIELD,
  PATHS_FIELD,
  SIZE_FIELD,
  barsOf,
  headline,
  workedExample,
  type ArenaDevice,
  type ArenaMode,
  type ArenaPath,
  type ArenaRequest,
  type ArenaResponse,
  type ArenaResult,
} from './quant-arena.model.js';
import { barChart } from './quant-arena.chart.js';
import { chartLabel, renderExample, renderMemory, renderTable } from './quant-arena.views.js';
import { arenaStyles } from './quant-arena.styles.js';

export type { ArenaResult, ArenaProgress };

/** What the worker is asked to run (the runner's options, from the attributes). */
export interface ArenaInput {
  size: number;
  iterations: number;
  mode: ArenaMode;
  devices: 'auto' | ArenaDevice[];
  paths: ArenaPath[];
}

/** The worked example: 4×4 operands with a visible offset, so both zero-points matter. */
const EXAMPLE_A = [0.9, -0.3, 1.6, 0.2, -1.1, 0.5, 2.3, -0.4, 0.7, 1.2, -0.8, 0.1, 1.9, -0.6, 0.3, 1.4];
const EXAMPLE_B = [1.2, 0.4, -0.2, 0.9, 0.3, 1.7, 0.8, -0.5, -0.6, 0.2, 1.1, 0.6, 0.5, -0.9, 0.4, 1.3];

/**
 * Float vs integer matmul, measured in the reader's browser: jax-js float32 and its integer path,
 * float16 where the device has it, and a pair of WebAssembly SIMD kernels (f32x4 vs int8 with
 * int32 accumulation) that isolates the data type. All timing runs in a Web Worker.
 *
 * @tag quant-arena
 * @summary What integer arithmetic really buys, measured honestly.
 *
 * @attr {number} size - Matrix size n (16–2048). Default 256.
 * @attr {number} iterations - Timed runs per path (1–1000), after warm-up. Default 20.
 * @attr {'matmul' | 'matvec' | 'both'} mode - n×n · n×n (compute-bound), n×n · n (memory-bound), or both. Default both.
 * @attr {string} devices - `auto` (wasm and webgpu where they initialise) or a list of `wasm webgpu webgl cpu`.
 * @attr {string} paths - Subset of `float32 int-jax float16 f32-simd i8-simd i8-relaxed`. Default all.
 * @attr {boolean} autorun - Run when visible; otherwise a Run button.
 * @attr {'lazy' | 'eager'} loading - `lazy` (start near the viewport) | `eager`. Default lazy.
 *
 * @fires {CustomEvent<QuantReadyDetail>} quant-ready - The element knows its devices and can run: `{device}` lists the devices a run uses.
 * @fires {CustomEvent<ArenaProgress>} quant-progress - A run advanced: `{done, total, path, device}`.
 * @fires {CustomEvent<ArenaResult>} quant-result - A run finished and the DOM shows it.
 * @fires {CustomEvent<QuantErrorDetail>} quant-error - An invalid attribute, or a run that failed.
 *
 * @csspart controls - Run / Cancel and the progress bar.
 * @csspart headline - The takeaway of each shape: the fastest, or no measurable difference.
 * @csspart chart - The GFLOP/s charts.
 * @csspart details - The disclosure holding the tables and the note.
 * @csspart table - The results table.
 * @csspart memory - The memory table.
 * @csspart note - The note generated from the numbers.
 * @csspart example - The worked 4×4 example.
 *
 * @cssprop --quant-arena-bar - Colour of the bars.
 * @cssprop --quant-arena-bar-int - Colour of the integer paths' bars.
 */
export class QuantArena extends QuantBase<ArenaResult> {
  static override styles = [...QuantBase.styles, buttonStyles, uplotStyles, chartGridStyles, arenaStyles];
  static override properties = {
    size: fieldProperty(SIZE_FIELD, 'size'),
    iterations: fieldProperty(ITERATIONS_FIELD, 'iterations'),
    mode: fieldProperty(MODE_FIELD, 'mode'),
    devices: fieldProperty(DEVICES_FIELD, 'devices'),
    paths: fieldProperty(PATHS_FIELD, 'paths'),
    autorun: fieldProperty(BOOLEAN_FIELD, 'autorun'),
    loading: fieldProperty(LOADING_FIELD, 'loading'),
  };

  /** Matrix size n (16–2048). */
  declare size: number;
  /** Timed runs per path, after warm-up (1–1000). */
  declare iterations: number;
  /** `matmul`, `matvec` or `both`. */
  declare mode: ArenaMode;
  /** `auto` or a list of devices. */
  declare devices: 'auto' | ArenaDevice[];
  /** The paths to run. */
  declare paths: ArenaPath[];
  /** Run when visible instead of waiting for the Run button. */
  declare autorun: boolean;
  /** `lazy` or `eager`. */
  declare loading: 'lazy' | 'eager';

  readonly #visibility = new VisibilityController(this, { eager: () => this.loading === 'eager' });
  protected readonly worker = new WorkerController<ArenaRequest, ArenaProgress, ArenaResponse>(
    this,
    arenaWorker,
    'benchmark',
  );
  readonly #runs = new TaskController<[ArenaInput], ArenaResult, ArenaProgress>(this, {
    autoRun: false,
    args: () => [this.#input()],
    run: async ([options], { signal, progress }) => {
      // The worker answers one request at a time: let the short `prepare` finish first.
      await this.#preparing?.catch(() => {});
      const response = await this.worker.run({ kind: 'run', options }, { signal, onProgress: progress });
      if (response.kind !== 'run') throw new Error('the worker answered the wrong request');
      return response.result;
    },
    onProgress: (detail) => this.emit('quant-progress', detail),
    onComplete: (result) => {
      this.errors.set('runtime', null);
      this.emit('quant-result', result);
    },
    onError: (e) => this.errors.set('runtime', toDetail(e, 'runtime')),
  });
  /** The worker's first answer: the devices a run uses, and the worked example (no jax-js here). */
  #preparing: Promise<void> | null = null;
  #prepared: { devices: string[]; example: MatmulResult } | null = null;
  readonly #charts = {
    matmul: new ChartController(this, () => this.#chartBox('matmul')),
    matvec: new ChartController(this, () => this.#chartBox('matvec')),
  };
  #autoran = false;
  #drawn: ArenaResult | null = null;

  /** The last result, or null (read-only). */
  override get result(): ArenaResult | null {
    return this.#runs.value ?? null;
  }

  /** Runs the benchmark (what the Run button does). Rejects with an AbortError when cancelled. */
  run(): Promise<ArenaResult> {
    this.#autoran = true;
    return this.#runs.run([this.#input()]);
  }

  /** Stops a run: the worker is terminated and the pending `run()` rejects with an AbortError. */
  cancel(): void {
    this.#runs.abort(new DOMException('the run was cancelled', 'AbortError'));
  }

  #input(): ArenaInput {
    return {
      size: this.size,
      iterations: this.iterations,
      mode: this.mode,
      devices: this.devices,
      paths: this.paths,
    };
  }

  /** Once visible: starts the worker and asks it what a run needs (quant-ready follows). */
  #prepare(): void {
    // The worker answers one request at a time: a run asked for before the element was visible
    // goes first, and the next update after it prepares.
    if (this.#preparing || this.#runs.status === 'pending') return;
    this.#preparing = this.worker.run({ kind: 'prepare', a: EXAMPLE_A, b: EXAMPLE_B }).then(
      (response) => {
        if (response.kind !== 'prepare') return;
        this.#prepared = response;
        // An arena nobody has run yet keeps no worker (and its jax-js) alive.
        if (this.#runs.status === 'idle') this.worker.terminate();
        this.errors.set('prepare', null);
        this.requestUpdate();
        const asked = this.devices;
        const used = asked === 'auto' ? response.devices : asked;
        this.emit('quant-ready', { device: used.join(' '), requested: DEVICES_FIELD.format(asked) });
      },
      (e: unknown) => {
        if ((e as Error)?.name !== 'AbortError') this.errors.set('prepare', toDetail(e, 'runtime'));
      },
    );
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.#visibility.near) this.#prepare();
    if (this.autorun && this.#visibility.near && !this.#autoran) void this.run().catch(() => {});
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#drawn !== this.result) {
      this.#drawn = this.result;
      this.draw();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A reconnected autorun element runs again.
    this.#autoran = false;
    this.#preparing = null;
    this.#prepared = null;
    this.#drawn = null;
  }

  #chartBox(kind: 'matmul' | 'matvec'): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[data-chart=${kind}]`);
  }

  protected override draw(): void {
    const r = this.result;
    if (!r) return;
    const colors = readTokens(this, {
      bar: ['--_bar', '#0969da'],
      int: ['--_bar-int', '#d4640b'],
      fg: ['--_fg', '#1c2128'],
      muted: ['--_muted', '#57606a'],
      border: ['--_border', '#d0d7de'],
      font: ['--_font', 'system-ui'],
    });
    for (const kind of ['matmul', 'matvec'] as const) {
      const bars = barsOf(r, kind);
      if (bars.labels.length) this.#charts[kind].render(barChart(bars, colors), true);
    }
  }

  #renderControls(): TemplateResult {
    const running = this.#runs.status === 'pending';
    const p = this.#runs.progress;
    const action = running ? 'Cancel' : this.result ? 'Run again' : 'Run';
    // One button that changes its action, so keyboard focus stays on it.
    return html`<div part="controls" class="actions">
      <button
        class=${running ? 'secondary' : ''}
        aria-label=${this.named(action)}
        @click=${() => (running ? this.cancel() : void this.run().catch(() => {}))}
      >
        ${action}
      </button>
      ${
        running
          ? html`<progress
                max=${p?.total ?? 1}
                .value=${p?.done ?? 0}
                aria-label=${this.named('Benchmark progress')}
              ></progress>
              <span aria-live="polite"
                >${p ? `${p.done} / ${p.total} done · ${p.path} on ${p.device}` : 'Starting the worker…'}</span
              >`
          : nothing
      }
    </div>`;
  }

  #renderResult(r: ArenaResult): TemplateResult {
    const kinds = (['matmul', 'matvec'] as const).filter((k) => barsOf(r, k).labels.length > 0);
    // The takeaway first, then the chart; the numbers behind it wait behind a disclosure.
    return html`<div part="headline">${kinds.map((k) => html`<p>${headline(r, k)}</p>`)}</div>
      <div part="chart" class="charts">
        ${kinds.map(
          (k) =>
            html`<figure>
              <figcaption>
                ${k === 'matmul' ? `${r.size}×${r.size} · ${r.size}×${r.size}` : `${r.size}×${r.size} · vector`}:
                GFLOP/s, higher is faster (whiskers: p25–p75), <span class="chip float"></span>float
                <span class="chip int"></span>integer
              </figcaption>
              <div data-chart=${k} role="img" aria-label=${chartLabel(barsOf(r, k))}></div>
            </figure>`,
        )}
      </div>
      <details part="details">
        <summary>Every run, what the numbers say, and the memory</summary>
        <div class="scroll scroll-x">${renderTable(r)}</div>
        ${
          r.skipped.length
            ? html`<ul class="skipped">
                ${r.skipped.map((s) => html`<li>Skipped ${s.path} on ${s.device}: ${s.reason}</li>`)}
              </ul>`
            : nothing
        }
        <div part="note">${r.note.split('\n').map((line) => html`<p>${line}</p>`)}</div>
        <div class="scroll scroll-x">${renderMemory(r)}</div>
      </details>`;
  }

  #renderExample(): TemplateResult | typeof nothing {
    const m = this.#prepared?.example;
    if (!m) return nothing;
    const w = workedExample(m.a, m.b, 4, 4, 4);
    return html`<details part="example">
      <summary>The quantized matmul as arithmetic (4×4, 8-bit affine)</summary>
      ${renderExample(m, w)}
    </details>`;
  }

  override render(): TemplateResult {
    const r = this.result;
    const status =
      this.#runs.status === 'pending'
        ? 'Running in a Web Worker: the page stays responsive.'
        : !this.#visibility.near
          ? 'The arena starts when it scrolls into view.'
          : r
            ? `Measured in a Web Worker in this browser: ${r.iterations} timed runs per path.`
            : 'Ready: Run measures float and integer matmul in a Web Worker (the page stays responsive).';
    return this.region(
      'Float vs integer arena',
      this.#runs.status === 'pending',
      html`${this.#renderControls()} ${this.renderError()} ${r ? this.#renderResult(r) : nothing}
      ${this.#renderExample()} ${this.renderStatus(status)}`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'quant-arena': QuantArena;
  }
}
