/**
 * What every element with the SPEC §2.1 config attributes does with them, in one place: read them
 * as one QuantConfig (the same object while none changes, so tasks see no change), build the
 * quant-change detail, and follow its `group`.
 */
import type { ReactiveControllerHost } from 'lit';
import type { QuantConfig } from '../core/config.js';
import { GroupController } from '../controllers/group.js';
import { CONFIG_KEYS, type QuantChangeDetail } from './events.js';

/** The config keys of QuantConfig (the quant-change keys plus the seed). */
const QUANT_KEYS = [...CONFIG_KEYS, 'seed'] as const;

type ConfigProperties = { [K in keyof QuantConfig]: QuantConfig[K] };

/** The host's config properties as one object, kept while none of them changes. */
export class ConfigReader {
  #config: QuantConfig | null = null;

  read(host: ConfigProperties): QuantConfig {
    const next = Object.fromEntries(QUANT_KEYS.map((k) => [k, host[k]])) as unknown as QuantConfig;
    if (!this.#config || QUANT_KEYS.some((k) => this.#config![k] !== next[k])) this.#config = next;
    return this.#config;
  }
}

/** The quant-change / quant-input detail of a config (SPEC §2.4). */
export function changeDetail(config: QuantConfig): QuantChangeDetail {
  return Object.fromEntries(CONFIG_KEYS.map((k) => [k, config[k]])) as unknown as QuantChangeDetail;
}

/** Sets the config properties a group member's quant-change carries on `host` (SPEC §2.4 group). */
export function followGroup(host: ReactiveControllerHost & Element & { group: string | undefined }): void {
  new GroupController<QuantChangeDetail>(host, {
    group: () => host.group,
    follow: (detail) => {
      for (const key of CONFIG_KEYS)
        if (detail[key] !== undefined && detail[key] !== null)
          (host as unknown as Record<string, unknown>)[key] = detail[key];
    },
  });
}
