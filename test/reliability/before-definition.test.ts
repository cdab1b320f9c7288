/**
 * Properties set before the element is defined (issue 21, lifecycle abuse): a page script that
 * runs before the kit's chunk arrives sets properties on a plain HTMLElement; once the tag is
 * defined they are the element's config, not own properties that shadow its accessors. Each
 * element ends with the result a fresh one with the same attributes gives, and its attributes
 * still drive it afterwards. A subclass under a new name stands in for the tag not defined yet.
 */
import { expect } from '@open-wc/testing';
import { SUBJECTS, create, fieldAttributes, type Widget } from './subjects.js';

describe('properties set before definition', () => {
  for (const subject of SUBJECTS)
    it(`${subject.tag}: taken at upgrade, same result as a fresh element, attributes still work`, async function () {
      this.timeout(120000);
      const properties = new Map(fieldAttributes(subject.tag).map((f) => [f.attribute, f.property]));
      const tag = `${subject.tag}-before`;
      const el = document.createElement(tag) as Widget;
      const config = { ...subject.attributes, ...subject.change };
      for (const [attribute, value] of Object.entries(config)) {
        const property = properties.get(attribute);
        if (property) (el as unknown as Record<string, string>)[property] = value;
        else el.setAttribute(attribute, value); // not a field (e.g. loading): an attribute as a page would
      }
      document.body.append(el);
      const Base = customElements.get(subject.tag)!;
      customElements.define(tag, class extends Base {});
      try {
        await subject.ready(el);
        expect(el.error, `${tag} error`).to.equal(null);
        // No own property left to shadow an accessor.
        for (const attribute of Object.keys(config)) {
          const property = properties.get(attribute);
          if (property) expect(Object.hasOwn(el, property), `own ${property}`).to.equal(false);
        }
        const fresh = create(subject, subject.change);
        try {
          await subject.ready(fresh);
          expect(await subject.key(el)).to.deep.equal(await subject.key(fresh));
        } finally {
          fresh.remove();
        }
        // An attribute change after the upgrade reaches the element (no stale own property).
        const [attribute] = Object.keys(subject.change);
        const property = properties.get(attribute)!;
        const before = (el as unknown as Record<string, unknown>)[property];
        const next = subject.attributes[attribute] ?? (attribute === 'bits' ? '6' : '64');
        el.setAttribute(attribute, next);
        await el.updateComplete;
        expect((el as unknown as Record<string, unknown>)[property]).to.not.deep.equal(before);
      } finally {
        el.remove();
      }
    });
});
