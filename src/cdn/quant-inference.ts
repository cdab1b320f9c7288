/** CDN file of <quant-inference>: registers it; the class is the default export (SPEC §1). */
import { QuantInference } from '../components/quant-inference/quant-inference.js';

export * from '../components/quant-inference/quant-inference.js';
export default QuantInference;
