/**
 * The article's figures, each computed by the kit at the config its markup gives (demo/article.ts
 * reads the markup): the core API for everything about quantizing generated weights, and a
 * widget's `result` (an element the reader never sees, so no slider moves it) for the trained
 * models, QAT and the arena. Each computation is memoized per config: a sentence's figures and
 * its claim share one quantization.
 */
import {
  codeRange,
  generateWeights,
  quantizeArray,
  type QuantConfig,
  type QuantResult,
} from '../src/index.js';
import type {
  ArenaResult,
  InferenceResult,
  OutliersElementResult,
  QuantArena,
  QuantInference,
  QuantOutliers,
} from '../src/index.js';
import { createMlpSession } from '../src/core/inference/index.js';
import { loadModel } from '../src/models/load.js';
import { MODEL_FILES } from '../src/model-files.generated.js';
import type { FigureConfig } from './claims-syntax.js';
import { matmulExample, maxDeviation } from './matmul-example.js';

/** The QuantConfig fields a figure's config may set (the rest describe the weights or the view). */
const QUANT_KEYS = [
  'bits',
  'scheme',
  'granularity',
  'groupSize',
  'rounding',
  'calibration',
  'percentile',
  'seed',
  'format',
] as const;

interface Quantized {
  x: Float32Array;
  r: QuantResult;
}

const memo = new Map<string, Promise<unknown>>();
function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = make();
    memo.set(key, p);
    // A failure is not remembered: the next look computes again.
    p.catch(() => memo.delete(key));
  }
  return p;
}

function shapeOf(c: FigureConfig): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(String(c.shape));
  if (!m) throw new Error(`a figure's config needs "shape": "ROWSxCOLS" (got ${JSON.stringify(c.shape)})`);
  return [Number(m[1]), Number(m[2])];
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

// ---- widgets the reader does not see -----------------------------------------------------------

/** The element's attribute for a config key (`groupSize` → `group-size`). */
const attr = (k: string) => k.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);

/** An invisible widget at the config: created, used, removed. */
async function withWidget<E extends HTMLElement, T>(
  tag: string,
  c: FigureConfig,
  use: (el: E) => Promise<T>,
): Promise<T> {
  await customElements.whenDefined(tag);
  const el = document.createElement(tag) as E;
  for (const [k, v] of Object.entries(c))
    if (k !== 'vs' && v !== undefined) el.setAttribute(attr(k), String(v));
  el.setAttribute('loading', 'eager');
  el.hidden = true;
  el.setAttribute('aria-hidden', 'true');
  document.body.append(el);
  try {
    return await use(el);
  } finally {
    el.remove();
  }
}

/** The first result of a quantizing widget (or its error). */
const firstResult = <R>(el: HTMLElement & { result: R | null }): Promise<R> =>
  new Promise((resolve, reject) => {
    const done = () => (el.result ? resolve(el.result) : undefined);
    el.addEventListener('quant-result', done);
    el.addEventListener('quant-error', (e) =>
      reject(new Error((e as CustomEvent<{ message: string }>).detail.message)),
    );
    done();
  });

/** Only the keys an inference widget takes (the weight keys of a shared sentence config are dropped). */
const INFERENCE_KEYS = [
  ...QUANT_KEYS,
  'model',
  'layers',
  'activations',
  'qatSteps',
  'qatLr',
  'method',
  'calibrationSamples',
];
const inferenceConfig = (c: FigureConfig) =>
  Object.fromEntries(Object.entries(c).filter(([k]) => INFERENCE_KEYS.includes(k)));

function inference(c: FigureConfig): Promise<InferenceResult> {
  const ic = inferenceConfig(c);
  return once(JSON.stringify(['inference', ic]), () =>
    withWidget<QuantInference, InferenceResult>('quant-inference', ic, (el) => firstResult(el)),
  );
}

function qat(c: FigureConfig): Promise<InferenceResult> {
  const ic = inferenceConfig(c);
  return once(JSON.stringify(['qat', ic]), () =>
    withWidget<QuantInference, InferenceResult>('quant-inference', ic, (el) => el.trainQat()),
  );
}

/**
 * Per held-out input, max over classes of |p_float − p_quant| (softmax outputs): the seed's
 * "output difference". The widget reports logits and KL, not this, so the page runs the model
 * itself through the core's MLP session, quantized as quant-inference quantizes it.
 */
function probDiffs(c: FigureConfig): Promise<Float64Array> {
  const ic = inferenceConfig(c);
  return once(JSON.stringify(['probDiff', ic]), async () => {
    const model = await loadModel((ic.model as 'digits') ?? 'digits', MODEL_FILES);
    const session = await createMlpSession('auto', model.layers);
    try {
      session.setInputs(model.inputs, model.labels.length);
      const quant = Object.fromEntries(
        QUANT_KEYS.filter((k) => k in ic).map((k) => [k, ic[k]]),
      ) as Partial<QuantConfig>;
      const layers = ic.layers
        ? String(ic.layers).split(/\s+/).map(Number)
        : model.layers.map(() => quant.bits ?? 8);
      const float = await session.logits(null);
      const q = await session.logits(await session.quantize(layers.map((bits) => ({ ...quant, bits }))));
      return softmaxDiffs(float, q, session.classes);
    } finally {
      session.dispose();
    }
  });
}

