import { QuantHeatmap } from './quant-heatmap.component.js';

export { QuantHeatmap };
export type { HeatmapResult } from './quant-heatmap.component.js';
export { bandOf } from './quant-heatmap.model.js';
export type {
  HeatmapView,
  HeatmapBandCounts,
  HeatmapBand,
  HeatmapErrorMode,
  HeatmapPalette,
} from './quant-heatmap.model.js';

if (!customElements.get('quant-heatmap')) customElements.define('quant-heatmap', QuantHeatmap);
