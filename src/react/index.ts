/**
 * quant-widgets/react: React wrappers (`@lit/react`) of every element, with typed props and
 * `onQuant…` event props, and JSX types for the raw tags (React 19 handles custom elements itself).
 * Importing it registers the elements.
 *
 * Generated from custom-elements.json by scripts/react-wrappers.ts (`npm run build:manifest`).
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { QuantArena as QuantArenaElement } from '../components/quant-arena/quant-arena.js';
import { QuantHeatmap as QuantHeatmapElement } from '../components/quant-heatmap/quant-heatmap.js';
import { QuantHistogram as QuantHistogramElement } from '../components/quant-histogram/quant-histogram.js';
import { QuantInference as QuantInferenceElement } from '../components/quant-inference/quant-inference.js';
import { QuantOutliers as QuantOutliersElement } from '../components/quant-outliers/quant-outliers.js';
import { QuantSimulator as QuantSimulatorElement } from '../components/quant-simulator/quant-simulator.js';
import type {
  QuantChangeDetail,
  QuantErrorDetail,
  QuantProgressDetail,
  QuantReadyDetail,
  QuantSelectDetail,
} from '../internal/events.js';
import type { ArenaProgress } from '../components/quant-arena/quant-arena.js';

/** The element classes, for refs: `useRef<QuantSimulatorElement>(null)`. */
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

/** A raw tag in JSX: HTML attributes, the settable properties P, and `onquant-…` listeners. */
type RawElementProps<E extends HTMLElement, P extends keyof E, Events> = React.DetailedHTMLProps<
  React.HTMLAttributes<E>,
  E
> &
  Partial<Pick<E, P>> & { [K in keyof Events]?: (event: Events[K]) => void };

/** `<quant-arena>` as a React component. What integer arithmetic really buys, measured honestly. */
export const QuantArena = createComponent({
  react: React,
  tagName: 'quant-arena',
  elementClass: QuantArenaElement,
  displayName: 'QuantArena',
  events: {
    onQuantReady: 'quant-ready' as EventName<CustomEvent<QuantReadyDetail>>,
    onQuantProgress: 'quant-progress' as EventName<CustomEvent<ArenaProgress>>,
    onQuantResult: 'quant-result' as EventName<CustomEvent<ResultOf<QuantArenaElement>>>,
    onQuantError: 'quant-error' as EventName<CustomEvent<QuantErrorDetail>>,
  },
});

/** `<quant-heatmap>` as a React component. Where quantization error lands, weight by weight. */
export const QuantHeatmap = createComponent({
  react: React,
  tagName: 'quant-heatmap',
  elementClass: QuantHeatmapElement,
  displayName: 'QuantHeatmap',
  events: {
    onQuantSelect: 'quant-select' as EventName<CustomEvent<QuantSelectDetail>>,
    onQuantChange: 'quant-change' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantInput: 'quant-input' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantReady: 'quant-ready' as EventName<CustomEvent<QuantReadyDetail>>,
    onQuantResult: 'quant-result' as EventName<CustomEvent<ResultOf<QuantHeatmapElement>>>,
    onQuantError: 'quant-error' as EventName<CustomEvent<QuantErrorDetail>>,
  },
});

/** `<quant-histogram>` as a React component. Weight histogram with the quantization grid overlaid. */
export const QuantHistogram = createComponent({
  react: React,
  tagName: 'quant-histogram',
  elementClass: QuantHistogramElement,
  displayName: 'QuantHistogram',
  events: {
    onQuantChange: 'quant-change' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantInput: 'quant-input' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantReady: 'quant-ready' as EventName<CustomEvent<QuantReadyDetail>>,
    onQuantResult: 'quant-result' as EventName<CustomEvent<ResultOf<QuantHistogramElement>>>,
    onQuantError: 'quant-error' as EventName<CustomEvent<QuantErrorDetail>>,
  },
});

/** `<quant-inference>` as a React component. What quantization changes in a model that has learned something. */
export const QuantInference = createComponent({
  react: React,
  tagName: 'quant-inference',
  elementClass: QuantInferenceElement,
  displayName: 'QuantInference',
  events: {
    onQuantChange: 'quant-change' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantInput: 'quant-input' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantReady: 'quant-ready' as EventName<CustomEvent<QuantReadyDetail>>,
    onQuantResult: 'quant-result' as EventName<CustomEvent<ResultOf<QuantInferenceElement>>>,
    onQuantProgress: 'quant-progress' as EventName<CustomEvent<QuantProgressDetail>>,
    onQuantError: 'quant-error' as EventName<CustomEvent<QuantErrorDetail>>,
  },
});

