/**
 * The outliers numerics, behind their own lazily loaded module: only a page with a
 * <quant-outliers> fetches them, not every page that loads the shared engine (src/core/engine.ts).
 */
import type { DeviceChoice } from '../config.js';
import { resolveDevice } from '../runtime.js';
import { OutliersSession } from './session.js';

export { generateOutlierData } from './generate.js';

/** An outliers session (session.ts) on a resolved device, for <quant-outliers>. */
export async function createOutliersSession(choice: DeviceChoice): Promise<OutliersSession> {
  return new OutliersSession(await resolveDevice(choice));
}
