/**
 * GPTQ or AWQ over the whole MLP on jax-js (what the worker runs): the calibration inputs go to
 * the device once; each layer's inputs are computed there from the previous layer. GPTQ is
 * sequential: layer i calibrates on what the quantized layers before it produce (what it will be
 * fed at inference). AWQ calibrates each layer on the float model's inputs (its folding leaves
 * the float model unchanged, fold.ts). Weights only: activations are not quantized here.
 */
import { numpy as np, type Array, type Device } from '@jax-js/jax';
import type { MlpLayer } from '../inference/mlp.js';
import { upload } from '../upload.js';
import { awqLayer } from './awq.js';
import { gptqLayer } from './gptq.js';
import type { Method } from './reference.js';
import { AWQ_ALPHAS, type LayerQuant } from './setup.js';

export interface CalibrationProgress {
  /** Columns (GPTQ) or α values (AWQ) done, over all layers. */
  done: number;
  total: number;
  layer: number;
}

export interface CalibrateOptions {
  layers: readonly MlpLayer[];
  /** Calibration inputs, [n, in] row-major (training images, never the held-out ones). */
  inputs: Float32Array;
  n: number;
  method: Method;
  /** The quantizer; `bits` per layer from `layerBits`. */
  quant: Omit<LayerQuant, 'bits'>;
  layerBits: readonly number[];
  device: Device;
  onProgress?: (p: CalibrationProgress) => void;
}

/** One calibrated layer: its quantized weights as the float model sees them ([out, in]), and how long it took. */
export interface CalibratedLayer {
  weight: Float32Array;
  codes: Int32Array;
  /** Scales (blocks) of the layer: for the byte count. */
  scales: number;
  /** AWQ: the α chosen. */
  alpha?: number;
  ms: number;
}

export async function calibrate(o: CalibrateOptions): Promise<CalibratedLayer[]> {
  const { layers, n, method, device } = o;
  const total = layers.reduce((t, l) => t + (method === 'gptq' ? l.shape[1] : AWQ_ALPHAS.length), 0);
  let before = 0;
  // One compiled GPTQ block step for every layer: rows padded to the widest.
  const rows = Math.max(...layers.map((l) => l.shape[0]));
  let x: Array = upload(o.inputs, [n, layers[0].shape[1]], device);
  const out: CalibratedLayer[] = [];
  try {
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i];
      const q = { ...o.quant, bits: o.layerBits[i] };
      const report = (done: number) => o.onProgress?.({ done: before + done, total, layer: i });
      const t0 = performance.now();
      const r =
        method === 'gptq'
          ? await gptqLayer(device, l.weight, l.shape, x, n, q, report, rows)
          : await awqLayer(device, l.weight, l.shape, x, q, report);
      const alpha = 'alpha' in r ? (r.alpha as number) : undefined;
      before += method === 'gptq' ? l.shape[1] : AWQ_ALPHAS.length;
      if (i < layers.length - 1) {
        const w = upload(method === 'gptq' ? r.dequantized : l.weight, l.shape, device);
        const b = upload(l.bias, [l.shape[0]], device);
        const next = np.maximum(np.matmul(x, w.transpose()).add(b), 0);
        x = next;
      }
      out.push({
        weight: r.dequantized,
        codes: r.codes,
        scales: r.scales.length,
        alpha,
        ms: performance.now() - t0,
      });
    }
    return out;
  } finally {
    x.dispose();
  }
}
