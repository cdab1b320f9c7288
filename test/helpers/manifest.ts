/** The elements of the committed custom-elements.json, as the tests read it (served by the test runner). */
export interface ManifestAttribute {
  name: string;
  fieldName?: string;
  description?: string;
}
export interface ManifestElement {
  tagName: string;
  attributes?: ManifestAttribute[];
}

export async function manifestElements(): Promise<ManifestElement[]> {
  const m = (await (await fetch('/custom-elements.json')).json()) as {
    modules: { declarations?: Partial<ManifestElement>[] }[];
  };
  return m.modules.flatMap((mod) => (mod.declarations ?? []).filter((d) => d.tagName)) as ManifestElement[];
}
