/**
 * The article's prose says only what its numbers show (issue 19, item 3): every `data-claim` of
 * demo/index.html, recomputed here with the core API (and, for the trained models, a widget of
 * the test's own) at the config its markup gives, holds; and the page fills every `data-figure`
 * with the value computed at that config (Measure buttons pressed), leaving no "—".
 */
import { expect } from '@open-wc/testing';
import {
  codeRange,
  generateWeights,
  quantizeArray,
  quantizedMatmul,
  type InferenceResult,
  type QuantConfig,
  type QuantInference,
  type QuantResult,
} from '../src/index.js';
import {
  configOf,
  formatFigure,
  holds,
  parseClaim,
  withNoun,
  type FigureConfig,
} from '../demo/claims-syntax.js';
import { FIGURES } from '../demo/figures.js';
import { CONFIG_KEYS } from '../src/internal/events.js';
import { createMlpSession } from '../src/core/inference/index.js';
import {
  createOutliersSession,
  generateOutlierData,
  type OutlierDataConfig,
} from '../src/core/outliers/index.js';
import { MODEL_FILES } from '../src/model-files.generated.js';
import { loadModel } from '../src/models/load.js';
import { openArticle, type Article } from './helpers/article.js';

// ---- the figures, computed apart from the page's own code (demo/figures.ts) --------------------

const QUANT: readonly string[] = [...CONFIG_KEYS, 'seed'];

async function quantize(c: FigureConfig): Promise<{ x: Float32Array; r: QuantResult }> {
  const [rows, cols] = String(c.shape).split('x').map(Number);
  const x = await generateWeights((c.distribution as 'normal') ?? 'normal', rows * cols, {
    std: (c.std as number) ?? 0.5,
    seed: (c.seed as number) ?? 95,
  });
  const config = Object.fromEntries(
    QUANT.filter((k) => k in c).map((k) => [k, c[k]]),
  ) as Partial<QuantConfig>;
  return { x, r: await quantizeArray(x, [rows, cols], config) };
}

const errorsOf = ({ x, r }: { x: Float32Array; r: QuantResult }) =>
  Array.from(x, (v, i) => Math.abs(v - r.dequantized[i]));

/** The config keys a quant-inference takes (the attribute is the key in kebab case). */
const INFERENCE_KEYS = [
  'model',
  'bits',
  'scheme',
  'granularity',
  'groupSize',
  'rounding',
  'calibration',
  'percentile',
  'format',
  'layers',
  'activations',
  'qatSteps',
  'qatLr',
  'method',
  'calibrationSamples',
];
const kebab = (k: string) => k.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);

/** A quant-inference of the test's own at the config (QAT: after trainQat()), one per config. */
const inferences = new Map<string, Promise<InferenceResult>>();
function inference(c: FigureConfig, qat: boolean): Promise<InferenceResult> {
  const own = Object.fromEntries(INFERENCE_KEYS.filter((k) => k in c).map((k) => [k, c[k]]));
  const key = JSON.stringify([own, qat]);
  if (!inferences.has(key)) inferences.set(key, newInference(own, qat));
  return inferences.get(key)!;
}

async function newInference(c: FigureConfig, qat: boolean): Promise<InferenceResult> {
  const el = document.createElement('quant-inference') as QuantInference;
  for (const [k, v] of Object.entries(c)) el.setAttribute(kebab(k), String(v));
  el.loading = 'eager';
  document.body.append(el);
  try {
    if (qat) return await el.trainQat();
    await new Promise<void>((resolve) => {
      const done = () => el.result && resolve();
      el.addEventListener('quant-result', done);
      done();
    });
    return el.result!;
  } finally {
    el.remove();
  }
}

/** Per held-out input, max |Δp| over classes between the float and the quantized model. */
async function probabilityChanges(c: FigureConfig): Promise<number[]> {
  const model = await loadModel('digits', MODEL_FILES);
  const session = await createMlpSession('auto', model.layers);
  try {
    session.setInputs(model.inputs, model.labels.length);
    const config = Object.fromEntries(
      QUANT.filter((k) => k in c).map((k) => [k, c[k]]),
    ) as Partial<QuantConfig>;
    const widths = c.layers
      ? String(c.layers).split(' ').map(Number)
      : model.layers.map(() => (c.bits as number) ?? 8);
    const float = await session.logits(null);
    const quant = await session.logits(await session.quantize(widths.map((bits) => ({ ...config, bits }))));
    const k = session.classes;
    const probs = (l: Float32Array, i: number) => {
      const row = [...l.slice(i * k, i * k + k)];
      const e = row.map((v) => Math.exp(v - Math.max(...row)));
      return e.map((v) => v / e.reduce((a, b) => a + b));
    };
    return model.labels.length
      ? [...model.labels].map((_, i) => {
          const [pf, pq] = [probs(float, i), probs(quant, i)];
          return Math.max(...pf.map((v, j) => Math.abs(v - pq[j])));
        })
      : [];
  } finally {
    session.dispose();
  }
}