/** Per row, max over classes of |softmax(a) − softmax(b)| ([n, classes] row-major). */
function softmaxDiffs(a: Float32Array, b: Float32Array, classes: number): Float64Array {
  const softmax = (x: Float32Array, i: number) => {
    const row = Array.from(x.subarray(i * classes, (i + 1) * classes));
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const sum = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / sum);
  };
  return Float64Array.from({ length: a.length / classes }, (_, i) => {
    const [pa, pb] = [softmax(a, i), softmax(b, i)];
    return Math.max(...pa.map((v, k) => Math.abs(v - pb[k])));
  });
}

/** Only the keys an outliers widget takes. */
const OUTLIER_KEYS = [
  'bits',
  'weightBits',
  'activationBits',
  'alpha',
  'threshold',
  'tokens',
  'channels',
  'outlierChannels',
  'outlierScale',
  'seed',
];
function outliers(c: FigureConfig): Promise<OutliersElementResult> {
  const oc = Object.fromEntries(Object.entries(c).filter(([k]) => OUTLIER_KEYS.includes(k)));
  return once(JSON.stringify(['outliers', oc]), () =>
    withWidget<QuantOutliers, OutliersElementResult>('quant-outliers', oc, (el) => firstResult(el)),
  );
}

/** One method's entry in an outliers result (`method` in the config). */
function outlierMethod(r: OutliersElementResult, method: unknown) {
  const m = r.methods.find((u) => u.method === method);
  if (!m) throw new Error(`quant-outliers has no method "${String(method)}"`);
  return m;
}

/** The worked matmul of the #matmul section at the config's `seed` and `bits`. */
const matmul = (c: FigureConfig) => matmulExample((c.seed as number) ?? 95, (c.bits as number) ?? 8);

const ARENA_KEYS = ['size', 'iterations', 'mode', 'devices', 'paths'];
function arena(c: FigureConfig): Promise<ArenaResult> {
  const ac = Object.fromEntries(Object.entries(c).filter(([k]) => ARENA_KEYS.includes(k)));
  return once(JSON.stringify(['arena', ac]), () =>
    withWidget<QuantArena, ArenaResult>('quant-arena', ac, async (el) => {
      await new Promise((r) => setTimeout(r, 0));
      return el.run();
    }),
  );
}

/** The timing of `path` on `on` (`matmul` or `matvec`) in an arena run. */
function timing(r: ArenaResult, path: unknown, mode: unknown): ArenaResult['runs'][number] {
  const run = r.runs.find(
    (u) => u.path === path && (mode === 'matvec' ? u.shape[2] === 1 : u.shape[2] !== 1),
  );
  if (!run) throw new Error(`the arena did not time ${String(path)} (${String(mode)})`);
  return run;
}
const median = (r: ArenaResult, path: unknown, mode: unknown) => timing(r, path, mode).medianMs;

/**
 * 2 when `under` is measurably faster than `over` (its p75 below their p25), 0 when slower,
 * 1 when the p25–p75 ranges overlap: what the arena's own headline rests on.
 */
function verdict(r: ArenaResult, c: FigureConfig): number {
  const [a, b] = [timing(r, c.over, c.on), timing(r, c.under, c.on)];
  return b.p75Ms < a.p25Ms ? 2 : a.p75Ms < b.p25Ms ? 0 : 1;
}

// ---- the registry --------------------------------------------------------------------------------

export interface Figure {
  compute(c: FigureConfig): Promise<number>;
  /** How it is shown unless `data-format` says otherwise (claims-syntax.ts formatFigure). */
  format: string;
  /** Costs seconds: computed only when the reader presses the sentence's Measure button. */
  costly?: boolean;
}

