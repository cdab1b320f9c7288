import { QuantHistogram } from './quant-histogram.component.js';

export { QuantHistogram };
export type { CompareToken, HistogramResult, HistogramPanel } from './quant-histogram.component.js';
export type { HistogramView } from './quant-histogram.model.js';

if (!customElements.get('quant-histogram')) customElements.define('quant-histogram', QuantHistogram);
