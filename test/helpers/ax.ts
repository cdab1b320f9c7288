/** Chromium's accessibility tree, whole, through the `ax-tree` command (scripts/wtr-ax-tree.mjs). */
import { executeServerCommand } from '@web/test-runner-commands';

export interface AxNode {
  role?: string;
  name?: string;
  children?: AxNode[];
}

/** The tree under each selected element (of the frame whose URL contains `frame`); null if none. */
export async function axTrees(selectors: string[], frame?: string): Promise<(AxNode | null)[]> {
  return executeServerCommand<(AxNode | null)[], { selectors: string[]; frame?: string }>('ax-tree', {
    selectors,
    frame,
  });
}

/** Every node of a tree, depth first (the root first). */
export function axNodes(tree: AxNode): AxNode[] {
  return [tree, ...(tree.children ?? []).flatMap(axNodes)];
}

/** What a reader operates or tabs to: each must say which widget it belongs to. */
export const CONTROL_ROLES = new Set([
  'slider',
  'combobox',
  'button',
  'spinbutton',
  'radiogroup',
  'grid',
  'application',
  'region',
]);

/** The control nodes under a widget's root (the root itself left out), with their names. */
export function axControls(tree: AxNode): { role: string; name: string }[] {
  return axNodes(tree)
    .slice(1)
    .filter((n) => CONTROL_ROLES.has(n.role ?? ''))
    .map((n) => ({ role: n.role!, name: n.name ?? '' }));
}