export const FIGURES: Record<string, Figure> = {
  /** Mean |x − x̂|. */
  mae: { compute: stat('mae'), format: 'g4' },
  mse: { compute: stat('mse'), format: 'g3' },
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
  /** A trained model on its held-out set (quant-inference's result). */
  accuracyFloat: { compute: (c) => inference(c).then((r) => r.accuracyFloat), format: '%1' },
  accuracyQuant: { compute: (c) => inference(c).then((r) => r.accuracyQuant), format: '%1' },
  /** Float accuracy minus quantized accuracy. */
  accuracyDrop: { compute: (c) => inference(c).then((r) => r.accuracyFloat - r.accuracyQuant), format: '%1' },
  agreement: { compute: (c) => inference(c).then((r) => r.agreement), format: '%1' },
  flipped: { compute: (c) => inference(c).then((r) => r.flipped), format: 'int' },
  /** Held-out examples the model is scored on. */
  heldOut: { compute: (c) => inference(c).then((r) => r.heldOut), format: 'int' },
  /** Model bytes: float32, and quantized (codes packed, scales and float biases included). */
  bytesFloat: { compute: (c) => inference(c).then((r) => r.bytesFloat), format: 'int' },
  bytesQuant: { compute: (c) => inference(c).then((r) => r.bytesQuant), format: 'int' },
  /** Held-out accuracy with only layer `index` quantized. */
  sensitivity: {
    compute: (c) => inference(c).then((r) => r.sensitivity[(c.index as number) ?? 0]),
    format: '%1',
  },
  /** Float accuracy minus the accuracy with only layer `index` quantized. */
  sensitivityDrop: {
    compute: (c) => inference(c).then((r) => r.accuracyFloat - r.sensitivity[(c.index as number) ?? 0]),
    format: '%1',
  },
  maxLogitDiff: { compute: (c) => inference(c).then((r) => r.maxLogitDiff), format: 'g3' },
  meanKl: { compute: (c) => inference(c).then((r) => r.meanKl), format: 'g2' },
  /** Largest change of any output probability (softmax) over the held-out set. */
  maxProbDiff: { compute: (c) => probDiffs(c).then((d) => Math.max(...d)), format: 'g2' },
  /** Share of held-out inputs whose probabilities all move less than `limit` (default 0.01). */
  probDiffShare: {
    compute: (c) =>
      probDiffs(c).then((d) => d.filter((v) => v < ((c.limit as number) ?? 0.01)).length / d.length),
    format: '%1',
  },
  /** Float model bytes over quantized model bytes. */
  modelCompression: { compute: (c) => inference(c).then((r) => r.bytesFloat / r.bytesQuant), format: '1' },
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
  /** Largest |C| of the worked example's accumulator. */
  matmulAccMax: {
    compute: (c) => matmul(c).then((e) => e.acc.reduce((m, v) => Math.max(m, Math.abs(v)), 0)),
    format: 'int',
  },
  /** quant-outliers: the output SQNR (dB) of `method` at its config. */
  outlierSqnr: { compute: (c) => outliers(c).then((r) => outlierMethod(r, c.method).sqnrDb), format: '1' },
  /** …that SQNR minus naive per-tensor's. */
  outlierGain: {
    compute: (c) =>
      outliers(c).then((r) => outlierMethod(r, c.method).sqnrDb - outlierMethod(r, 'naive').sqnrDb),
    format: '1',
  },
  outlierBits: {
    compute: (c) => outliers(c).then((r) => outlierMethod(r, c.method).bitsPerValue),
    format: '2',
  },
  /** LLM.int8(): the share of values kept in float16. */
  floatShare: {
    compute: (c) => outliers(c).then((r) => outlierMethod(r, 'llm-int8').floatShare ?? 0),
    format: '%1',
  },
  outlierChannelCount: {
    compute: (c) => outliers(c).then((r) => r.stats.outlierChannels.length),
    format: 'int',
  },
  channelCount: { compute: (c) => outliers(c).then((r) => r.shape[1]), format: 'int' },
  kurtosisBefore: { compute: (c) => outliers(c).then((r) => r.stats.kurtosisBefore ?? NaN), format: 'g3' },
  kurtosisAfter: {
    compute: (c) => outliers(c).then((r) => r.stats.kurtosisAfterRotation ?? NaN),
    format: 'g3',
  },
  /** Held-out accuracy after quantization-aware training at the config (trainQat()). */
  qatAccuracy: { compute: (c) => qat(c).then((r) => r.qat!.accuracy), format: '%1', costly: true },
  /** Mean KL(float ‖ quantized) after quantization-aware training at the config. */
  qatKl: { compute: (c) => qat(c).then((r) => r.meanKl), format: 'g2', costly: true },
  /** accuracyQuant and meanKl for a `method` that calibrates (GPTQ, AWQ: seconds each), on Measure. */
  methodAccuracy: { compute: (c) => inference(c).then((r) => r.accuracyQuant), format: '%1', costly: true },
  methodKl: { compute: (c) => inference(c).then((r) => r.meanKl), format: 'g2', costly: true },
  /** Arena: median time of path `over` / that of path `under`, on `on` (matmul or matvec). */
  arenaSpeedup: {
    compute: (c) => arena(c).then((r) => median(r, c.over, c.on) / median(r, c.under, c.on)),
    format: '2',
    costly: true,
  },
  /** Arena: whether `under` was measurably faster than `over` on `on` (verdict(); data-format pick:). */
  arenaVerdict: { compute: (c) => arena(c).then((r) => verdict(r, c)), format: 'int', costly: true },
  /** Arena: median ms of `path` on `on`. */
  arenaMs: { compute: (c) => arena(c).then((r) => median(r, c.path, c.on)), format: 'g3', costly: true },
};
