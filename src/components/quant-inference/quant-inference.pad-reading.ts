/**
 * What both models read in the pad's drawing: their class probabilities, computed as the digit is
 * drawn and again after each result, one classification at a time (the latest drawing wins), and
 * the sentence a screen reader hears once per stroke. The host re-renders when they change.
 */
import type { ReactiveElement } from 'lit';
import type { MlpSession } from '../../core/inference/index.js';
import { softmaxRow } from './quant-inference.model.js';
import type { Run } from './quant-inference.run.js';
import { padReading } from './quant-inference.views.js';

export type PadProbabilities = { float: number[]; quant: number[] };

/** The models a reading runs: the trained float model and the shown result's quantized weights. */
export interface PadModels {
  float: MlpSession;
  run: Run;
  classes: readonly string[];
  /** Whether they are still the shown ones (a failure of replaced ones is not an error). */
  current(): boolean;
}

export class PadReadingController {
  readonly #host: ReactiveElement;
  readonly #models: () => PadModels | null;
  readonly #onError: (e: unknown) => void;
  #input: Float32Array | null = null;
  #probs: PadProbabilities | null = null;
  #announcement = '';
  /** A classification is running; `#again`: the drawing or the weights changed meanwhile. */
  #busy = false;
  #again = false;
  /** A stroke ended: announce the reading once its classification is done. */
  #announcePending = false;

  constructor(host: ReactiveElement, models: () => PadModels | null, onError: (e: unknown) => void) {
    this.#host = host;
    this.#models = models;
    this.#onError = onError;
  }

  get probabilities(): PadProbabilities | null {
    return this.#probs;
  }

  get announcement(): string {
    return this.#announcement;
  }

  /** The drawing as network input, or null (cleared). */
  input(x: Float32Array | null): void {
    this.#input = x;
    if (x) void this.refresh();
    else this.#set(null);
  }

  strokeEnded(): void {
    this.#announcePending = true;
    if (!this.#busy) this.#announce();
  }

  /** Classifies the drawing again (a new result: other weights). */
  async refresh(): Promise<void> {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    try {
      do {
        this.#again = false;
        await this.#classify();
      } while (this.#again);
    } finally {
      this.#busy = false;
    }
    this.#announce();
  }

  async #classify(): Promise<void> {
    const x = this.#input;
    const m = this.#models();
    if (!x || !m) return;
    try {
      const f = await m.float.logitsOf(x, 1, null);
      const z = await m.run.session.logitsOf(x, 1, m.run.weights, m.run.activations);
      // Cleared meanwhile: no bars. A newer drawing is classified next; until then these show.
      if (!this.#input) return;
      const n = m.classes.length;
      this.#set({ float: softmaxRow(f, 0, n), quant: softmaxRow(z, 0, n) });
    } catch (e) {
      // A session replaced meanwhile (Reset, another model) is disposed: the next result reclassifies.
      if (m.current()) this.#onError(e);
    }
  }

  #announce(): void {
    const m = this.#models();
    if (!this.#announcePending || !this.#probs || !m) return;
    this.#announcePending = false;
    const [f, q] = padReading(this.#probs, m.classes);
    this.#announcement = `Float reads ${f}, quantized reads ${q}.`;
    this.#host.requestUpdate();
  }

  #set(probs: PadProbabilities | null): void {
    this.#probs = probs;
    this.#host.requestUpdate();
  }
}
