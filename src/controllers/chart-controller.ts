/**
 * One uPlot chart inside a host's shadow root, as a Lit reactive controller.
 * Created once its container is rendered; resized by a ResizeObserver that
 * calls setSize only when the integer width changes; destroyed on disconnect
 * and rebuilt on reconnect.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import uPlot from 'uplot';

export interface ChartSpec {
  /** uPlot options without the size (the controller owns width and height). */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
}

/** Width used when the container has no layout yet (display: none, detached). */
const FALLBACK_WIDTH = 320;

export class ChartController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #container: () => HTMLElement | null;
  #spec: ChartSpec | null = null;
  #chart: uPlot | null = null;
  #observer: ResizeObserver | null = null;
  #width = 0;

  constructor(host: ReactiveControllerHost & HTMLElement, container: () => HTMLElement | null) {
    this.#host = host;
    this.#container = container;
    host.addController(this);
  }

  /** The live uPlot instance, or null. */
  get chart(): uPlot | null {
    return this.#chart;
  }

  /** Shows `spec`: new data on the live chart, or a new chart when the options changed. */
  render(spec: ChartSpec, rebuild = false): void {
    const previous = this.#spec;
    this.#spec = spec;
    const container = this.#container();
    if (!container || !this.#host.isConnected) return;
    const chart = this.#chart;
    const sameRoot = chart !== null && chart.root.parentElement === container;
    if (
      chart &&
      sameRoot &&
      !rebuild &&
      previous &&
      previous.options.series.length === spec.options.series.length
    ) {
      if (previous.height !== spec.height) chart.setSize({ width: this.#width, height: spec.height });
      chart.setData(spec.data);
      return;
    }
    this.#create(container, spec);
  }

  #create(container: HTMLElement, spec: ChartSpec): void {
    this.#destroy();
    this.#width = Math.floor(container.getBoundingClientRect().width) || FALLBACK_WIDTH;
    this.#chart = new uPlot(
      { ...spec.options, width: this.#width, height: spec.height },
      spec.data,
      container,
    );
    this.#observer = new ResizeObserver((entries) => {
      const entry = entries.at(-1);
      const chart = this.#chart;
      if (!entry || !chart || !this.#spec) return;
      const width = Math.floor(entry.contentRect.width);
      if (width <= 0 || width === this.#width) return;
      this.#width = width;
      chart.setSize({ width, height: this.#spec.height });
    });
    this.#observer.observe(container);
  }

  #destroy(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#chart?.destroy();
    this.#chart = null;
  }

  hostConnected(): void {
    // Rebuilt after the next update, when the container is in the DOM again.
    if (this.#spec) this.#host.requestUpdate();
  }

  hostUpdated(): void {
    if (this.#chart || !this.#spec) return;
    const container = this.#container();
    if (container) this.#create(container, this.#spec);
  }

  hostDisconnected(): void {
    this.#destroy();
  }

  /** Destroys the chart and detaches the controller from its host. */
  dispose(): void {
    this.#destroy();
    this.#spec = null;
    this.#host.removeController(this);
  }
}
