/**
 * Accessible names. The host is the element's region (ElementInternals gives it the role and a
 * default name), so the page names it with `aria-label` or `aria-labelledby` on the tag; a label
 * inside the shadow root would not see them. Controls in the shadow root are named after the host,
 * so a page with ten widgets does not list ten sliders called "bits".
 */

/**
 * The name the page gave the host: its `aria-label`, else the text of the elements its
 * `aria-labelledby` names (looked up in the host's own tree); null when it gave none.
 */
export function hostName(host: Element): string | null {
  const label = host.getAttribute('aria-label')?.trim();
  if (label) return label;
  const ids = host.getAttribute('aria-labelledby')?.trim().split(/\s+/) ?? [];
  const root = host.getRootNode() as Document | ShadowRoot;
  const text = ids
    .map((id) => (id ? (root.getElementById(id)?.textContent ?? '') : ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text || null;
}

/** `name` after the host's: "Affine simulator: bits"; just `name` when the page named no host. */
export function controlName(host: Element, name: string): string {
  const owner = hostName(host);
  return owner ? `${owner}: ${name}` : name;
}

/**
 * Makes the host the region: an `aria-label` on the tag names it directly (a region inside the
 * shadow root could not take the tag's name) and wins over the default name QuantBase sets.
 */
export function asRegion(internals: ElementInternals): ElementInternals {
  internals.role = 'region';
  return internals;
}