/** The #matmul worked example: A (std 1, seed), W (std 0.5, seed + 1), and C = Σ (qa − za)(qw − zw). */
async function worked(c: FigureConfig) {
  const seed = (c.seed as number) ?? 95;
  const a = await generateWeights('normal', 16, { std: 1, seed });
  const w = await generateWeights('normal', 16, { std: 0.5, seed: (seed + 1) >>> 0 });
  const r = await quantizedMatmul(a, [4, 4], w, [4, 4], { bits: (c.bits as number) ?? 8 });
  const [za, zw] = [r.a.zeroPoint[0], r.b.zeroPoint[0]];
  const acc = Array.from({ length: 16 }, (_, o) => {
    let sum = 0;
    for (let k = 0; k < 4; k++)
      sum += (r.a.codes[Math.floor(o / 4) * 4 + k] - za) * (r.b.codes[k * 4 + (o % 4)] - zw);
    return sum;
  });
  // Term ①: the raw codes' products, before any zero-point correction.
  const products = Array.from({ length: 16 }, (_, o) => {
    let sum = 0;
    for (let k = 0; k < 4; k++) sum += r.a.codes[Math.floor(o / 4) * 4 + k] * r.b.codes[k * 4 + (o % 4)];
    return sum;
  });
  const scale = Math.fround(r.a.scale[0] * r.b.scale[0]);
  return { r, za, zw, acc, products, rescaled: acc.map((v) => Math.fround(Math.fround(v) * scale)) };
}

async function outliersRun(c: FigureConfig) {
  // The markup's config, as the element passes it on (`bits` sets both widths unless one is given).
  const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => k in c).map((k) => [k, c[k]]));
  const data = await generateOutlierData(
    pick(['tokens', 'channels', 'outlierChannels', 'outlierScale', 'seed']) as Partial<OutlierDataConfig>,
  );
  const bits = (c.bits as number) ?? 8;
  const session = await createOutliersSession('auto');
  try {
    const { tokens, channels } = data.config;
    session.setData(data.x, [tokens, channels], data.w, [channels, channels]);
    const r = await session.run({
      weightBits: bits,
      activationBits: bits,
      ...pick(['weightBits', 'activationBits', 'alpha', 'threshold', 'seed']),
    });
    const method = (m: unknown) => r.methods.find((x) => x.method === m)!;
    return { r, m: method(c.method), naive: method('naive'), int8: method('llm-int8') };
  } finally {
    session.dispose();
  }
}

