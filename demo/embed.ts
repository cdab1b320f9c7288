/**
 * "Embed this widget": under every kit element on the page, a disclosure with the tag for the
 * widget as the reader has set it up, and a Copy button. Generated from the element itself, so no
 * snippet can drift from its widget: the kit's controls set config properties, which write their
 * attributes (SPEC §2.3), so the element's attributes are its state, and a MutationObserver keeps
 * the snippet in step (the reader's controls, a group partner's change, page code alike).
 *
 * An attribute is left out when its value is the element's default (the property reads the same
 * as on a fresh element of the tag), and so are the page's own wiring: names (`aria-*`), `group`
 * and `group-fields` (a lone copied widget has no group), ids and classes (not attributes of the
 * element). Each snippet carries the script line: a copied snippet works on its own, and pasting
 * two is harmless (a module URL is evaluated once per page).
 */
import { renderReference } from './reference.js';

/** The CDN entry (SPEC §1) as the README writes it: `dist/cdn/` served from the author's site. */
export const SCRIPT_SRC = '/assets/quant-widgets/quant-widgets.js';
export const SCRIPT_LINE = `<script type="module" src="${SCRIPT_SRC}"></script>`;

/** Attributes that wire a widget into this page, not into the reader's. */
const WIRING = new Set(['aria-label', 'aria-labelledby', 'group', 'group-fields']);

/** A tag longer than the script line is written one attribute a line. */
const ONE_LINE = 72;

interface LitClass {
  elementProperties?: Map<PropertyKey, { attribute?: boolean | string }>;
  observedAttributes?: string[];
}

/** The kit's elements on the page (any `quant-*` tag, including ones added after this was written). */
export function kitElements(root: ParentNode = document): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('*')].filter((e) => e.localName.startsWith('quant-'));
}

/** attribute name → property name, from the element class's Lit declarations (`error` → `errorMode`). */
function attributeProperties(el: Element): Map<string, PropertyKey> {
  const ctor = el.constructor as LitClass;
  const map = new Map<string, PropertyKey>();
  for (const [prop, options] of ctor.elementProperties ?? []) {
    if (options.attribute === false) continue;
    const name = typeof options.attribute === 'string' ? options.attribute : String(prop).toLowerCase();
    map.set(name, prop);
  }
  return map;
}

const fresh = new Map<string, Record<PropertyKey, unknown>>();

/** A never-connected element of the tag: its properties read the defaults. */
function defaultsOf(tag: string): Record<PropertyKey, unknown> {
  let el = fresh.get(tag);
  if (!el) fresh.set(tag, (el = document.createElement(tag) as unknown as Record<PropertyKey, unknown>));
  return el;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The attributes a copy of `el` needs to show what it shows now, in the order they are on it. */
export function embedAttributes(el: Element): [string, string][] {
  // Not defined yet: the attributes as authored (this runs again once it is).
  if (!customElements.get(el.localName))
    return [...el.attributes].filter((a) => !WIRING.has(a.name)).map((a) => [a.name, a.value]);
  const props = attributeProperties(el);
  const defaults = defaultsOf(el.localName);
  const live = el as unknown as Record<PropertyKey, unknown>;
  const out: [string, string][] = [];
  for (const { name, value } of el.attributes) {
    const prop = props.get(name);
    if (prop === undefined || WIRING.has(name)) continue;
    if (same(live[prop], defaults[prop])) continue;
    out.push([name, value]);
  }
  return out;
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const written = ([name, value]: [string, string]) => (value === '' ? name : `${name}="${escapeAttr(value)}"`);

/** The element's tag as HTML (one line, or one attribute a line when long). */
export function tagOf(el: Element): string {
  const tag = el.localName;
  const attrs = embedAttributes(el).map(written);
  const line = `<${[tag, ...attrs].join(' ')}></${tag}>`;
  if (line.length <= ONE_LINE) return line;
  return `<${tag}\n${attrs.map((a) => `  ${a}`).join('\n')}\n></${tag}>`;
}

/** What "Embed this widget" shows and copies: the script line, then the tag. */
export function snippetOf(el: Element): string {
  return `${SCRIPT_LINE}\n${tagOf(el)}`;
}

/** Copies `text`; where the Clipboard API is missing or refused, selects it and copies that. */
async function copy(text: string, code: HTMLElement): Promise<boolean> {
  try {
    if (!navigator.clipboard) throw new Error('no Clipboard API');
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const selection = getSelection();
    const range = document.createRange();
    range.selectNodeContents(code);
    selection?.removeAllRanges();
    selection?.addRange(range);
    // Deprecated, but the only copy where the Clipboard API is not (insecure origins, old browsers).
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

const attached = new WeakSet<Element>();

/** Puts an "Embed this widget" disclosure after `el`, kept in step with its attributes. */
export function attachEmbed(el: HTMLElement): HTMLDetailsElement | null {
  if (attached.has(el)) return null;
  attached.add(el);
  const details = document.createElement('details');
  details.className = 'embed';
  // Eighteen "Embed this widget" and "Copy" would sound alike: each also says whose it is.
  const name = el.getAttribute('aria-label') ?? el.localName;
  const summary = document.createElement('summary');
  const whose = document.createElement('span');
  whose.className = 'visually-hidden';
  whose.textContent = `: ${name}`;
  summary.append('Embed this widget', whose);
  const hint = document.createElement('p');
  hint.textContent =
    'The tag for this widget as you have set it: change its controls and the tag follows. The script line is needed once per page; point it at where you put the package (see Use it on your page).';
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  pre.append(code);
  const actions = document.createElement('div');
  actions.className = 'embed-actions';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', `Copy the tag: ${name}`);
  const status = document.createElement('span');
  status.setAttribute('role', 'status');
  status.className = 'embed-status';
  actions.append(button, status);
  details.append(summary, hint, pre, actions);
  el.after(details);

  const update = () => {
    const text = snippetOf(el);
    if (code.textContent !== text) code.textContent = text;
  };
  update();
  void customElements.whenDefined(el.localName).then(update);
  new MutationObserver(update).observe(el, { attributes: true });

  let clear: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', async () => {
    update();
    const ok = await copy(code.textContent ?? '', code);
    // Emptied first, so a second "Copied" is announced again.
    status.textContent = '';
    clearTimeout(clear);
    requestAnimationFrame(() => {
      status.textContent = ok ? 'Copied' : 'Selected: press Ctrl+C (⌘C on a Mac) to copy';
      clear = setTimeout(() => (status.textContent = ''), 4000);
    });
  });
  return details;
}

for (const el of kitElements()) attachEmbed(el);

const reference = document.getElementById('attribute-reference');
if (reference) void renderReference(reference);
