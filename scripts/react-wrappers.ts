// src/react/index.ts generated from custom-elements.json (run by `npm run build:manifest`), so a
// new element gets its React wrapper and JSX type with no hand edit: for each element a
// `createComponent` wrapper named like its class, with an `onQuantX` prop per `quant-x` event it
// fires, and a JSX IntrinsicElements entry for the raw tag (React 19 sets properties and listens
// to `onquant-x` on custom elements itself).
// `tsx scripts/react-wrappers.ts --check` exits 1 when the committed file differs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { elementsOf, type Manifest } from './editor-data.js';
import { isMain, writeGenerated } from './generated.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const REACT_FILE = 'src/react/index.ts';

interface Member {
  kind: string;
  name: string;
  readonly?: boolean;
  static?: boolean;
  privacy?: string;
}

/** `quant-result` → `onQuantResult`. */
export const propName = (event: string) =>
  'on' + event.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());

/** The names a module exports (`export { A, type B }`, `export type { C }`, `export interface D`). */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g))
    for (const part of m[1].split(',')) names.add(part.replace(/^\s*type\s+/, '').trim());
  for (const m of text.matchAll(/export\s+(?:interface|type|class)\s+(\w+)/g)) names.add(m[1]);
  return names;
}

/** What a generated typing needs to know of an element (shared with scripts/vue-types.ts). */
export interface ElementTyping {
  tagName: string;
  /** The class name (`QuantSimulator`), and the local alias of the class (`QuantSimulatorElement`). */
  cls: string;
  local: string;
  summary: string | undefined;
  /** The registering entry module, relative to src/<dir>/index.ts. */
  entry: string;
  /** The settable public properties (`bits`, `errorMode`, …). */
  props: string[];
  /** Each `quant-x` event with the TypeScript type of the event object. */
  events: { name: string; type: string }[];
}

/**
 * Every element's typing, and the type imports those types need (module → names). Types name the
 * element class by `local`, `ResultOf<E>` and `QuantEventMap`: the generated file declares them.
 */
export function elementTypings(
  manifest: Manifest,
  read: (file: string) => string,
): { elements: ElementTyping[]; typeImports: Map<string, Set<string>> } {
  const eventsModule = '../internal/events.js';
  const eventTypes = exportedNames(read('src/internal/events.ts'));
  const typeImports = new Map<string, Set<string>>(); // module → type names
  const useType = (module: string, name: string) => {
    if (!typeImports.has(module)) typeImports.set(module, new Set());
    typeImports.get(module)!.add(name);
  };
  const elements = elementsOf(manifest).map((el): ElementTyping => {
    const cls = el.name;
    const local = `${cls}Element`;
    // The element's registering entry (src/components/<tag>/<tag>.ts), beside its component module.
    const entry = `../components/${el.tagName}/${el.tagName}.js`;
    const entryNames = exportedNames(read(`src/components/${el.tagName}/${el.tagName}.ts`));

    const events = (el.events ?? []).filter((e) => /^quant-[a-z-]+$/.test(e.name));
    const eventType = (name: string, type: string | undefined) => {
      if (name === 'quant-result') return `CustomEvent<ResultOf<${local}>>`;
      const detail = /^CustomEvent<(\w+)>$/.exec(type ?? '')?.[1];
      if (detail && entryNames.has(detail)) useType(entry, detail);
      else if (detail && eventTypes.has(detail)) useType(eventsModule, detail);
      else {
        return `QuantEventMap<ResultOf<${local}>>['${name}' & keyof QuantEventMap]`;
      }
      return `CustomEvent<${detail}>`;
    };
    const props = ((el as { members?: Member[] }).members ?? [])
      .filter((m) => m.kind === 'field' && !m.readonly && !m.static && (m.privacy ?? 'public') === 'public')
      .map((m) => m.name);
    return {
      tagName: el.tagName,
      cls,
      local,
      summary: el.summary,
      entry,
      props,
      events: events.map((e) => ({ name: e.name, type: eventType(e.name, e.type?.text) })),
    };
  });
  return { elements, typeImports };
}

/** The source of src/react/index.ts for this manifest (`read` reads a file of the repository). */
export function reactSource(manifest: Manifest, read: (file: string) => string): string {
  const { elements, typeImports } = elementTypings(manifest, read);
  const imports: string[] = [];
  const wrappers: string[] = [];
  const jsx: string[] = [];
  const classes: string[] = [];

  for (const { tagName, cls, local, summary, entry, events: typed, props: names } of elements) {
    imports.push(`import { ${cls} as ${local} } from '${entry}';`);
    const props = names.map((name) => `'${name}'`);

    wrappers.push(
      `/** \`<${tagName}>\` as a React component.${summary ? ` ${summary}` : ''} */`,
      `export const ${cls} = createComponent({`,
      `  react: React,`,
      `  tagName: '${tagName}',`,
      `  elementClass: ${local},`,
      `  displayName: '${cls}',`,
      `  events: {`,
      ...typed.map((e) => `    ${propName(e.name)}: '${e.name}' as EventName<${e.type}>,`),
      `  },`,
      `});`,
      '',
    );
    jsx.push(
      `      '${tagName}': RawElementProps<`,
      `        ${local},`,
      `        ${props.join(' | ') || 'never'},`,
      `        { ${typed.map((e) => `'on${e.name}': ${e.type}`).join('; ')} }`,
      `      >;`,
    );
    classes.push(local);
  }

  const typeLines = [...typeImports].map(
    ([module, names]) => `import type { ${[...names].sort().join(', ')} } from '${module}';`,
  );
  return [
    '/**',
    ' * quant-widgets/react: React wrappers (`@lit/react`) of every element, with typed props and',
    ' * `onQuant…` event props, and JSX types for the raw tags (React 19 handles custom elements itself).',
    ' * Importing it registers the elements.',
    ' *',
    ' * Generated from custom-elements.json by scripts/react-wrappers.ts (`npm run build:manifest`).',
    ' */',
    "import * as React from 'react';",
    "import { createComponent, type EventName } from '@lit/react';",
    ...imports,
    ...typeLines,
    '',
    '/** The element classes, for refs: `useRef<QuantSimulatorElement>(null)`. */',
    `export type { ${classes.join(', ')} };`,
    '',
    '/** The result type of an element (the detail of its `quant-result`). */',
    "type ResultOf<E extends { result: unknown }> = NonNullable<E['result']>;",
    '',
    '/** A raw tag in JSX: HTML attributes, the settable properties P, and `onquant-…` listeners. */',
    'type RawElementProps<E extends HTMLElement, P extends keyof E, Events> = React.DetailedHTMLProps<',
    '  React.HTMLAttributes<E>,',
    '  E',
    '> &',
    '  Partial<Pick<E, P>> & { [K in keyof Events]?: (event: Events[K]) => void };',
    '',
    ...wrappers,
    "declare module 'react' {",
    '  // eslint-disable-next-line @typescript-eslint/no-namespace',
    '  namespace JSX {',
    '    interface IntrinsicElements {',
    ...jsx,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The file as generated from the committed manifest (unformatted: prettier runs after). */
export function reactFromRepo(): string {
  const read = (f: string) => readFileSync(root + f, 'utf8');
  return reactSource(JSON.parse(read('custom-elements.json')) as Manifest, read);
}

if (isMain(import.meta.url)) await writeGenerated(root, { [REACT_FILE]: reactFromRepo() });
