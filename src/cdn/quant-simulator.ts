/** CDN file of <quant-simulator>: registers it; the class is the default export (SPEC §1). */
import { QuantSimulator } from '../components/quant-simulator/quant-simulator.js';

export * from '../components/quant-simulator/quant-simulator.js';
export default QuantSimulator;
