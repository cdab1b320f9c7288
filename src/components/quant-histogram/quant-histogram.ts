import { QuantHistogram } from './quant-histogram.component.js';

export { QuantHistogram };
export type { HistogramResult, HistogramPanel } from './quant-histogram.component.js';

if (!customElements.get('quant-histogram')) customElements.define('quant-histogram', QuantHistogram);
