import { QuantSimulator } from './quant-simulator.component.js';

export { QuantSimulator };
export type { SimulatorResult } from './quant-simulator.component.js';

if (!customElements.get('quant-simulator')) customElements.define('quant-simulator', QuantSimulator);
