/**
 * Quantized matmul with zero-point correction: the integer path a quantized
 * kernel runs. With A ≈ sa·(qa − za) and B ≈ sb·(qb − zb),
 *   A·B ≈ sa·sb·(Σ qa·qb − zb·Σ_k qa − za·Σ_k qb + K·za·zb),
 * accumulated in int32; checked against the float matmul of the dequantized operands.
 */
import { numpy as np } from '@jax-js/jax';
import { resolveConfig, type DeviceChoice, type QuantConfig } from './config.js';
import { QuantError } from './errors.js';
import type { QuantResult } from './result.js';
import { QuantSession } from './session.js';
import { resolveDevice } from './runtime.js';

export interface MatmulResult {
  /** The integer path's output, rescaled to float, [M, N] row-major. */
  output: Float32Array;
  /** Float matmul of the dequantized operands: what the integer path must reproduce. */
  expected: Float32Array;
  /** max |output − expected|. */
  maxAbsError: number;
  a: QuantResult;
  b: QuantResult;
  device: string;
}

async function quantizeOperand(
  session: QuantSession,
  data: ArrayLike<number>,
  shape: [number, number],
  config: QuantConfig,
): Promise<QuantResult> {
  session.setData(data, shape);
  return session.quantize(config);
}

export async function quantizedMatmul(
  a: ArrayLike<number>,
  aShape: [number, number],
  b: ArrayLike<number>,
  bShape: [number, number],
  config: Partial<QuantConfig> = {},
  options: { device?: DeviceChoice } = {},
): Promise<MatmulResult> {
  const resolved = resolveConfig({ ...config, granularity: 'tensor' });
  if (resolved.format !== 'int') {
    // The int32 accumulation with zero-point correction is the integer path (SPEC §3).
    throw new QuantError(
      'invalid-config',
      `format = "${resolved.format}": the quantized matmul takes int only`,
    );
  }
  const [m, k] = aShape;
  const [k2, n] = bShape;
  if (k !== k2)
    throw new QuantError(
      'invalid-shape',
      `inner dimensions differ: ${aShape.join('×')} · ${bShape.join('×')}`,
    );
  const widest = Math.max(2 ** resolved.bits - 1, 0);
  if (k * widest * widest >= 2 ** 31) {
    throw new QuantError(
      'invalid-config',
      `${resolved.bits}-bit codes with K = ${k} can overflow int32 accumulation`,
    );
  }
  const device = await resolveDevice(options.device);
  const session = new QuantSession(device);
  try {
    const qa = await quantizeOperand(session, a, aShape, resolved);
    const qb = await quantizeOperand(session, b, bShape, resolved);
    const [sa, za, sb, zb] = [qa.scale[0], qa.zeroPoint[0], qb.scale[0], qb.zeroPoint[0]];
    const A = np.array(qa.codes, { shape: [m, k], device });
    const B = np.array(qb.codes, { shape: [k, n], device });
    // int32 throughout: Σ qa·qb, the row sums of A and the column sums of B.
    const acc = np
      .matmul(A.ref, B.ref)
      .sub(A.sum(1, { keepdims: true }).mul(zb))
      .sub(B.sum(0, { keepdims: true }).mul(za))
      .add(k * za * zb);
    const output = acc.astype(np.float32).mul(Math.fround(sa * sb));
    const deqA = np.array(qa.dequantized, { shape: [m, k], device });
    const deqB = np.array(qb.dequantized, { shape: [k, n], device });
    const [out, expected] = (await Promise.all([
      output.data(),
      np.matmul(deqA, deqB).data(),
    ])) as Float32Array[];
    let maxAbsError = 0;
    for (let i = 0; i < out.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(out[i] - expected[i]));
    return { output: out, expected, maxAbsError, a: qa, b: qb, device };
  } finally {
    session.dispose();
  }
}
