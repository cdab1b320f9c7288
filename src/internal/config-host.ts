/**
 * What every element with the SPEC §2.1 config attributes does with them, in one place: read them
 * as one QuantConfig (the same object while none changes, so tasks see no change), build the
 * quant-change detail, and follow its `group`.
 */
import type { ReactiveControllerHost } from 'lit';
import type { QuantConfig } from '../core/config.js';
import { GroupController } from '../controllers/group.js';
import { CONFIG_KEYS, type QuantChangeDetail } from './events.js';
import { GROUP_ATTRIBUTES } from './fields.js';

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

/** What a group member has of the group attributes. */
interface GroupMember extends ReactiveControllerHost, Element {
  group: string | undefined;
  /** `all`, or the attribute names (`bits`, `group-size`, …) this member takes from its group. */
  groupFields: 'all' | string[];
}

/**
 * Sets the config properties a group member's quant-change carries on `host`, of those its
 * `group-fields` names (SPEC §2.1, §2.4 group).
 */
export function followGroup(host: GroupMember): void {
  new GroupController<QuantChangeDetail>(host, {
    group: () => host.group,
    follow: (detail) => {
      const fields = host.groupFields;
      const taken = CONFIG_KEYS.filter((k) => fields === 'all' || fields.includes(GROUP_ATTRIBUTES[k]));
      for (const key of taken)
        if (detail[key] !== undefined && detail[key] !== null)
          (host as unknown as Record<string, unknown>)[key] = detail[key];
    },
  });
}
