/**
 * One jax-js runtime for the whole page. `init()` is global in jax-js and two
 * concurrent calls for the same device would build two backends, so every
 * device is initialised through one memoized promise.
 */
import { init, type Device } from '@jax-js/jax';
import type { DeviceChoice } from './config.js';
import { QuantError } from './errors.js';

const pending = new Map<Device, Promise<boolean>>();

/** Whether the environment could have the device at all (Node 20 has no navigator). */
function couldHave(device: Device): boolean {
  if (device === 'webgpu') return typeof navigator !== 'undefined' && 'gpu' in navigator;
  if (device === 'webgl') return typeof OffscreenCanvas !== 'undefined';
  if (device === 'wasm') return typeof WebAssembly !== 'undefined';
  return true;
}

/** Initialises one device once; resolves whether it is usable. */
export function ensureDevice(device: Device): Promise<boolean> {
  let p = pending.get(device);
  if (!p) {
    p = couldHave(device)
      ? init(device).then(
          (ready) => ready.includes(device),
          () => false,
        )
      : Promise.resolve(false);
    pending.set(device, p);
  }
  return p;
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
 * An explicit device that is missing rejects with `runtime`.
 */
export async function resolveDevice(choice: DeviceChoice = 'auto'): Promise<Device> {
  if (choice === 'auto') return (await ensureDevice('wasm')) ? 'wasm' : 'cpu';
  if (await ensureDevice(choice)) return choice;
  throw new QuantError('runtime', `device "${choice}" is not available in this browser`);
}
