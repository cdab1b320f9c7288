/**
 * The elements the reliability suite drives (issue 21): how to make a cheap one, when it is
 * ready, what its result is (the key numbers a fresh element must match), and its field
 * attributes, read from the class's `elementProperties` so a new attribute is covered at once.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/quant-arena/quant-arena.js';
import '../../src/components/quant-heatmap/quant-heatmap.js';
import '../../src/components/quant-histogram/quant-histogram.js';
import '../../src/components/quant-inference/quant-inference.js';
import '../../src/components/quant-outliers/quant-outliers.js';
import '../../src/components/quant-simulator/quant-simulator.js';
import type { ArenaResult, QuantArena } from '../../src/components/quant-arena/quant-arena.js';
import type { HistogramResult } from '../../src/components/quant-histogram/quant-histogram.js';
import type { InferenceResult } from '../../src/components/quant-inference/quant-inference.js';
import type { OutliersElementResult } from '../../src/components/quant-outliers/quant-outliers.js';
import type { QuantResult } from '../../src/core/index.js';
import type { Field, FieldDeclaration } from '../../src/internal/fields.js';
import { idle } from '../helpers/element.js';
import { nextEvent } from '../helpers/wait.js';

/** A kit element as the suite sees it. */
export type Widget = HTMLElement & {
  result: unknown;
  error: { code: string; message: string; attribute?: string } | null;
  updateComplete: Promise<boolean>;
};

export interface FieldAttribute {
  property: string;
  attribute: string;
  field: Field<unknown>;
}

export interface Subject {
  tag: string;
  /** Attributes that keep the element cheap (and eager). */
  attributes: Record<string, string>;
  /** A valid change that leads to a new result (the arena's: to its next run). */
  change: Record<string, string>;
  /** Waits until the element has its first result (or, for the arena, is ready to run). */
  ready(el: Widget): Promise<void>;
  /** The numbers that say which result this is (a fresh element with the same attributes gives the same). */
  key(el: Widget): Promise<unknown>;
}

const quantKey = (r: QuantResult) => ({
  shape: r.shape,
  config: r.config,
  codes: Array.from(r.codes),
  scale: Array.from(r.scale),
  zeroPoint: Array.from(r.zeroPoint),
  stats: r.stats,
});

async function firstResult(el: Widget, ms = 60000): Promise<void> {
  if (!el.result) await nextEvent(el, 'quant-result', ms);
  // The result has landed; nothing else may be in flight (e.g. a second load).
  expect(await idle(el), `${el.localName} still busy`).to.equal(true);
}

export const SUBJECTS: Subject[] = [
  {
    tag: 'quant-simulator',
    change: { bits: '4', granularity: 'channel' },
    attributes: { loading: 'eager' },
    ready: (el) => firstResult(el),
    key: async (el) => quantKey(el.result as QuantResult),
  },
  {
    tag: 'quant-histogram',
    change: { bits: '4', compare: '2 nf4' },
    attributes: { loading: 'eager', shape: '32x32' },
    ready: (el) => firstResult(el),
    key: async (el) => {
      const r = el.result as HistogramResult;
      return { ...quantKey(r), compare: r.compare.map((c) => c.stats) };
    },
  },
  {
    tag: 'quant-heatmap',
    change: { bits: '3', scheme: 'symmetric' },
    attributes: { loading: 'eager', shape: '16x16' },
    ready: (el) => firstResult(el),
    key: async (el) => quantKey(el.result as QuantResult),
  },
  {
    tag: 'quant-arena',
    change: { size: '32' },
    // One cheap path on one device: a run takes well under a second.
    attributes: {
      loading: 'eager',
      size: '16',
      iterations: '1',
      mode: 'matvec',
      devices: 'wasm',
      paths: 'f32-simd',
    },
    ready: async (el) => {
      if (!el.shadowRoot?.querySelector('[part=example]')) await nextEvent(el, 'quant-ready', 60000);
    },
    // Timings differ run to run: what ran, on what, and the bytes it read.
    key: async (el) => {
      const r: ArenaResult = await (el as unknown as QuantArena).run();
      return {
        size: r.size,
        mode: r.mode,
        iterations: r.iterations,
        runs: r.runs.map((x) => [x.path, x.device, x.shape, x.bytes]),
        skipped: r.skipped.map((s) => [s.path, s.device]),
      };
    },
  },
  {
    tag: 'quant-inference',
    change: { bits: '4', layers: '8 4 8' },
    attributes: { loading: 'eager' },
    ready: (el) => firstResult(el),
    key: async (el) => {
      const r = el.result as InferenceResult;
      return {
        model: r.model,
        config: r.config,
        layers: r.layers,
        accuracyQuant: r.accuracyQuant,
        agreement: r.agreement,
        flipped: r.flipped,
        meanKl: r.meanKl,
      };
    },
  },
  {
    tag: 'quant-outliers',
    change: { bits: '4', alpha: '0.7' },
    attributes: { loading: 'eager', tokens: '32', channels: '24' },
    ready: (el) => firstResult(el),
    key: async (el) => {
      const r = el.result as OutliersElementResult;
      return {
        config: r.config,
        shape: r.shape,
        methods: r.methods.map((m) => [m.method, m.sqnrDb, m.relError, m.maxAbsError, m.bitsPerValue]),
        outlierChannels: r.stats.outlierChannels,
      };
    },
  },
];

