/**
 * The package's custom-elements.json as the article reads it: the attribute reference is rendered
 * from it (demo/reference.ts), never written by hand.
 *
 * Fetched, not imported: `import … with { type: 'json' }` works in Vite, but the test server's
 * esbuild transform drops the import attribute, and the browser refuses a JSON module without
 * it. `new URL(…, import.meta.url)` is served as the file by both dev servers and copied as an
 * asset by the demo build.
 */

export interface ManifestAttribute {
  name: string;
  type?: { text: string };
  description?: string;
  fieldName?: string;
}

export interface ManifestElement {
  tagName: string;
  name: string;
  description?: string;
  attributes?: ManifestAttribute[];
}

interface Manifest {
  modules: { declarations?: (Partial<ManifestElement> & { name: string })[] }[];
}

const MANIFEST_URL = new URL('../custom-elements.json', import.meta.url);

let loaded: Promise<ManifestElement[]> | null = null;

/** The custom elements the manifest declares (each with a tag), in its order. */
export function manifestElements(): Promise<ManifestElement[]> {
  loaded ??= fetch(MANIFEST_URL)
    .then((r) => {
      if (!r.ok) throw new Error(`custom-elements.json: HTTP ${r.status}`);
      return r.json() as Promise<Manifest>;
    })
    .then((m) =>
      m.modules.flatMap((mod) => (mod.declarations ?? []).filter((d): d is ManifestElement => !!d.tagName)),
    );
  return loaded;
}

/**
 * An attribute's default, as its description states it ("… Default 8.", "Default `0.001 0.01`.",
 * "`all` (default), …"), and the description without that sentence; `undefined` when it names none.
 */
export function splitDefault(description = ''): { default: string | undefined; rest: string } {
  const sentence = /(^|\s)Default:?\s+(.+?)\.(?=\s|$)/.exec(description);
  if (sentence) {
    const rest = (
      description.slice(0, sentence.index) + description.slice(sentence.index + sentence[0].length)
    )
      .replace(/\s+/g, ' ')
      .trim();
    return { default: sentence[2].replace(/^`(.*)`$/, '$1'), rest };
  }
  const leading = /^`([^`]+)` \(default\)/.exec(description);
  if (leading) return { default: leading[1], rest: description };
  return { default: undefined, rest: description };
}
