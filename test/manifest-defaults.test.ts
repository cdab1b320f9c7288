/**
 * The defaults custom-elements.json states ("Default X." in an attribute's description, which the
 * attribute reference, the editor data and the README show) are the elements' real defaults: an
 * element given the stated value as its attribute has the same property as one given nothing.
 */
import { expect } from '@open-wc/testing';
import '../src/index.js';
import { splitDefault } from '../demo/manifest.js';
import { manifestElements } from './helpers/manifest.js';

describe('custom-elements.json defaults', () => {
  it('every stated default is what the element uses when the attribute is absent', async () => {
    const elements = await manifestElements();
    expect(elements.length).to.be.at.least(6);
    const wrong: string[] = [];
    let checked = 0;
    for (const { tagName, attributes = [] } of elements) {
      for (const a of attributes) {
        const stated = splitDefault(a.description).default;
        // Attributes documented with @attr on a base class carry no fieldName: the property is the camelCase name.
        const field = a.fieldName ?? a.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        if (stated === undefined || a.name.startsWith('aria-')) continue;
        // Unconnected: attributes convert to properties, no session starts.
        const plain = document.createElement(tagName) as unknown as Record<string, unknown>;
        const given = document.createElement(tagName);
        given.setAttribute(a.name, stated);
        if (!(field in plain)) {
          wrong.push(`<${tagName} ${a.name}>: no property ${field}`);
          continue;
        }
        const [want, got] = [plain[field], (given as unknown as Record<string, unknown>)[field]];
        checked++;
        if (JSON.stringify(want) !== JSON.stringify(got))
          wrong.push(
            `<${tagName} ${a.name}>: states "${stated}" (${JSON.stringify(got)}), uses ${JSON.stringify(want)}`,
          );
      }
    }
    expect(wrong).to.deep.equal([]);
    expect(checked, 'defaults checked').to.be.above(60);
  });
});
