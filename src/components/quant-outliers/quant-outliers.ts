import { QuantOutliers } from './quant-outliers.component.js';

export { QuantOutliers };
export type { OutliersElementResult } from './quant-outliers.component.js';
export type { OutlierMethod } from './quant-outliers.model.js';

if (!customElements.get('quant-outliers')) customElements.define('quant-outliers', QuantOutliers);
