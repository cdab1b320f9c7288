/**
 * The article's figures from a widget's `result` (an element the reader never sees, so no slider
 * moves it): the trained models, QAT, GPTQ/AWQ, the outliers layer and the arena.
 */
import type {
  ArenaResult,
  InferenceResult,
  OutliersElementResult,
  QuantArena,
  QuantConfig,
  QuantInference,
  QuantOutliers,
} from '../src/index.js';
import { createMlpSession } from '../src/core/inference/index.js';
import { loadModel } from '../src/models/load.js';
import { MODEL_FILES } from '../src/model-files.generated.js';
import type { FigureConfig } from './claims-syntax.js';
import { QUANT_KEYS, once, type Figure } from './figure-kit.js';

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

const ARENA_KEYS = ['size', 'iterations', 'mode', 'devices', 'paths'];

/** An arena's setting as the config writes it (a list as space-separated names). */
const arenaSetting = (el: QuantArena, key: string) => {
  const v = (el as unknown as Record<string, unknown>)[key];
  return Array.isArray(v) ? v.join(' ') : String(v);
};

/**
 * The reader's own arena for a sentence: a visible `<quant-arena>` that runs what the config
 * names (its size, iterations, mode and devices, and the paths `over` and `under`), so the text
 * and the widget under it show one run, not two that may disagree.
 */
function visibleArena(c: FigureConfig): QuantArena | undefined {
  return [...document.querySelectorAll<QuantArena>('quant-arena')].find(
    (el) =>
      !el.hidden &&
      ARENA_KEYS.every((k) => !(k in c) || arenaSetting(el, k) === String(c[k])) &&
      [c.over, c.under].every((p) => el.paths.includes(p as QuantArena['paths'][number])),
  );
}

function arena(c: FigureConfig): Promise<ArenaResult> {
  const ac = Object.fromEntries(Object.entries(c).filter(([k]) => ARENA_KEYS.includes(k)));
  const own = visibleArena(c);
  // The reader's arena: the run it shows now (not remembered: a new run of the reader's is what
  // the text then reads), the one in flight, or one started now.
  if (own) {
    if (own.result) return Promise.resolve(own.result);
    const running = own.shadowRoot?.querySelector('[aria-busy="true"]');
    return once(JSON.stringify(['visible-arena', ac]), () =>
      running
        ? new Promise<ArenaResult>((resolve) =>
            own.addEventListener('quant-result', () => resolve(own.result!), { once: true }),
          )
        : own.run(),
    );
  }
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

export const WIDGET_FIGURES: Record<string, Figure> = {
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
};
