/**
 * The article's figures about generated weights, computed with the core API (quantizeArray on the
 * weights the elements generate), and the worked matmul's.
 */
import {
  codeRange,
  generateWeights,
  quantizeArray,
  type QuantConfig,
  type QuantResult,
} from '../src/index.js';
import type { FigureConfig } from './claims-syntax.js';
import { QUANT_KEYS, once, shapeOf, type Figure } from './figure-kit.js';
import { matmulExample, maxDeviation } from './matmul-example.js';

interface Quantized {
  x: Float32Array;
  r: QuantResult;
}

/** Weights as the elements generate them (SPEC §2.1 `distribution`, `std`, `seed`), quantized. */
function quantized(c: FigureConfig): Promise<Quantized> {
  const shape = shapeOf(c);
  const quant = Object.fromEntries(
    QUANT_KEYS.filter((k) => k in c).map((k) => [k, c[k]]),
  ) as Partial<QuantConfig>;
  const weights = {
    distribution: (c.distribution as string) ?? 'normal',
    std: (c.std as number) ?? 0.5,
    seed: (c.seed as number) ?? 95,
  };
  const key = JSON.stringify(['q', shape, weights, quant]);
  return once(key, async () => {
    const x = await once(JSON.stringify(['w', shape, weights]), () =>
      generateWeights(weights.distribution as 'normal', shape[0] * shape[1], weights),
    );
    return { x, r: await quantizeArray(x, shape, quant) };
  });
}

/** Share of |x − x̂| below, between and above the two thresholds (the heatmap's bands). */
function bandShare(c: FigureConfig, band: 0 | 1 | 2): Promise<number> {
  const [low, high] = (c.thresholds as [number, number] | undefined) ?? [0.001, 0.01];
  return quantized(c).then(({ x, r }) => {
    let n = 0;
    for (let i = 0; i < x.length; i++) {
      const e = Math.abs(x[i] - r.dequantized[i]);
      if ((e < low ? 0 : e > high ? 2 : 1) === band) n++;
    }
    return n / x.length;
  });
}

/** The same figure at the config with `vs` applied: what the sentence compares against. */
function baseline(c: FigureConfig): FigureConfig {
  if (!c.vs) throw new Error('this figure compares two configs: give "vs" in its config');
  return { ...c, ...c.vs, vs: undefined };
}

const stat = (k: keyof QuantResult['stats']) => (c: FigureConfig) => quantized(c).then(({ r }) => r.stats[k]);

/** The worked matmul of the #matmul section at the config's `seed` and `bits`. */
const matmul = (c: FigureConfig) => matmulExample((c.seed as number) ?? 95, (c.bits as number) ?? 8);

