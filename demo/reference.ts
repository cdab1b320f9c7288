/**
 * The attribute reference of "Use it on your page": one table per element of the package's
 * custom-elements.json (attribute, type, default, description), rendered from it at load, so it
 * lists exactly what this build's elements accept.
 */
import { manifestElements, splitDefault, type ManifestElement } from './manifest.js';

/** Text with `code` spans as nodes (the manifest's descriptions are Markdown-ish; never HTML). */
function withCode(text: string): Node[] {
  return text.split('`').map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const code = document.createElement('code');
    code.textContent = part;
    return code;
  });
}

function cell(tag: 'td' | 'th', ...content: (Node | string)[]): HTMLTableCellElement {
  const c = document.createElement(tag);
  c.append(...content);
  return c;
}

function codeOf(text: string): HTMLElement {
  const code = document.createElement('code');
  code.textContent = text;
  return code;
}

/** A type as the manifest writes it, `'a' | 'b'` shown as the values `a | b` (each unbroken). */
function typeOf(text: string): Node[] {
  const values = text.split(' | ').map((v) => v.replace(/^'(.*)'$/, '$1'));
  return values.flatMap((v, i) => (i === 0 ? [codeOf(v)] : [document.createTextNode(' | '), codeOf(v)]));
}

/** A description that only lists the type's values again (`affine` | `symmetric`.) says nothing more. */
function restOf(rest: string, type: string | undefined): string {
  const words = (t: string) => [...new Set(t.split(/[\s`'|.]+/).filter(Boolean))].sort().join(' ');
  return type && type.includes('|') && words(rest) === words(type) ? '' : rest;
}

function elementTable(el: ManifestElement): HTMLElement {
  const table = document.createElement('table');
  table.className = 'reference';
  const caption = document.createElement('caption');
  caption.textContent = `Attributes of <${el.tagName}>`;
  const head = table.createTHead().insertRow();
  for (const h of ['Attribute', 'Type', 'Default', 'Description']) {
    const th = cell('th', h);
    th.scope = 'col';
    head.append(th);
  }
  const body = table.createTBody();
  for (const a of el.attributes ?? []) {
    const { default: def, rest } = splitDefault(a.description);
    const name = cell('th', codeOf(a.name));
    name.scope = 'row';
    const row = body.insertRow();
    row.dataset.attribute = a.name;
    row.append(
      name,
      cell('td', ...(a.type ? typeOf(a.type.text) : ['—'])),
      cell('td', def === undefined ? '—' : codeOf(def)),
      cell('td', ...withCode(restOf(rest, a.type?.text))),
    );
  }
  table.prepend(caption);
  // A table wider than the column scrolls inside this box (keyboard too), not the page.
  const scroller = document.createElement('div');
  scroller.className = 'reference-scroll';
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'region');
  scroller.setAttribute('aria-label', `<${el.tagName}> attributes`);
  scroller.append(table);
  return scroller;
}

/** Fills `container` with a disclosure per element: its description and its table. */
export async function renderReference(container: HTMLElement): Promise<void> {
  let elements: ManifestElement[];
  try {
    elements = await manifestElements();
  } catch (e) {
    container.textContent = `The reference could not be loaded (${e instanceof Error ? e.message : String(e)}).`;
    return;
  }
  const parts: Node[] = [];
  for (const el of elements) {
    // One disclosure per element: ~20 rows each would be the longest part of the article.
    const block = document.createElement('details');
    block.className = 'reference-element';
    block.id = `ref-${el.tagName}`;
    block.dataset.tag = el.tagName;
    const summary = document.createElement('summary');
    const count = el.attributes?.length ?? 0;
    summary.append(codeOf(`<${el.tagName}>`), ` — ${count} attribute${count === 1 ? '' : 's'}`);
    const about = document.createElement('p');
    about.append(...withCode((el.description ?? '').replace(/\s+/g, ' ').trim()));
    block.append(summary, about, elementTable(el));
    parts.push(block);
  }
  container.replaceChildren(...parts);
  container.dataset.state = 'done';
}
