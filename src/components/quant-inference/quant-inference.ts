import { QuantInference } from './quant-inference.component.js';

export { QuantInference };
export type {
  Activations,
  FlippedExample,
  InferenceResult,
  ModelName,
  Regions,
} from './quant-inference.component.js';

if (!customElements.get('quant-inference')) customElements.define('quant-inference', QuantInference);