/** `<quant-outliers>` as a React component. Why large models are hard to quantize, and what the methods do about it. */
export const QuantOutliers = createComponent({
  react: React,
  tagName: 'quant-outliers',
  elementClass: QuantOutliersElement,
  displayName: 'QuantOutliers',
  events: {
    onQuantChange: 'quant-change' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantInput: 'quant-input' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantReady: 'quant-ready' as EventName<CustomEvent<QuantReadyDetail>>,
    onQuantResult: 'quant-result' as EventName<CustomEvent<ResultOf<QuantOutliersElement>>>,
    onQuantError: 'quant-error' as EventName<CustomEvent<QuantErrorDetail>>,
  },
});

/** `<quant-simulator>` as a React component. Quantize a small matrix and see every number. */
export const QuantSimulator = createComponent({
  react: React,
  tagName: 'quant-simulator',
  elementClass: QuantSimulatorElement,
  displayName: 'QuantSimulator',
  events: {
    onQuantChange: 'quant-change' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantInput: 'quant-input' as EventName<CustomEvent<QuantChangeDetail>>,
    onQuantReady: 'quant-ready' as EventName<CustomEvent<QuantReadyDetail>>,
    onQuantResult: 'quant-result' as EventName<CustomEvent<ResultOf<QuantSimulatorElement>>>,
    onQuantError: 'quant-error' as EventName<CustomEvent<QuantErrorDetail>>,
  },
});

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'quant-arena': RawElementProps<
        QuantArenaElement,
        'size' | 'iterations' | 'mode' | 'devices' | 'paths' | 'autorun' | 'loading',
        {
          'onquant-ready': CustomEvent<QuantReadyDetail>;
          'onquant-progress': CustomEvent<ArenaProgress>;
          'onquant-result': CustomEvent<ResultOf<QuantArenaElement>>;
          'onquant-error': CustomEvent<QuantErrorDetail>;
        }
      >;
      'quant-heatmap': RawElementProps<
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
          'onquant-select': CustomEvent<QuantSelectDetail>;
          'onquant-change': CustomEvent<QuantChangeDetail>;
          'onquant-input': CustomEvent<QuantChangeDetail>;
          'onquant-ready': CustomEvent<QuantReadyDetail>;
          'onquant-result': CustomEvent<ResultOf<QuantHeatmapElement>>;
          'onquant-error': CustomEvent<QuantErrorDetail>;
        }
      >;
      'quant-histogram': RawElementProps<
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
          'onquant-change': CustomEvent<QuantChangeDetail>;
          'onquant-input': CustomEvent<QuantChangeDetail>;
          'onquant-ready': CustomEvent<QuantReadyDetail>;
          'onquant-result': CustomEvent<ResultOf<QuantHistogramElement>>;
          'onquant-error': CustomEvent<QuantErrorDetail>;
        }
      >;
      'quant-inference': RawElementProps<
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
          'onquant-change': CustomEvent<QuantChangeDetail>;
          'onquant-input': CustomEvent<QuantChangeDetail>;
          'onquant-ready': CustomEvent<QuantReadyDetail>;
          'onquant-result': CustomEvent<ResultOf<QuantInferenceElement>>;
          'onquant-progress': CustomEvent<QuantProgressDetail>;
          'onquant-error': CustomEvent<QuantErrorDetail>;
        }
      >;
      'quant-outliers': RawElementProps<
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
          'onquant-change': CustomEvent<QuantChangeDetail>;
          'onquant-input': CustomEvent<QuantChangeDetail>;
          'onquant-ready': CustomEvent<QuantReadyDetail>;
          'onquant-result': CustomEvent<ResultOf<QuantOutliersElement>>;
          'onquant-error': CustomEvent<QuantErrorDetail>;
        }
      >;
      'quant-simulator': RawElementProps<
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
          'onquant-change': CustomEvent<QuantChangeDetail>;
          'onquant-input': CustomEvent<QuantChangeDetail>;
          'onquant-ready': CustomEvent<QuantReadyDetail>;
          'onquant-result': CustomEvent<ResultOf<QuantSimulatorElement>>;
          'onquant-error': CustomEvent<QuantErrorDetail>;
        }
      >;
    }
  }
}
