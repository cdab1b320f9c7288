/**
 * What <quant-outliers> needs from the core, without loading jax-js until it is called: the
 * session and the generator come through their own lazily loaded module (engine.ts here), after
 * the shared engine (jax-js and the runtime checks); the config table, the metrics and the
 * reference are plain TypeScript.
 */
import type { DeviceChoice } from '../config.js';
import { engine } from '../engine-loader.js';
import { QuantError } from '../errors.js';
import { retryableImport } from '../memo.js';
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

type OutliersEngine = typeof import('./engine.js');

const loadOutliers = retryableImport<OutliersEngine>(
  () => import('./engine.js'),
  (url) => import(/* @vite-ignore */ /* webpackIgnore: true */ url) as Promise<OutliersEngine>,
);

/** The outliers module, once jax-js has loaded; a `runtime` QuantError naming why it did not. */
async function outliers(): Promise<OutliersEngine> {
  await engine();
  try {
    return await loadOutliers();
  } catch (e) {
    const cause = e instanceof Error ? e.message : String(e);
    throw new QuantError('runtime', `the outliers numerics did not load: ${cause}`);
  }
}

/** An outliers session on `device` (`auto` resolves as for the other elements); `dispose()` it when done. */
export async function createOutliersSession(device: DeviceChoice = 'auto'): Promise<OutliersSession> {
  return (await outliers()).createOutliersSession(device);
}

/** The seeded layer (generate.ts documents its distribution). */
export async function generateOutlierData(config: Partial<OutlierDataConfig> = {}): Promise<OutlierData> {
  return (await outliers()).generateOutlierData(config);
}