async function measure(name: string, c: FigureConfig): Promise<number> {
  const vs = () => ({ ...c, ...c.vs });
  switch (name) {
    case 'mae':
    case 'mse':
    case 'maxAbsError':
    case 'clippedFraction':
    case 'bitsPerWeight':
      return (await quantize(c)).r.stats[name];
    case 'sqnr':
      return (await quantize(c)).r.stats.sqnrDb;
    case 'overheadBits':
      return (await quantize(c)).r.stats.bitsPerWeight - ((c.bits as number) ?? 8);
    case 'compression':
      return 32 / (await quantize(c)).r.stats.bitsPerWeight;
    case 'scale':
      return (await quantize(c)).r.scale[0];
    case 'codes': {
      const { qmin, qmax } = codeRange((c.bits as number) ?? 8, (c.scheme as 'affine') ?? 'affine');
      return qmax - qmin + 1;
    }
    case 'codesUsed':
      return new Set((await quantize(c)).r.codes).size;
    case 'count':
      return String(c.shape)
        .split('x')
        .map(Number)
        .reduce((a, b) => a * b);
    case 'weight':
      return (await quantize(c)).x[(c.index as number) ?? 0];
    case 'blueShare':
    case 'purpleShare':
    case 'redShare': {
      const [low, high] = (c.thresholds as number[] | undefined) ?? [0.001, 0.01];
      const e = errorsOf(await quantize(c));
      const inBand = { blueShare: (v: number) => v < low, redShare: (v: number) => v > high }[
        name as 'redShare'
      ];
      return e.filter(inBand ?? ((v) => v >= low && v <= high)).length / e.length;
    }
    case 'maxRelInRange': {
      const { x, r } = await quantize(c);
      const s = r.scale[0];
      const [lo, hi] = [s * (r.qmin - r.zeroPoint[0]), s * (r.qmax - r.zeroPoint[0])];
      return Math.max(...errorsOf({ x, r }).filter((_, i) => x[i] >= lo && x[i] <= hi)) / s;
    }
    case 'sqnrGain':
      return (await measure('sqnr', c)) - (await measure('sqnr', vs()));
    case 'bitsGain':
      return (await measure('bitsPerWeight', c)) - (await measure('bitsPerWeight', vs()));
    case 'mseLeft':
      return (await measure('mse', c)) / (await measure('mse', vs()));
    case 'accuracyFloat':
    case 'accuracyQuant':
    case 'agreement':
    case 'flipped':
      return (await inference(c, false))[name];
    case 'accuracyDrop': {
      const r = await inference(c, false);
      return r.accuracyFloat - r.accuracyQuant;
    }
    case 'qatAccuracy':
      return (await inference(c, true)).qat!.accuracy;
    case 'qatKl':
      return (await inference(c, true)).meanKl;
    case 'methodAccuracy':
      return (await inference(c, false)).accuracyQuant;
    case 'methodKl':
      return (await inference(c, false)).meanKl;
    case 'heldOut':
    case 'bytesFloat':
    case 'bytesQuant':
    case 'maxLogitDiff':
    case 'meanKl':
      return (await inference(c, false))[name];
    case 'modelCompression': {
      const r = await inference(c, false);
      return r.bytesFloat / r.bytesQuant;
    }
    case 'sensitivity':
      return (await inference(c, false)).sensitivity[(c.index as number) ?? 0];
    case 'maxProbDiff':
      return Math.max(...(await probabilityChanges(c)));
    case 'probDiffShare': {
      const d = await probabilityChanges(c);
      return d.filter((v) => v < ((c.limit as number) ?? 0.01)).length / d.length;
    }
    case 'codeSaving':
      return 1 - ((c.bits as number) ?? 8) / 32;
    case 'memorySaved':
      return 1 - (await quantize(c)).r.stats.bitsPerWeight / 32;
    case 'maxK': {
      const top = 2 ** ((c.bits as number) ?? 8) - 1;
      let k = 0;
      while ((k + 1) * top * top <= 2 ** 31 - 1) k++;
      return k;
    }
    case 'matmulZa':
      return (await worked(c)).za;
    case 'matmulZw':
      return (await worked(c)).zw;
    case 'matmulAccMax':
      return Math.max(...(await worked(c)).acc.map(Math.abs));
    case 'matmulProductsMax':
      return Math.max(...(await worked(c)).products.map(Math.abs));
    case 'matmulTermsGap': {
      const { r, rescaled } = await worked(c);
      return Math.max(...rescaled.map((v, i) => Math.abs(v - r.output[i])));
    }
    case 'matmulDeviation': {
      const { r, rescaled } = await worked(c);
      return Math.max(...rescaled.map((v, i) => Math.abs(v - r.expected[i])));
    }
    case 'outlierSqnr':
      return (await outliersRun(c)).m.sqnrDb;
    case 'outlierGain': {
      const { m, naive } = await outliersRun(c);
      return m.sqnrDb - naive.sqnrDb;
    }
    case 'outlierBits':
      return (await outliersRun(c)).m.bitsPerValue;
    case 'floatShare':
      return (await outliersRun(c)).int8.floatShare ?? 0;
    case 'outlierChannelCount':
      return (await outliersRun(c)).r.stats.outlierChannels.length;
    case 'channelCount':
      return (await outliersRun(c)).r.shape[1];
    case 'kurtosisBefore':
      return (await outliersRun(c)).r.stats.kurtosisBefore ?? NaN;
    case 'kurtosisAfter':
      return (await outliersRun(c)).r.stats.kurtosisAfterRotation ?? NaN;
  }
  throw new Error(`the test does not know figure "${name}": add it here and to demo/figures.ts`);
}

/** Figures that depend on this machine's speed: filled, but no value to hold them to. */
interface ArenaLike {
  runs: { path: string; shape: number[]; medianMs: number }[];
}
const TIMED = new Set(['arenaSpeedup', 'arenaVerdict']);

const memo = new Map<string, Promise<number>>();
const measured = (name: string, c: FigureConfig) => {
  const key = JSON.stringify([name, c]);
  if (!memo.has(key)) memo.set(key, measure(name, c));
  return memo.get(key)!;
};

const describeEl = (el: Element) => `${el.outerHTML.slice(0, 160)}…`;