/**
 * A connected element of `tag` with exactly `attributes`, in a wrapper of its own (a fixture), its
 * first result shown: the loops of the memory tests start from it.
 */
export async function mount<T extends Widget = Widget>(
  tag: string,
  attributes: Record<string, string>,
): Promise<{ el: T; wrapper: HTMLDivElement }> {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  const el = document.createElement(tag) as T;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  wrapper.append(el);
  await firstResult(el);
  return { el, wrapper };
}

/** Sets attribute `name` to `value` and waits for the result it leads to. */
export async function setAndWait(
  el: Element,
  name: string,
  value: string | number,
  ms = 30000,
): Promise<void> {
  const done = nextEvent(el, 'quant-result', ms);
  el.setAttribute(name, String(value));
  await done;
}

/** Every field attribute of an element class, from Lit's finalized property table. */
export function fieldAttributes(tag: string): FieldAttribute[] {
  const ctor = customElements.get(tag) as unknown as {
    elementProperties: Map<PropertyKey, FieldDeclaration>;
  };
  const out: FieldAttribute[] = [];
  for (const [property, options] of ctor.elementProperties) {
    if (options.field && typeof options.attribute === 'string')
      out.push({ property: String(property), attribute: options.attribute, field: options.field });
  }
  return out;
}

/** A connected element of `subject` with its cheap attributes plus `extra`. */
export function create(subject: Subject, extra: Record<string, string> = {}): Widget {
  const el = document.createElement(subject.tag) as Widget;
  for (const [name, value] of Object.entries({ ...subject.attributes, ...extra }))
    el.setAttribute(name, value);
  document.body.append(el);
  return el;
}

/** The attributes an element has now, to make a fresh one like it. */
export function attributesOf(el: Element): Record<string, string> {
  return Object.fromEntries(el.getAttributeNames().map((n) => [n, el.getAttribute(n)!]));
}

/**
 * The element gives the same result as a fresh one with the same attributes (issue 21: every
 * case ends so). The fresh element is removed afterwards.
 */
export async function expectSameAsFresh(subject: Subject, el: Widget): Promise<void> {
  const fresh = create(subject, attributesOf(el));
  try {
    await subject.ready(fresh);
    expect(fresh.error, 'a fresh element has no error').to.equal(null);
    expect(await subject.key(el)).to.deep.equal(await subject.key(fresh));
  } finally {
    fresh.remove();
  }
}

/** Resolves once no load or computation is in flight (polling: a fetch has no event to wait for). */
export async function settled(el: Widget, ms = 10000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await idle(el))) {
    if (performance.now() > deadline) throw new Error(`${el.localName} still busy after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Uncaught exceptions and unhandled rejections from now until `stop()`. */
export function uncaught(): { stop(): string[] } {
  const seen: string[] = [];
  const onError = (e: ErrorEvent) => seen.push(`error: ${e.message}`);
  const onRejection = (e: PromiseRejectionEvent) => seen.push(`unhandled rejection: ${String(e.reason)}`);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    stop() {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
      return seen;
    },
  };
}
