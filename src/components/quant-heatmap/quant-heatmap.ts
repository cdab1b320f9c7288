import { QuantHeatmap } from './quant-heatmap.component.js';

export { QuantHeatmap };
export { bandOf } from './quant-heatmap.component.js';
export type {
  HeatmapResult,
  HeatmapBandCounts,
  HeatmapBand,
  HeatmapErrorMode,
  HeatmapPalette,
} from './quant-heatmap.component.js';

if (!customElements.get('quant-heatmap')) customElements.define('quant-heatmap', QuantHeatmap);
