/**
 * A widget's jax-js session: owns its weights on the device and the cached
 * rounding noise; everything it creates is released by dispose().
 */
import type { Array, Device } from '@jax-js/jax';
import { blocksFor, resolveConfig, type QuantConfig } from './config.js';
import { toFloat32 } from './data.js';
import { QuantError } from './errors.js';
import { quantizeBlocks } from './quantize.js';
import type { QuantResult } from './result.js';
import { upload } from './upload.js';
import { roundingNoise } from './weights.js';

export class QuantSession {
  readonly device: Device;
  #x: Array | null = null;
  #shape: number[] = [];
  #noise: { seed: number; values: Array } | null = null;
  #disposed = false;

  constructor(device: Device) {
    this.device = device;
  }

  get shape(): readonly number[] {
    return this.#shape;
  }

  /** Replaces the weights (validated, copied to the device). */
  setData(data: ArrayLike<number>, shape: readonly number[]): void {
    this.#check();
    const x = toFloat32(data, shape);
    this.#x?.dispose();
    this.#x = upload(x, [x.length], this.device);
    this.#shape = [...shape];
    this.#dropNoise();
  }

  async quantize(partial: Partial<QuantConfig> = {}): Promise<QuantResult> {
    this.#check();
    if (!this.#x) throw new QuantError('invalid-data', 'no data: call setData first');
    const config = resolveConfig(partial);
    const { groups, length } = blocksFor(this.#shape, config);
    // Take our references synchronously: a setData() during the await cannot free them.
    const x = this.#x.ref.reshape([groups, length]);
    let noise: Array | null = null;
    try {
      if (config.rounding === 'stochastic')
        noise = (await this.#noiseFor(config.seed)).reshape([groups, length]);
    } catch (e) {
      x.dispose();
      throw e;
    }
    return quantizeBlocks(x, config, noise, this.device);
  }

  /** Returns a new reference to the noise of `seed` (cached while seed and data stay). */
  async #noiseFor(seed: number): Promise<Array> {
    if (this.#noise?.seed === seed) return this.#noise.values.ref;
    let values = roundingNoise(seed, this.#x!.size);
    if (values.device !== this.device)
      values = upload((await values.data()) as Float32Array, [values.size], this.device);
    this.#dropNoise();
    this.#noise = { seed, values };
    return values.ref;
  }

  #dropNoise(): void {
    this.#noise?.values.dispose();
    this.#noise = null;
  }

  #check(): void {
    if (this.#disposed) throw new QuantError('runtime', 'session is disposed');
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#x?.dispose();
    this.#x = null;
    this.#dropNoise();
  }
}
