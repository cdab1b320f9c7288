/**
 * AWQ on jax-js, one layer (the algorithm of reference.ts): the α grid's output errors
 * ‖X(W − Q(W·s)/s)ᵀ‖² in one compiled function with s as a runtime operand, read back together;
 * the best α quantized once more for its codes. Q is the engine's own round-to-nearest
 * (fakeQuantizeTraced, minmax, half-even), so α = 0 is exactly the element's RTN.
 *
 * Ownership (jax-js): every op and jit call consumes its array arguments; `.ref` keeps one.
 */
import { jit, numpy as np, type Array, type Device, type OwnedFunction } from '@jax-js/jax';
import { blocksFor } from '../blocks.js';
import { resolveConfig, type QuantConfig } from '../config.js';
import { fakeQuantizeTraced, quantizeTraced } from '../quantize.js';
import { upload } from '../upload.js';
import type { AwqLayerResult } from './reference.js';
import { AWQ_ALPHAS, awqScales, type LayerQuant } from './setup.js';

/** The element's RTN config for a layer quantizer. */
export function rtnConfig(q: LayerQuant): QuantConfig {
  return resolveConfig({ ...q, calibration: 'minmax', rounding: 'half-even', format: 'int' });
}

/** AWQ of one [out, cols] layer on calibration inputs `x` ([n, cols] on `device`, borrowed). */
export async function awqLayer(
  device: Device,
  weight: Float32Array,
  shape: [number, number],
  x: Array,
  q: LayerQuant,
  onAlpha: (done: number) => void = () => {},
): Promise<AwqLayerResult> {
  const [, cols] = shape;
  const config = rtnConfig(q);
  const blocks = blocksFor(shape, config);
  const mean = (await np.abs(x.ref).mean(0).data()) as Float32Array;
  const loss = jit((w: Array, xs: Array, s: Array) => {
    const [dq, lo, hi] = fakeQuantizeTraced(
      w.ref.mul(s.ref).reshape([w.size]),
      null,
      null,
      config,
      blocks,
      false,
    );
    lo.dispose();
    hi.dispose();
    const d = w.sub(dq.reshape(shape).div(s));
    return np.square(np.matmul(xs, d.transpose())).sum();
  }) as OwnedFunction<(w: Array, xs: Array, s: Array) => Array>;
  const w = upload(weight, shape, device);
  try {
    const scales = AWQ_ALPHAS.map((a) => awqScales(mean, a));
    const pending = scales.map((s, k) => {
      const out = loss(w.ref, x.ref, upload(s, [1, cols], device));
      onAlpha(k + 1);
      return out;
    });
    const losses = Float64Array.from(
      await Promise.all(pending.map(async (p) => ((await p.data()) as Float32Array)[0])),
    );
    let best = 0;
    for (let k = 1; k < losses.length; k++) if (losses[k] < losses[best]) best = k;
    const s = scales[best];
    const [codes, dq, scale, zero, sums] = quantizeTraced(
      w.ref.mul(upload(s, [1, cols], device)).reshape([weight.length]),
      null,
      null,
      config,
      blocks,
      false,
    );
    zero.dispose();
    sums.dispose();
    const [c, v, sc] = (await Promise.all([codes.data(), dq.data(), scale.data()])) as [
      Int32Array,
      Float32Array,
      Float32Array,
    ];
    const dequantized = Float32Array.from(v, (value, i) => Math.fround(value / s[i % cols]));
    return { dequantized, codes: c, scales: sc, alpha: AWQ_ALPHAS[best], s, losses };
  } finally {
    w.dispose();
    loss.dispose();
  }
}
