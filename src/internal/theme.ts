/**
 * Light or dark (SPEC §5): the page's choice when it makes one, else the reader's. The tokens are
 * `light-dark()` pairs, so an element's `color-scheme` is all a switch takes; this module decides
 * that scheme and tells elements when it (or a page token) changes, so canvases repaint.
 *
 * The page's choice, nearest ancestor first (shadow roots crossed): a class or attribute of the
 * docs-site conventions (VitePress `.dark`, Docusaurus and Starlight `[data-theme]`, Bootstrap
 * `[data-bs-theme]`, Shoelace `.sl-theme-dark`), else the `color-scheme` the element inherits
 * (`dark` or `light` alone). `normal` or `light dark` leave it to `prefers-color-scheme`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type ColorScheme = 'light' | 'dark';

const CLASSES: Record<string, ColorScheme> = {
  dark: 'dark',
  light: 'light',
  'theme-dark': 'dark',
  'theme-light': 'light',
  'sl-theme-dark': 'dark',
  'sl-theme-light': 'light',
};
const ATTRIBUTES = ['data-theme', 'data-bs-theme', 'data-color-scheme', 'data-mode'];

function parentOf(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const root = el.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/** The scheme the nearest ancestor names by class or attribute, or null. */
function namedScheme(el: Element): ColorScheme | null {
  for (let node = parentOf(el); node; node = parentOf(node)) {
    for (const name of ATTRIBUTES) {
      const v = node.getAttribute(name)?.trim().toLowerCase();
      if (v === 'dark' || v === 'light') return v;
    }
    for (const c of node.classList) if (c in CLASSES) return CLASSES[c];
  }
  return null;
}

/** `dark` or `light` when a `color-scheme` value allows only that one, else null. */
export function declaredScheme(colorScheme: string): ColorScheme | null {
  const words = colorScheme.split(/\s+/);
  const dark = words.includes('dark');
  const light = words.includes('light');
  return dark === light ? null : dark ? 'dark' : 'light';
}

const media = () => window.matchMedia?.('(prefers-color-scheme: dark)');

/** The scheme `el` shows (see the module comment). */
export function schemeOf(el: Element): ColorScheme {
  const named = namedScheme(el);
  if (named) return named;
  const parent = parentOf(el);
  const inherited = parent ? declaredScheme(getComputedStyle(parent).colorScheme) : null;
  return inherited ?? (media()?.matches ? 'dark' : 'light');
}

/**
 * `value` with every `light-dark(a, b)` replaced by its `scheme` branch: canvases need a colour,
 * and a custom property's computed value keeps the function unresolved.
 */
export function pickScheme(value: string, scheme: ColorScheme): string {
  const start = value.indexOf('light-dark(');
  if (start < 0) return value;
  let depth = 0;
  let comma = -1;
  let end = -1;
  for (let i = start + 'light-dark('.length; i < value.length && end < 0; i++) {
    const ch = value[i];
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) end = i;
      else depth--;
    } else if (ch === ',' && depth === 0 && comma < 0) comma = i;
  }
  if (end < 0 || comma < 0) return value;
  const inner = start + 'light-dark('.length;
  const branch = scheme === 'light' ? value.slice(inner, comma) : value.slice(comma + 1, end);
  return pickScheme(value.slice(0, start) + branch.trim() + value.slice(end + 1), scheme);
}

// ---- one watcher for the page: attribute changes anywhere, and the reader's preferences ----
const listeners = new Set<() => void>();
let observer: MutationObserver | null = null;
/** The queries listened to (the same objects: a new matchMedia() would not remove a listener). */
let queries: MediaQueryList[] = [];
let frame = 0;

function notify(): void {
  if (frame) return;
  // One check per frame, however many mutations a toggle makes.
  frame = requestAnimationFrame(() => {
    frame = 0;
    for (const l of [...listeners]) l();
  });
}

function watch(listener: () => void): () => void {
  listeners.add(listener);
  if (!observer) {
    observer = new MutationObserver(notify);
    observer.observe(document.documentElement, {
      attributes: true,
      subtree: true,
      attributeFilter: ['class', 'style', ...ATTRIBUTES],
    });
    queries = ['(prefers-color-scheme: dark)', '(forced-colors: active)'].flatMap(
      (q) => window.matchMedia?.(q) ?? [],
    );
    for (const q of queries) q.addEventListener('change', notify);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0 || !observer) return;
    observer.disconnect();
    observer = null;
    for (const q of queries) q.removeEventListener('change', notify);
    queries = [];
  };
}

export interface ThemeHost extends ReactiveControllerHost, HTMLElement {
  /** Draws the canvases again from the current result. */
  redraw(): void;
}

/**
 * Keeps the host's `color-scheme` (custom state `:state(dark)` / `:state(light)`) and asks for a
 * redraw when the scheme or any of its resolved tokens change.
 */
export class ThemeController implements ReactiveController {
  readonly #host: ThemeHost;
  readonly #states: CustomStateSet | null;
  #scheme: ColorScheme | null = null;
  #tokens = '';
  #unwatch: (() => void) | null = null;

  constructor(host: ThemeHost, internals: ElementInternals | null) {
    this.#host = host;
    this.#states = internals?.states ?? null;
    host.addController(this);
  }

  /** The scheme the host shows now. */
  get scheme(): ColorScheme {
    return this.#scheme ?? 'light';
  }

  hostConnected(): void {
    this.#unwatch = watch(() => this.check());
    this.check();
  }

  hostDisconnected(): void {
    this.#unwatch?.();
    this.#unwatch = null;
  }

  /** Re-reads the scheme and tokens; redraws the host when they changed. */
  check(): void {
    const scheme = schemeOf(this.#host);
    if (scheme !== this.#scheme) {
      this.#states?.delete(this.#scheme ?? 'light');
      this.#states?.add(scheme);
    }
    const tokens = `${scheme}|${tokenValues(this.#host)}`;
    const first = this.#scheme === null;
    const changed = tokens !== this.#tokens;
    this.#scheme = scheme;
    this.#tokens = tokens;
    if (changed && !first) this.#host.redraw();
  }
}

/**
 * The host's custom properties as one string (what its canvases could read). All of them: the
 * private tokens canvases read live on inner elements (the heatmap's `.view`), so only the public
 * ones inherited by the host show a page's change.
 */
function tokenValues(el: Element): string {
  const cs = getComputedStyle(el);
  const out: string[] = [];
  for (let i = 0; i < cs.length; i++) {
    const name = cs[i];
    if (name.startsWith('--')) out.push(`${name}:${cs.getPropertyValue(name)}`);
  }
  return out.join(';');
}
