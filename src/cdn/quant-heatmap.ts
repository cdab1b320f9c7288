/** CDN file of <quant-heatmap>: registers it; the class is the default export (SPEC §1). */
import { QuantHeatmap } from '../components/quant-heatmap/quant-heatmap.js';

export * from '../components/quant-heatmap/quant-heatmap.js';
export default QuantHeatmap;
