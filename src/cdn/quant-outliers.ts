/** CDN file of <quant-outliers>: registers it; the class is the default export (SPEC §1). */
import { QuantOutliers } from '../components/quant-outliers/quant-outliers.js';

export * from '../components/quant-outliers/quant-outliers.js';
export default QuantOutliers;
