/**
 * quant-widgets: registers every element and exports the classes and the core
 * API. jax-js is not loaded until a widget (or a core call) needs numerics.
 */
export * from './core/index.js';
export { setSourceTimeout } from './internal/load-source.js';
export { QuantBase } from './internal/quant-base.js';
export { QuantizingElement, type QuantizedResult, type WeightData } from './internal/quantizing-element.js';
export type {
  QuantEventMap,
  QuantEventDetails,
  QuantChangeDetail,
  QuantErrorDetail,
  QuantProgressDetail,
  QuantReadyDetail,
  QuantSelectDetail,
} from './internal/events.js';
export { QuantSimulator, type SimulatorResult } from './components/quant-simulator/quant-simulator.js';
export {
  QuantHeatmap,
  bandOf,
  type HeatmapResult,
  type HeatmapBandCounts,
  type HeatmapBand,
  type HeatmapErrorMode,
  type HeatmapPalette,
  type HeatmapView,
} from './components/quant-heatmap/quant-heatmap.js';
export {
  QuantArena,
  type ArenaResult,
  type ArenaInput,
  type ArenaProgress,
} from './components/quant-arena/quant-arena.js';
export {
  QuantHistogram,
  type HistogramResult,
  type HistogramPanel,
  type CompareToken,
} from './components/quant-histogram/quant-histogram.js';
export {
  QuantInference,
  type InferenceResult,
  type Activations,
  type FlippedExample,
  type ModelName,
  type Regions,
} from './components/quant-inference/quant-inference.js';
export {
  QuantOutliers,
  type OutliersElementResult,
  type OutlierMethod,
} from './components/quant-outliers/quant-outliers.js';
