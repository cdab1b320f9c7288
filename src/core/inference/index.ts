/**
 * What <quant-inference> needs from the core, without loading jax-js until it is called: the MLP
 * session comes through the lazily loaded engine; the metrics are plain TypeScript.
 */
import type { DeviceChoice } from '../config.js';
import { engine } from '../engine-loader.js';
import type { MlpLayer, MlpSession, WeightSet } from './mlp.js';

export { accuracyOf, compareLogits, type LogitComparison } from './metrics.js';
export type { MlpLayer, MlpSession, WeightSet };

/** Why `auto` computes on cpu on this page (the rule to change), or null when wasm runs. */
export async function wasmBlockedBy(): Promise<string | null> {
  return (await engine()).wasmBlockedBy();
}

/** An MLP session on `device` (falls back as `createSession` does); `dispose()` it when done. */
export async function createMlpSession(device: DeviceChoice, layers: MlpLayer[]): Promise<MlpSession> {
  return (await engine()).createMlpSession(device, layers);
}
