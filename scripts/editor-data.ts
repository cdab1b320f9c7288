// Editor data generated from custom-elements.json (run by `npm run build:manifest`):
//   vscode.html-custom-data.json  VS Code's HTML custom data (package.json "customData")
//   web-types.json                JetBrains web-types (package.json "web-types")
// Every attribute with its description; an attribute typed as a union of string literals in its
// `@attr {'a' | 'b'}` JSDoc lists them as its values, so `scheme=` completes in both editors.
// `tsx scripts/editor-data.ts --check` exits 1 when the committed files differ from the manifest.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMain, writeGenerated } from './generated.js';

interface Described {
  name: string;
  description?: string;
  type?: { text: string };
}
interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  summary?: string;
  description?: string;
  attributes?: (Described & { fieldName?: string; default?: string })[];
  events?: Described[];
  cssParts?: Described[];
  cssProperties?: Described[];
}
export interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}

export const EDITOR_FILES = ['vscode.html-custom-data.json', 'web-types.json'] as const;

/** The string literals of a type such as `'a' | 'b'` (none for `number`, `string`, …). */
export function enumValues(type: string | undefined): string[] {
  if (!type) return [];
  return type
    .split('|')
    .map((part) => /^\s*(['"])(.*)\1\s*$/.exec(part)?.[2])
    .filter((v): v is string => v !== undefined);
}

/** The manifest's custom elements, in tag order. */
export function elementsOf(manifest: Manifest): (Declaration & { tagName: string })[] {
  return manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .filter((d): d is Declaration & { tagName: string } => !!d.customElement && !!d.tagName)
    .sort((a, b) => a.tagName.localeCompare(b.tagName));
}

function elementText(el: Declaration): string {
  const events = (el.events ?? []).map((e) => `- \`${e.name}\`: ${e.description ?? ''}`);
  return [el.summary, el.description, events.length ? `Events:\n${events.join('\n')}` : '']
    .filter(Boolean)
    .join('\n\n');
}

function attributeText(attr: Described): string {
  return `${attr.description ?? ''}\n\nType: \`${attr.type?.text ?? 'string'}\``;
}

const isBoolean = (attr: Described) => attr.type?.text === 'boolean';

function vscodeData(manifest: Manifest) {
  return {
    $schema:
      'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: elementsOf(manifest).map((el) => ({
      name: el.tagName,
      description: { kind: 'markdown', value: elementText(el) },
      attributes: (el.attributes ?? []).map((attr) => ({
        name: attr.name,
        description: { kind: 'markdown', value: attributeText(attr) },
        ...(isBoolean(attr) ? { valueSet: 'v' } : {}),
        ...(enumValues(attr.type?.text).length
          ? { values: enumValues(attr.type?.text).map((name) => ({ name })) }
          : {}),
      })),
    })),
  };
}

function webTypes(manifest: Manifest, pkg: { name: string; version: string }) {
  const elements = elementsOf(manifest);
  return {
    $schema: 'https://raw.githubusercontent.com/JetBrains/web-types/master/schema/web-types.json',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    contributions: {
      html: {
        elements: elements.map((el) => ({
          name: el.tagName,
          description: elementText(el),
          attributes: (el.attributes ?? []).map((attr) => ({
            name: attr.name,
            description: attr.description ?? '',
            value: isBoolean(attr)
              ? { kind: 'no-value', type: 'boolean' }
              : { kind: 'plain', type: attr.type?.text ?? 'string' },
            ...(enumValues(attr.type?.text).length
              ? { values: enumValues(attr.type?.text).map((name) => ({ name })) }
              : {}),
          })),
          js: {
            events: (el.events ?? []).map((e) => ({ name: e.name, description: e.description ?? '' })),
          },
        })),
      },
      css: {
        properties: unique(elements.flatMap((el) => el.cssProperties ?? [])),
        'pseudo-elements': unique(elements.flatMap((el) => el.cssParts ?? [])).map((p) => ({
          ...p,
          name: `part(${p.name})`,
        })),
      },
    },
  };
}

/** One entry per name (the shared `--quant-*` tokens and parts are on every element). */
function unique(items: Described[]): { name: string; description: string }[] {
  const byName = new Map<string, string>();
  for (const item of items) if (!byName.has(item.name)) byName.set(item.name, item.description ?? '');
  return [...byName]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, description]) => ({ name, description }));
}

/** File name → the text it should hold. */
export function editorFiles(manifest: Manifest, pkg: { name: string; version: string }) {
  const text = (data: unknown) => `${JSON.stringify(data, null, 2)}\n`;
  return {
    'vscode.html-custom-data.json': text(vscodeData(manifest)),
    'web-types.json': text(webTypes(manifest, pkg)),
  };
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** The files as generated from the committed manifest and package.json. */
export function generatedFromRepo(): Record<(typeof EDITOR_FILES)[number], string> {
  const read = (f: string) => JSON.parse(readFileSync(root + f, 'utf8'));
  return editorFiles(read('custom-elements.json'), read('package.json'));
}

if (isMain(import.meta.url)) await writeGenerated(root, generatedFromRepo());
