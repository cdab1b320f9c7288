/**
 * quant-widgets/react (src/react/index.ts) is generated from custom-elements.json: it is current,
 * and every element has its wrapper, an `onQuant…` prop per event it fires and a JSX entry.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { format, resolveConfig } from 'prettier';
import { elementsOf, type Manifest } from '../../scripts/editor-data.js';
import { REACT_FILE, propName, reactFromRepo } from '../../scripts/react-wrappers.js';

const source = readFileSync(REACT_FILE, 'utf8');
const elements = elementsOf(JSON.parse(readFileSync('custom-elements.json', 'utf8')) as Manifest);

describe('quant-widgets/react', () => {
  it('is current with custom-elements.json (run `npm run build:manifest` and commit)', async () => {
    const expected = await format(reactFromRepo(), {
      ...(await resolveConfig(REACT_FILE)),
      filepath: REACT_FILE,
    });
    assert.ok(source === expected, `${REACT_FILE} is stale`);
  });

  it('names event props onQuantResult, onQuantChange, onQuantError, onQuantSelect …', () => {
    assert.equal(propName('quant-result'), 'onQuantResult');
    assert.equal(propName('quant-select'), 'onQuantSelect');
    assert.equal(propName('quant-progress'), 'onQuantProgress');
  });

  for (const el of elements) {
    it(`${el.tagName}: a wrapper ${el.name} with every event, and a JSX entry`, () => {
      const wrapper = new RegExp(`export const ${el.name} = createComponent\\(\\{[^]*?\\n\\}\\);`).exec(
        source,
      )?.[0];
      assert.ok(wrapper, `export const ${el.name}`);
      assert.match(wrapper, new RegExp(`tagName: '${el.tagName}'`));
      for (const e of el.events ?? []) assert.match(wrapper, new RegExp(`${propName(e.name)}: '${e.name}'`));
      assert.match(source, new RegExp(`'${el.tagName}': RawElementProps<`));
    });
  }

  it('is the package export "./react", built into dist/lib/react', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    assert.equal(pkg.exports['./react'].import, './dist/lib/react/index.js');
    assert.equal(pkg.exports['./react'].types, './dist/lib/react/index.d.ts');
    const build = JSON.parse(readFileSync('tsconfig.build.json', 'utf8'));
    assert.equal(build.compilerOptions.rootDir, 'src');
    assert.ok(build.include.includes('src'));
    assert.equal(pkg.peerDependenciesMeta.react.optional, true);
  });
});
