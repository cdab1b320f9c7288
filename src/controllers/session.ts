/**
 * Owns the host's jax-js QuantSession: created once the gate opens, on the asked device (falling
 * back to `auto`, with a notice, when the browser lacks it), recreated when the device changes,
 * disposed on disconnect. A failed start is reported as a `runtime` error and retried on the
 * next start (a reconnect, or a device change), never left as a silent "starting…".
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeviceChoice } from '../core/config.js';
import { createSession, type QuantSession } from '../core/index.js';
import { toDetail, type ErrorsController } from './errors.js';

export interface SessionOptions {
  /** Whether the session may start (the visibility gate). */
  gate(): boolean;
  device(): DeviceChoice;
  errors: ErrorsController;
}

export class SessionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: SessionOptions;
  #session: QuantSession | null = null;
  /** The device the current (or starting, or failed) session was asked for. */
  #asked: DeviceChoice | null = null;
  #starting = false;
  /** Bumped on every start and stop, so a late createSession() of an old start is dropped. */
  #generation = 0;

  constructor(host: ReactiveControllerHost, options: SessionOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get session(): QuantSession | null {
    return this.#session;
  }

  /** The device the current session was asked for (`auto` or a name), or null. */
  get requested(): DeviceChoice | null {
    return this.#session ? this.#asked : null;
  }

  /** Whether numerics have been asked to start. */
  get started(): boolean {
    return this.#starting || this.#session !== null;
  }

  hostUpdate(): void {
    if (!this.#options.gate()) return;
    const device = this.#options.device();
    if (this.#asked !== device) void this.#start(device);
  }

  hostDisconnected(): void {
    this.#stop();
    this.#asked = null;
  }

  async #start(asked: DeviceChoice): Promise<void> {
    this.#stop();
    this.#asked = asked;
    this.#starting = true;
    const generation = this.#generation;
    const { errors } = this.#options;
    this.#host.requestUpdate();
    let session: QuantSession | null = null;
    try {
      try {
        session = await createSession(asked);
        errors.set('device', null);
      } catch (e) {
        // An explicit device this browser lacks: keep working on the automatic choice.
        if (asked === 'auto') throw e;
        session = await createSession('auto');
        const reason = toDetail(e, 'runtime', 'device');
        errors.set('device', { ...reason, message: `${reason.message}; using ${session.device} instead.` });
      }
      errors.set('runtime', null);
    } catch (e) {
      if (generation === this.#generation) errors.set('runtime', toDetail(e, 'runtime'));
    }
    if (generation !== this.#generation) {
      session?.dispose();
      return;
    }
    this.#starting = false;
    this.#session = session;
    this.#host.requestUpdate();
  }

  #stop(): void {
    this.#generation++;
    this.#starting = false;
    this.#session?.dispose();
    this.#session = null;
  }
}
