/** What every path runner prepares: operands resident, one run callable many times, then disposed. */
import type { RunFn } from './timing.js';

export interface PreparedPath {
  /** One run: compute C and read it back as float32 (m×n row-major). */
  run: RunFn;
  /** Operand bytes the run reads, as the path holds them. */
  bytes: number;
  /** How the path computes, when it is not plain float32. */
  note?: string;
  /** Frees everything prepare made (device buffers, jit functions, kernel memory). */
  dispose(): void;
}

/** A path that cannot run here (device or feature missing): the reason goes to `skipped`. */
export class SkipPath extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipPath';
  }
}
