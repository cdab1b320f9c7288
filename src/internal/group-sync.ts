/**
 * `group` sync (SPEC §2.4): a registry of connected elements, so members are
 * found in any shadow root, not only in the document.
 */
import type { QuantChangeDetail } from './events.js';

export interface GroupMember {
  readonly group: string | undefined;
  /** Applies a config as attributes, without emitting quant-change. */
  followConfig(config: QuantChangeDetail): void;
}

const members = new Set<GroupMember>();

export function joinGroups(el: GroupMember): void {
  members.add(el);
}

export function leaveGroups(el: GroupMember): void {
  members.delete(el);
}

/** Sends a committed config to every other member of the source's group. */
export function syncGroup(source: GroupMember, config: QuantChangeDetail): void {
  if (!source.group) return;
  for (const el of members) {
    if (el !== source && el.group === source.group) el.followConfig(config);
  }
}
