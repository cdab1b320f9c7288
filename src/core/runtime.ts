/**
 * One jax-js runtime for the whole page. `init()` is global in jax-js and two
 * concurrent calls for the same device would build two backends, so every
 * device is started through one memoized promise. A start that found the
 * device missing is remembered; one that failed (its backend chunk did not
 * load, the adapter request threw) is not, and the next call tries again.
 */
import { defaultDevice, init, type Device } from '@jax-js/jax';
import type { DeviceChoice } from './config.js';
import { QuantError } from './errors.js';
import { memoizeRetry } from './memo.js';
import { BLOB_WORKERS_BLOCKED, blobWorkersAllowed } from './worker-probe.js';

const starts = new Map<Device, () => Promise<boolean>>();

/** Whether the environment could have the device at all (Node 20 has no navigator). */
function couldHave(device: Device): boolean {
  if (device === 'webgpu') return typeof navigator !== 'undefined' && 'gpu' in navigator;
  if (device === 'webgl') return typeof OffscreenCanvas !== 'undefined';
  if (device === 'wasm') return typeof WebAssembly !== 'undefined';
  return true;
}

/**
 * Whether wasm can run its kernels here: not on a crossOriginIsolated page that blocks blob:
 * workers (src/core/worker-probe.ts). There jax-js's default device becomes cpu, so that no array
 * the kit creates without a device waits on threads that never start.
 */
export async function wasmRunnable(): Promise<boolean> {
  if (await blobWorkersAllowed()) return true;
  if (defaultDevice() === 'wasm') defaultDevice('cpu');
  return false;
}

/** The message when WebAssembly itself cannot start (typically a CSP without 'wasm-unsafe-eval'). */
export const WASM_UNAVAILABLE =
  "WebAssembly does not start on this page (a Content-Security-Policy blocks it unless script-src has 'wasm-unsafe-eval')";

/**
 * Why `auto` resolves to cpu here, as a sentence naming the page rule to change, or null when
 * wasm runs. For elements whose work is too heavy for cpu (single-threaded JavaScript).
 */
export async function wasmBlockedBy(): Promise<string | null> {
  if (await ensureDevice('wasm')) return null;
  return (await blobWorkersAllowed()) ? WASM_UNAVAILABLE : BLOB_WORKERS_BLOCKED;
}

/** Starts one device (once while it is pending or done); rejects when the start failed. */
function startDevice(device: Device): Promise<boolean> {
  let start = starts.get(device);
  if (!start) {
    start = memoizeRetry(
      async () =>
        couldHave(device) &&
        (device !== 'wasm' || (await wasmRunnable())) &&
        (await init(device)).includes(device),
    );
    starts.set(device, start);
  }
  return start();
}

/** Initialises one device; resolves whether it is usable (false also when its start failed). */
export async function ensureDevice(device: Device): Promise<boolean> {
  try {
    return await startDevice(device);
  } catch {
    // Not remembered: the next call starts it again. resolveDevice reports the cause.
    return false;
  }
}

/** Every device this environment has, initialised. */
export async function availableDevices(): Promise<Device[]> {
  const all: Device[] = ['wasm', 'webgpu', 'webgl', 'cpu'];
  const ok = await Promise.all(all.map(ensureDevice));
  return all.filter((_, i) => ok[i]);
}

/**
 * Resolves a device choice. `auto` is wasm: for the quantizer's work (a few
 * reductions and an elementwise pass, then a read-back) a GPU's dispatch and
 * read-back latency outweighs its throughput at every size the kit accepts.
 * An explicit device that is missing or failed to start rejects with `runtime`.
 */
export async function resolveDevice(choice: DeviceChoice = 'auto'): Promise<Device> {
  if (choice === 'auto') return (await ensureDevice('wasm')) ? 'wasm' : 'cpu';
  let ready: boolean;
  try {
    ready = await startDevice(choice);
  } catch (e) {
    throw new QuantError(
      'runtime',
      `device "${choice}" failed to start: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (ready) return choice;
  if (choice === 'wasm' && !(await blobWorkersAllowed()))
    throw new QuantError('runtime', `device "wasm" cannot start: ${BLOB_WORKERS_BLOCKED}`);
  throw new QuantError('runtime', `device "${choice}" is not available in this browser`);
}
