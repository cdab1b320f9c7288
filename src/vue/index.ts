/**
 * quant-widgets/vue: Vue `GlobalComponents` types for the raw tags, so `vue-tsc --strictTemplates`
 * checks `<quant-simulator :bits="4" @quant-result="…">`. Types only (an empty module at run time:
 * it registers nothing and is safe to import in SSR); register the elements on the client, and
 * tell Vue they are custom elements (`isCustomElement: (tag) => tag.startsWith('quant-')`).
 *
 * Generated from custom-elements.json by scripts/vue-types.ts (`npm run build:manifest`).
 */
import type { HTMLAttributes, PublicProps } from 'vue';
import type { QuantArena as QuantArenaElement } from '../components/quant-arena/quant-arena.js';
import type { QuantHeatmap as QuantHeatmapElement } from '../components/quant-heatmap/quant-heatmap.js';
import type { QuantHistogram as QuantHistogramElement } from '../components/quant-histogram/quant-histogram.js';
import type { QuantInference as QuantInferenceElement } from '../components/quant-inference/quant-inference.js';
import type { QuantOutliers as QuantOutliersElement } from '../components/quant-outliers/quant-outliers.js';
import type { QuantSimulator as QuantSimulatorElement } from '../components/quant-simulator/quant-simulator.js';
import type {
  QuantChangeDetail,
  QuantErrorDetail,
  QuantProgressDetail,
  QuantReadyDetail,
  QuantSelectDetail,
} from '../internal/events.js';
import type { ArenaProgress } from '../components/quant-arena/quant-arena.js';

/** The element classes, for template refs: `useTemplateRef<QuantSimulatorElement>('sim')`. */
export type {
  QuantArenaElement,
  QuantHeatmapElement,
  QuantHistogramElement,
  QuantInferenceElement,
  QuantOutliersElement,
  QuantSimulatorElement,
};

/** The result type of an element (the detail of its `quant-result`). */
type ResultOf<E extends { result: unknown }> = NonNullable<E['result']>;

/**
 * A value a template may bind to a property: the property type, or text the element parses as
 * its attribute (`bits="4"`, `shape="64x64"`, `compare="2 4 8"`).
 */
type Bindable<T> = T | (T extends number ? `${number}` : T extends readonly unknown[] ? string : never);

/**
 * A raw tag as Vue sees it (the pattern of Vue's guide, "Web Components and TypeScript"): HTML
 * attributes, the settable properties P, and an `onQuantX` handler per `quant-x` event (what
 * `@quant-x` binds).
 */
type VueElement<E extends HTMLElement, P extends keyof E, Events> = new () => E & {
  /** @deprecated For template type checking only: not a property of the element. */
  $props: HTMLAttributes &
    PublicProps & { [K in P]?: Bindable<E[K]> } & { [K in keyof Events]?: (event: Events[K]) => void };
};

