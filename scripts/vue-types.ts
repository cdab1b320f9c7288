// src/vue/index.ts generated from custom-elements.json (run by `npm run build:manifest`): Vue's
// `GlobalComponents` entry for each raw tag, so `vue-tsc --strictTemplates` checks a template's
// props (typed as the element's properties, or the attribute text the element parses) and its
// `@quant-x` handlers (each event object typed as the element fires it). Types only: the module is
// empty at run time, so importing it never evaluates DOM code (safe in SSR).
// `tsx scripts/vue-types.ts --check` exits 1 when the committed file differs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Manifest } from './editor-data.js';
import { elementTypings, propName } from './react-wrappers.js';
import { isMain, writeGenerated } from './generated.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const VUE_FILE = 'src/vue/index.ts';

/** The source of src/vue/index.ts for this manifest (`read` reads a file of the repository). */
export function vueSource(manifest: Manifest, read: (file: string) => string): string {
  const { elements, typeImports } = elementTypings(manifest, read);
  const imports = elements.map((el) => `import type { ${el.cls} as ${el.local} } from '${el.entry}';`);
  const typeLines = [...typeImports].map(
    ([module, names]) => `import type { ${[...names].sort().join(', ')} } from '${module}';`,
  );
  const needsEventMap = elements.some((el) => el.events.some((e) => e.type.includes('QuantEventMap')));
  if (needsEventMap) typeLines.push("import type { QuantEventMap } from '../internal/events.js';");

  const entries = elements.flatMap((el) => [
    `    /** \`<${el.tagName}>\`${el.summary ? `: ${el.summary}` : ''} */`,
    `    '${el.tagName}': VueElement<`,
    `      ${el.local},`,
    `      ${el.props.map((p) => `'${p}'`).join(' | ') || 'never'},`,
    `      { ${el.events.map((e) => `${propName(e.name)}: ${e.type}`).join('; ')} }`,
    `    >;`,
  ]);
  return [
    '/**',
    ' * quant-widgets/vue: Vue `GlobalComponents` types for the raw tags, so `vue-tsc --strictTemplates`',
    ' * checks `<quant-simulator :bits="4" @quant-result="…">`. Types only (an empty module at run time:',
    ' * it registers nothing and is safe to import in SSR); register the elements on the client, and',
    " * tell Vue they are custom elements (`isCustomElement: (tag) => tag.startsWith('quant-')`).",
    ' *',
    ' * Generated from custom-elements.json by scripts/vue-types.ts (`npm run build:manifest`).',
    ' */',
    "import type { HTMLAttributes, PublicProps } from 'vue';",
    ...imports,
    ...typeLines,
    '',
    "/** The element classes, for template refs: `useTemplateRef<QuantSimulatorElement>('sim')`. */",
    `export type { ${elements.map((el) => el.local).join(', ')} };`,
    '',
    '/** The result type of an element (the detail of its `quant-result`). */',
    "type ResultOf<E extends { result: unknown }> = NonNullable<E['result']>;",
    '',
    '/**',
    ' * A value a template may bind to a property: the property type, or text the element parses as',
    ' * its attribute (`bits="4"`, `shape="64x64"`, `compare="2 4 8"`).',
    ' */',
    'type Bindable<T> = T | (T extends number ? `${number}` : T extends readonly unknown[] ? string : never);',
    '',
    '/**',
    ' * A raw tag as Vue sees it (the pattern of Vue\'s guide, "Web Components and TypeScript"): HTML',
    ' * attributes, the settable properties P, and an `onQuantX` handler per `quant-x` event (what',
    ' * `@quant-x` binds).',
    ' */',
    'type VueElement<E extends HTMLElement, P extends keyof E, Events> = new () => E & {',
    '  /** @deprecated For template type checking only: not a property of the element. */',
    '  $props: HTMLAttributes &',
    '    PublicProps & { [K in P]?: Bindable<E[K]> } & { [K in keyof Events]?: (event: Events[K]) => void };',
    '};',
    '',
    "declare module 'vue' {",
    '  interface GlobalComponents {',
    ...entries,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The file as generated from the committed manifest (unformatted: prettier runs after). */
export function vueFromRepo(): string {
  const read = (f: string) => readFileSync(root + f, 'utf8');
  return vueSource(JSON.parse(read('custom-elements.json')) as Manifest, read);
}

if (isMain(import.meta.url)) await writeGenerated(root, { [VUE_FILE]: vueFromRepo() });
