/**
 * The weights a quantizing element works on: fetched from `src` (abortable, parsed, checked) or
 * generated from `distribution`/`std`/`seed`/`shape`. Runs once the gate opens and again when
 * one of those inputs changes. An unreadable `src` is a `bad-source` error; the element keeps the
 * weights it had (or generated ones when it had none), SPEC §4.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Distribution } from '../core/config.js';
import { MAX_DIM } from '../core/fields.js';
import { QuantError, generateWeights } from '../core/index.js';
import { quote } from '../internal/fields.js';
import { loadSource } from '../internal/load-source.js';
import { toDetail, type ErrorsController } from './errors.js';
import { TaskController } from './task.js';

/** Weights and the shape they are laid out in. */
export interface WeightData {
  values: Float32Array;
  shape: number[];
}

export interface WeightInputs {
  src: string | undefined;
  /** The `shape` attribute, or null when it is not set (a src then keeps its own shape). */
  shape: number[] | null;
  /** The shape generated weights take when `shape` is not set. */
  defaultShape: number[];
  distribution: Distribution;
  std: number;
  seed: number;
}

export interface WeightsOptions {
  gate(): boolean;
  inputs(): WeightInputs;
  /** The runtime in use (the session): a load that failed is tried again when it changes. */
  runtime(): unknown;
  errors: ErrorsController;
}

type Host = ReactiveControllerHost & Element;

export class WeightsController {
  readonly #options: WeightsOptions;
  readonly #task: TaskController<[WeightInputs, unknown], WeightData>;
  #inputs: WeightInputs | null = null;
  /** The last load failed (e.g. the engine did not load): retry with the next runtime. */
  #failed = false;

  constructor(host: Host, options: WeightsOptions) {
    this.#options = options;
    this.#task = new TaskController(host, {
      args: () => (options.gate() ? [this.#stableInputs(), this.#failed ? options.runtime() : null] : null),
      run: ([inputs], { signal }) => this.#load(inputs, signal),
      onComplete: () => {
        this.#failed = false;
        options.errors.set('weights', null);
      },
      onError: (e) => {
        this.#failed = true;
        options.errors.set('weights', toDetail(e, 'runtime'));
      },
    });
  }

  /** The latest weights, or null before the first load. */
  get weights(): WeightData | null {
    return this.#task.value ?? null;
  }

  /** Whether new weights are being loaded. */
  get loading(): boolean {
    return this.#task.status === 'pending';
  }

  /** The same object while no input changes, so the task sees a change only when there is one. */
  #stableInputs(): WeightInputs {
    const next = this.#options.inputs();
    const last = this.#inputs;
    const sameShape = (a: number[] | null, b: number[] | null) =>
      a === b || (a !== null && b !== null && a.length === b.length && a.every((d, i) => d === b[i]));
    const same =
      last !== null &&
      next.src === last.src &&
      next.distribution === last.distribution &&
      next.std === last.std &&
      next.seed === last.seed &&
      sameShape(next.shape, last.shape) &&
      sameShape(next.defaultShape, last.defaultShape);
    if (!same) this.#inputs = next;
    return this.#inputs!;
  }

  async #load(inputs: WeightInputs, signal: AbortSignal): Promise<WeightData> {
    const { errors } = this.#options;
    if (inputs.src) {
      try {
        const data = await this.#fetch(inputs, signal);
        errors.set('src', null);
        return data;
      } catch (e) {
        if (signal.aborted) throw e;
        errors.set('src', toDetail(e, 'bad-source', 'src'));
        // Keep working on what we had; generated weights when there is nothing yet.
        if (this.weights) return this.weights;
      }
    } else {
      errors.set('src', null);
    }
    const shape = inputs.shape ?? inputs.defaultShape;
    const n = shape.reduce((a, b) => a * b, 1);
    const values = await generateWeights(inputs.distribution, n, { std: inputs.std, seed: inputs.seed });
    return { values, shape };
  }

  async #fetch(inputs: WeightInputs, signal: AbortSignal): Promise<WeightData> {
    const src = inputs.src!;
    const w = await loadSource(new URL(src, document.baseURI).href, signal);
    // A `shape` that fits the file lays it out; otherwise the file's own shape.
    const asked = inputs.shape;
    const fits = asked && asked.reduce((a, b) => a * b, 1) === w.values.length;
    const shape = fits ? asked : w.shape;
    if (shape.some((d) => d > MAX_DIM)) {
      throw new QuantError(
        'bad-source',
        `${quote(src)} holds ${w.values.length} values in one row: set shape="ROWSxCOLS" (each at most ${MAX_DIM}) to lay them out`,
        'src',
      );
    }
    return { values: w.values, shape };
  }
}
