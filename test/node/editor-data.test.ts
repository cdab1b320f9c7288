/**
 * The manifest documents every attribute (SPEC §1), and the editor data generated from it
 * (scripts/editor-data.ts) lists every attribute with its allowed values and is committed current.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { elementsOf, enumValues, generatedFromRepo, type Manifest } from '../../scripts/editor-data.js';

const read = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
const manifest = read('custom-elements.json') as Manifest;
const elements = elementsOf(manifest);
const pkg = read('package.json') as Record<string, unknown>;

interface EditorAttribute {
  name: string;
  values?: { name: string }[];
}
const vscode = read('vscode.html-custom-data.json') as {
  tags: { name: string; attributes: EditorAttribute[] }[];
};
const webTypes = read('web-types.json') as {
  contributions: { html: { elements: { name: string; attributes: EditorAttribute[] }[] } };
};

/** What an attribute's text can be: a word type or string literals (`'a' | 'b'`), not a TS alias. */
const ATTRIBUTE_TYPE = /^(string|number|boolean|'[^']*')( \| (string|number|boolean|'[^']*'))*$/;

describe('custom-elements.json: attributes', () => {
  it('lists every element of src/components', () => {
    const folders = readdirSync('src/components').filter((f) => f.startsWith('quant-'));
    assert.ok(folders.length >= 5);
    assert.deepEqual(
      elements.map((e) => e.tagName),
      folders.sort(),
    );
  });

  for (const el of elements) {
    it(`${el.tagName}: every attribute has a description and the type of its text`, () => {
      assert.ok(el.attributes?.length, 'has attributes');
      for (const attr of el.attributes ?? []) {
        assert.match(attr.name, /^[a-z][a-z0-9-]*$/, `${attr.name} is an attribute name, not a property`);
        assert.ok(attr.description?.trim(), `${attr.name} has a description`);
        assert.match(attr.type?.text ?? '', ATTRIBUTE_TYPE, `${attr.name}'s type is its text's type`);
      }
      const names = (el.attributes ?? []).map((a) => a.name);
      assert.equal(new Set(names).size, names.length, 'no attribute twice');
    });
  }
});

describe('editor data (vscode.html-custom-data.json, web-types.json)', () => {
  it('is referenced from package.json and shipped', () => {
    assert.equal(pkg.customData, './vscode.html-custom-data.json');
    assert.equal(pkg['web-types'], './web-types.json');
    assert.ok((pkg.files as string[]).includes('vscode.html-custom-data.json'));
    assert.ok((pkg.files as string[]).includes('web-types.json'));
  });

  it('is current with custom-elements.json (run `npm run build:manifest` and commit)', () => {
    for (const [file, text] of Object.entries(generatedFromRepo()))
      assert.ok(readFileSync(file, 'utf8') === text, `${file} is stale`);
  });

  const files = {
    vscode: vscode.tags,
    'web-types': webTypes.contributions.html.elements,
  };
  for (const [name, tags] of Object.entries(files)) {
    it(`${name}: every element and attribute, with the allowed values`, () => {
      assert.deepEqual(
        tags.map((t) => t.name),
        elements.map((e) => e.tagName),
      );
      for (const el of elements) {
        const tag = tags.find((t) => t.name === el.tagName)!;
        assert.deepEqual(
          tag.attributes.map((a) => a.name),
          (el.attributes ?? []).map((a) => a.name),
          el.tagName,
        );
        for (const attr of el.attributes ?? []) {
          const listed = tag.attributes.find((a) => a.name === attr.name)!;
          assert.deepEqual(
            (listed.values ?? []).map((v) => v.name),
            enumValues(attr.type?.text),
            `${el.tagName} ${attr.name}`,
          );
        }
      }
    });
  }

  it('completes scheme= and format= with the SPEC §2.1 values', () => {
    const simulator = vscode.tags.find((t) => t.name === 'quant-simulator')!;
    const values = (attr: string) =>
      simulator.attributes.find((a) => a.name === attr)?.values?.map((v) => v.name);
    assert.deepEqual(values('scheme'), ['affine', 'symmetric']);
    assert.deepEqual(values('format'), [
      'int',
      'fp16',
      'bf16',
      'fp8-e4m3',
      'fp8-e5m2',
      'fp4-e2m1',
      'nf4',
      'mxfp4',
      'mxfp8',
      'mxint8',
    ]);
  });
});