export const WEIGHT_FIGURES: Record<string, Figure> = {
  /** Mean |x − x̂|. */
  mae: { compute: stat('mae'), format: 'g4' },
  maxAbsError: { compute: stat('maxAbsError'), format: 'g3' },
  /** Signal-to-quantization-noise ratio, dB. */
  sqnr: { compute: stat('sqnrDb'), format: '1' },
  bitsPerWeight: { compute: stat('bitsPerWeight'), format: '2' },
  clippedFraction: { compute: stat('clippedFraction'), format: '%1' },
  /** Bits per weight beyond the codes: scales and zero-points (int). */
  overheadBits: {
    compute: (c) => quantized(c).then(({ r }) => r.stats.bitsPerWeight - r.config.bits),
    format: '2',
  },
  /** 32-bit floats over the quantized weights' bits (scales included): how many times smaller. */
  compression: { compute: (c) => quantized(c).then(({ r }) => 32 / r.stats.bitsPerWeight), format: '2' },
  /** The first block's scale (the step of the int grid). */
  scale: { compute: (c) => quantized(c).then(({ r }) => r.scale[0]), format: 'g3' },
  /** Codes the grid has: qmax − qmin + 1 (int). */
  codes: {
    compute: async (c) => {
      const { qmin, qmax } = codeRange(
        (c.bits as number) ?? 8,
        (c.scheme as QuantConfig['scheme']) ?? 'affine',
      );
      return qmax - qmin + 1;
    },
    format: 'int',
  },
  /** Distinct codes the weights took. */
  codesUsed: { compute: (c) => quantized(c).then(({ r }) => new Set(r.codes).size), format: 'int' },
  /** Weights generated (rows × cols). */
  count: { compute: async (c) => shapeOf(c)[0] * shapeOf(c)[1], format: 'int' },
  /** Generated weight number `index` (row-major). */
  weight: { compute: (c) => quantized(c).then(({ x }) => x[(c.index as number) ?? 0]), format: '4' },
  /** The heatmap's bands: |x − x̂| below thresholds[0], between, above thresholds[1]. */
  blueShare: { compute: (c) => bandShare(c, 0), format: '%1' },
  purpleShare: { compute: (c) => bandShare(c, 1), format: '%1' },
  redShare: { compute: (c) => bandShare(c, 2), format: '%1' },
  /** Largest |x − x̂| / scale among weights inside the clip range (int, per tensor). */
  maxRelInRange: {
    compute: (c) =>
      quantized(c).then(({ x, r }) => {
        if (r.scale.length !== 1 || r.config.format !== 'int')
          throw new Error('maxRelInRange: int per tensor only');
        const s = r.scale[0];
        const [lo, hi] = [s * (r.qmin - r.zeroPoint[0]), s * (r.qmax - r.zeroPoint[0])];
        let max = 0;
        for (let i = 0; i < x.length; i++)
          if (x[i] >= lo && x[i] <= hi) max = Math.max(max, Math.abs(x[i] - r.dequantized[i]) / s);
        return max;
      }),
    format: '3',
  },
  /** SQNR (dB) minus the `vs` config's. */
  sqnrGain: {
    compute: async (c) => (await stat('sqnrDb')(c)) - (await stat('sqnrDb')(baseline(c))),
    format: '1',
  },
  /** Bits per weight minus the `vs` config's. */
  bitsGain: {
    compute: async (c) => (await stat('bitsPerWeight')(c)) - (await stat('bitsPerWeight')(baseline(c))),
    format: '4',
  },
  /** MSE as a share of the `vs` config's: the error left. */
  mseLeft: { compute: async (c) => (await stat('mse')(c)) / (await stat('mse')(baseline(c))), format: '%0' },
  /** Arithmetic: the share of float32's bytes the codes alone save (1 − bits / 32). */
  codeSaving: { compute: async (c) => 1 - ((c.bits as number) ?? 8) / 32, format: '%0' },
  /** The share of float32's bytes the quantized weights save, scales and zero-points included. */
  memorySaved: {
    compute: (c) => quantized(c).then(({ r }) => 1 - r.stats.bitsPerWeight / 32),
    format: '%3',
  },
  /** Arithmetic: the largest K whose Σ of K products of two b-bit codes fits in int32. */
  maxK: {
    compute: async (c) => Math.floor((2 ** 31 - 1) / (2 ** ((c.bits as number) ?? 8) - 1) ** 2),
    format: 'int',
  },
  /** The worked matmul: max |the int32 path, rescaled − the float matmul of the dequantized operands|. */
  matmulDeviation: { compute: (c) => matmul(c).then(maxDeviation), format: 'g2' },
  /** …and max |the core's output − the four terms, summed and rescaled here| (0: the same numbers). */
  matmulTermsGap: {
    compute: (c) =>
      matmul(c).then((e) => e.rescaled.reduce((m, v, i) => Math.max(m, Math.abs(v - e.result.output[i])), 0)),
    format: 'g2',
  },
  matmulZa: { compute: (c) => matmul(c).then((e) => e.result.a.zeroPoint[0]), format: 'int' },
  matmulZw: { compute: (c) => matmul(c).then((e) => e.result.b.zeroPoint[0]), format: 'int' },
  /** Largest |Σ qa·qw| of the worked example: term ①, what the int32 accumulator holds first. */
  matmulProductsMax: {
    compute: (c) => matmul(c).then((e) => e.products.reduce((m, v) => Math.max(m, Math.abs(v)), 0)),
    format: 'int',
  },
  /** Largest |C| of the worked example, the zero-point-corrected sum (① − ② − ③ + ④). */
  matmulAccMax: {
    compute: (c) => matmul(c).then((e) => e.acc.reduce((m, v) => Math.max(m, Math.abs(v)), 0)),
    format: 'int',
  },
};
