/** CDN file of <quant-histogram>: registers it; the class is the default export (SPEC §1). */
import { QuantHistogram } from '../components/quant-histogram/quant-histogram.js';

export * from '../components/quant-histogram/quant-histogram.js';
export default QuantHistogram;
