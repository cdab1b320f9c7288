/**
 * What <quant-outliers> needs from the core, without loading jax-js until it is called: the
 * session and the generator come through the lazily loaded engine; the config table, the metrics
 * and the reference are plain TypeScript.
 */
import type { DeviceChoice } from '../config.js';
import { engine } from '../engine-loader.js';
import type { OutlierDataConfig } from './config.js';
import type { OutlierData } from './generate.js';
import type { OutliersSession } from './session.js';

export {
  OUTLIER_DATA_FIELDS,
  OUTLIER_METHOD_FIELDS,
  OUTLIER_METHODS,
  resolveDataConfig,
  resolveMethodConfig,
  type OutlierDataConfig,
  type OutlierMethod,
  type OutlierMethodConfig,
} from './config.js';
export type { OutlierData, OutliersSession };
export type { MethodInspection, OutlierMethodResult, OutliersResult, OutliersStats } from './types.js';

/** An outliers session on `device` (`auto` resolves as for the other elements); `dispose()` it when done. */
export async function createOutliersSession(device: DeviceChoice = 'auto'): Promise<OutliersSession> {
  return (await engine()).createOutliersSession(device);
}

/** The seeded layer (generate.ts documents its distribution). */
export async function generateOutlierData(config: Partial<OutlierDataConfig> = {}): Promise<OutlierData> {
  return (await engine()).generateOutlierData(config);
}