declare module 'vue' {
  interface GlobalComponents {
    /** `<quant-arena>`: What integer arithmetic really buys, measured honestly. */
    'quant-arena': VueElement<
      QuantArenaElement,
      'size' | 'iterations' | 'mode' | 'devices' | 'paths' | 'autorun' | 'loading',
      {
        onQuantReady: CustomEvent<QuantReadyDetail>;
        onQuantProgress: CustomEvent<ArenaProgress>;
        onQuantResult: CustomEvent<ResultOf<QuantArenaElement>>;
        onQuantError: CustomEvent<QuantErrorDetail>;
      }
    >;
    /** `<quant-heatmap>`: Where quantization error lands, weight by weight. */
    'quant-heatmap': VueElement<
      QuantHeatmapElement,
      | 'thresholds'
      | 'errorMode'
      | 'palette'
      | 'shape'
      | 'bits'
      | 'scheme'
      | 'granularity'
      | 'groupSize'
      | 'rounding'
      | 'calibration'
      | 'percentile'
      | 'format'
      | 'seed'
      | 'distribution'
      | 'std'
      | 'src'
      | 'loading'
      | 'device'
      | 'group'
      | 'groupFields',
      {
        onQuantSelect: CustomEvent<QuantSelectDetail>;
        onQuantChange: CustomEvent<QuantChangeDetail>;
        onQuantInput: CustomEvent<QuantChangeDetail>;
        onQuantReady: CustomEvent<QuantReadyDetail>;
        onQuantResult: CustomEvent<ResultOf<QuantHeatmapElement>>;
        onQuantError: CustomEvent<QuantErrorDetail>;
      }
    >;
    /** `<quant-histogram>`: Weight histogram with the quantization grid overlaid. */
    'quant-histogram': VueElement<
      QuantHistogramElement,
      | 'bins'
      | 'compare'
      | 'shape'
      | 'bits'
      | 'scheme'
      | 'granularity'
      | 'groupSize'
      | 'rounding'
      | 'calibration'
      | 'percentile'
      | 'format'
      | 'seed'
      | 'distribution'
      | 'std'
      | 'src'
      | 'loading'
      | 'device'
      | 'group'
      | 'groupFields',
      {
        onQuantChange: CustomEvent<QuantChangeDetail>;
        onQuantInput: CustomEvent<QuantChangeDetail>;
        onQuantReady: CustomEvent<QuantReadyDetail>;
        onQuantResult: CustomEvent<ResultOf<QuantHistogramElement>>;
        onQuantError: CustomEvent<QuantErrorDetail>;
      }
    >;
    /** `<quant-inference>`: What quantization changes in a model that has learned something. */
    'quant-inference': VueElement<
      QuantInferenceElement,
      | 'bits'
      | 'scheme'
      | 'granularity'
      | 'groupSize'
      | 'rounding'
      | 'calibration'
      | 'percentile'
      | 'format'
      | 'seed'
      | 'loading'
      | 'device'
      | 'group'
      | 'groupFields'
      | 'model'
      | 'layers'
      | 'activations'
      | 'qatSteps'
      | 'qatLr'
      | 'method'
      | 'calibrationSamples',
      {
        onQuantChange: CustomEvent<QuantChangeDetail>;
        onQuantInput: CustomEvent<QuantChangeDetail>;
        onQuantReady: CustomEvent<QuantReadyDetail>;
        onQuantResult: CustomEvent<ResultOf<QuantInferenceElement>>;
        onQuantProgress: CustomEvent<QuantProgressDetail>;
        onQuantError: CustomEvent<QuantErrorDetail>;
      }
    >;
    /** `<quant-outliers>`: Why large models are hard to quantize, and what the methods do about it. */
    'quant-outliers': VueElement<
      QuantOutliersElement,
      | 'bits'
      | 'weightBits'
      | 'activationBits'
      | 'alpha'
      | 'threshold'
      | 'tokens'
      | 'channels'
      | 'outlierChannels'
      | 'outlierScale'
      | 'seed'
      | 'src'
      | 'weightsSrc'
      | 'loading'
      | 'device'
      | 'group'
      | 'groupFields',
      {
        onQuantChange: CustomEvent<QuantChangeDetail>;
        onQuantInput: CustomEvent<QuantChangeDetail>;
        onQuantReady: CustomEvent<QuantReadyDetail>;
        onQuantResult: CustomEvent<ResultOf<QuantOutliersElement>>;
        onQuantError: CustomEvent<QuantErrorDetail>;
      }
    >;
    /** `<quant-simulator>`: Quantize a small matrix and see every number. */
    'quant-simulator': VueElement<
      QuantSimulatorElement,
      | 'controls'
      | 'bits'
      | 'scheme'
      | 'granularity'
      | 'groupSize'
      | 'rounding'
      | 'calibration'
      | 'percentile'
      | 'format'
      | 'seed'
      | 'distribution'
      | 'shape'
      | 'std'
      | 'src'
      | 'loading'
      | 'device'
      | 'group'
      | 'groupFields',
      {
        onQuantChange: CustomEvent<QuantChangeDetail>;
        onQuantInput: CustomEvent<QuantChangeDetail>;
        onQuantReady: CustomEvent<QuantReadyDetail>;
        onQuantResult: CustomEvent<ResultOf<QuantSimulatorElement>>;
        onQuantError: CustomEvent<QuantErrorDetail>;
      }
    >;
  }
}