describe('the article’s figures and claims', function () {
  this.timeout(300_000);
  let authored: Document;
  before(async () => {
    const html = await (await fetch('/demo/index.html')).text();
    authored = new DOMParser().parseFromString(html, 'text/html');
  });

  it('has claims, and nothing typed where a figure goes (every data-figure reads "—" as written)', () => {
    expect(authored.querySelectorAll('[data-claim]').length).to.be.above(10);
    const typed = [...authored.querySelectorAll('[data-figure]')].filter(
      (e) => e.textContent!.trim() !== '—',
    );
    expect(typed.map(describeEl)).to.deep.equal([]);
    const unknown = [...authored.querySelectorAll<HTMLElement>('[data-figure]')]
      .map((e) => e.dataset.figure!)
      .filter((n) => !FIGURES[n]);
    expect(unknown).to.deep.equal([]);
    // And every figure the page can compute is used (by a figure or a claim): no dead code to keep right.
    const used = new Set([
      ...[...authored.querySelectorAll<HTMLElement>('[data-figure]')].map((e) => e.dataset.figure!),
      ...[...authored.querySelectorAll<HTMLElement>('[data-claim]')].flatMap((e) =>
        parseClaim(e.dataset.claim!).map((p) => p.name),
      ),
    ]);
    expect(Object.keys(FIGURES).filter((n) => !used.has(n))).to.deep.equal([]);
  });

  it('every data-claim holds at its config, recomputed with the core API', async () => {
    const failed: string[] = [];
    for (const el of authored.querySelectorAll<HTMLElement>('[data-claim]')) {
      const config = configOf(el);
      for (const p of parseClaim(el.dataset.claim!)) {
        const x = await measured(p.name, config);
        if (!holds(p, x)) failed.push(`"${p.text}" is false (${p.name} = ${x}) at ${JSON.stringify(config)}`);
      }
    }
    expect(failed).to.deep.equal([]);
  });

  describe('on the page', () => {
    let article: Article | undefined;
    after(() => article?.remove());

    it('fills every figure (Measure pressed) with the value at its config; the page finds every claim true', async () => {
      article = await openArticle(1280);
      const { win, doc } = article;
      const items = () => [...doc.querySelectorAll<HTMLElement>('[data-figure], [data-claim]')];
      const settled = () => items().every((e) => e.dataset.state === 'done' || e.dataset.state === 'failed');
      for (const b of doc.querySelectorAll<HTMLButtonElement>('button[data-measure]')) b.click();
      const deadline = performance.now() + 240_000;
      while (!settled() && performance.now() < deadline) {
        // Scroll to what is left, as a reader would (figures compute when they near the viewport).
        items()
          .find((e) => !e.dataset.state)
          ?.scrollIntoView();
        await new Promise((r) => setTimeout(r, 250));
      }
      win.scrollTo(0, 0);
      const figures = [...doc.querySelectorAll<HTMLElement>('[data-figure]')];
      expect(
        figures.filter((e) => e.textContent!.trim() === '—' || e.dataset.state !== 'done').map(describeEl),
        'figures not filled',
      ).to.deep.equal([]);
      expect(
        items()
          .filter((e) => e.dataset.claim && e.dataset.claimState !== 'holds')
          .map(describeEl),
        'claims the page does not find true',
      ).to.deep.equal([]);
      const wrong: string[] = [];
      for (const el of figures) {
        const name = el.dataset.figure!;
        const shown = Number(el.dataset.value);
        expect(el.textContent).to.equal(
          withNoun(formatFigure(shown, el.dataset.format ?? FIGURES[name].format), shown, el.dataset.plural),
        );
        if (name === 'arenaVerdict') expect([0, 1, 2], describeEl(el)).to.include(shown);
        if (name === 'arenaSpeedup') {
          // The sentence reports the run of the arena under it, the one the reader sees.
          const own = doc.querySelector<HTMLElement & { result: ArenaLike | null }>('#arena quant-arena')!;
          expect(own.result, 'Measure ran the visible arena').to.not.equal(null);
          const c = configOf(el);
          const med = (path: unknown) =>
            own.result!.runs.find((r) => r.path === path && (c.on === 'matvec') === (r.shape[2] === 1))!
              .medianMs;
          expect(shown, describeEl(el)).to.be.closeTo(med(c.over) / med(c.under), 1e-9);
        }
        if (TIMED.has(name)) continue;
        const x = await measured(name, configOf(el));
        if (Math.abs(shown - x) > 1e-9 * Math.max(1, Math.abs(x)))
          wrong.push(`${name} at ${JSON.stringify(configOf(el))}: page ${shown}, core ${x}`);
      }
      expect(wrong).to.deep.equal([]);
    });
  });
});
