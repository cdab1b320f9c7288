/**
 * The CDN entry (`dist/cdn/quant-widgets.js`, SPEC §1): a small autoloader. It finds the kit's
 * tags in the document (and in shadow roots handed to `discover`) and imports an element's file
 * when one of its tags comes near the viewport (or at once for `loading="eager"`); Lit, the
 * elements, uPlot and jax-js are in the files beside it. It also exports the core API: the
 * functions that need jax-js load it on first call.
 */
import { NEAR_MARGIN } from '../controllers/visibility.js';
import { ELEMENTS, TAGS, undefinedCss, type Tag } from './elements.js';

export * from '../core/index.js';

/** Farther than the elements' own gate (NEAR_MARGIN), so the code is there when they start. */
const LOAD_MARGIN = `${2 * NEAR_MARGIN}px`;

const loads = new Map<Tag, Promise<void>>();
const isTag = (name: string): name is Tag => name in ELEMENTS;

/** Loads and registers one element, or all; resolves once defined. */
export function define(tag?: string): Promise<void> {
  if (tag === undefined) return Promise.all(TAGS.map((t) => define(t))).then(() => undefined);
  const name = tag.toLowerCase();
  if (!isTag(name)) return Promise.reject(new TypeError(`${tag} is not a quant-widgets element`));
  let load = loads.get(name);
  if (!load) {
    load = ELEMENTS[name]().then(() => undefined);
    // A chunk that failed to arrive is tried again by the next define (or the next discovery).
    load.catch(() => loads.delete(name));
    loads.set(name, load);
  }
  return load;
}

let observer: IntersectionObserver | null = null;
const found = new Set<Tag>();

/** After a failed load, a tag is watched again after this long, doubling up to 30 s. */
const retryDelay = new Map<Tag, number>();

function near(entries: IntersectionObserverEntry[]): void {
  for (const e of entries) {
    if (!e.isIntersecting) continue;
    observer?.unobserve(e.target);
    const tag = e.target.localName as Tag;
    void define(tag).then(
      () => retryDelay.delete(tag),
      () => {
        // Not loaded (the element stays inert): watched again after a pause, so a file that is
        // missing for good costs a request now and then, not one per frame.
        const delay = retryDelay.get(tag) ?? 2000;
        retryDelay.set(tag, Math.min(delay * 2, 30000));
        // Weakly held: a tag removed meanwhile is not kept alive, and is watched again if re-added.
        const target = new WeakRef(e.target);
        setTimeout(() => {
          const el = target.deref();
          if (el?.isConnected) observer?.observe(el);
        }, delay);
      },
    );
  }
}

function watch(el: Element): void {
  const tag = el.localName;
  if (!isTag(tag) || customElements.get(tag)) return;
  found.add(tag);
  if (el.getAttribute('loading') === 'eager') {
    void define(tag).catch(() => undefined);
    return;
  }
  if (typeof IntersectionObserver === 'undefined') {
    void define(tag).catch(() => undefined);
    return;
  }
  observer ??= new IntersectionObserver(near, { rootMargin: LOAD_MARGIN });
  observer.observe(el);
}

const SELECTOR = TAGS.join(',');
const roots = new WeakSet<Node>();

/**
 * Finds the kit's tags under `root` (a document, a shadow root or an element) now and as they are
 * added later. The document is discovered on load; call this for shadow roots of your own.
 */
export function discover(root: Document | ShadowRoot | Element = document): void {
  scan(root);
  if (roots.has(root)) return;
  roots.add(root);
  adoptSizes(root instanceof Element ? null : root);
  new MutationObserver((records) => {
    for (const r of records) for (const node of r.addedNodes) if (node instanceof Element) scan(node);
  }).observe(root, { childList: true, subtree: true });
}

function scan(root: Document | ShadowRoot | Element): void {
  if (root instanceof Element && isTag(root.localName)) watch(root);
  root.querySelectorAll(SELECTOR).forEach(watch);
}

/** Resolves once every kit tag discovered so far is defined. */
export async function allDefined(): Promise<void> {
  await Promise.all([...found].map((t) => customElements.whenDefined(t)));
}

let sizes: CSSStyleSheet | null = null;

/** The `:not(:defined)` room of each element (UNDEFINED_HEIGHTS), in the document or a shadow root. */
function adoptSizes(root: Document | ShadowRoot | null): void {
  if (!root || typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in root)) return;
  if (!sizes) {
    sizes = new CSSStyleSheet();
    sizes.replaceSync(undefinedCss());
  }
  if (!root.adoptedStyleSheets.includes(sizes)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sizes];
}

// A module script runs once the page is parsed; tags added later are seen by the observer.
if (typeof document !== 'undefined') discover(document);
