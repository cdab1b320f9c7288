/**
 * Attributes as Lit reactive properties built from the field table (src/core/fields.ts).
 *
 * SPEC §2.3/§4 semantics, which Lit's generated accessors do not give: the attribute is the one
 * source. Setting the property writes the attribute (or removes it for null/undefined); the
 * attribute's text is parsed by the field; a valid value is stored, an invalid one is reported
 * and the last valid value (or the default) stays. Defaults are never written onto the tag.
 * Lit still owns observedAttributes, upgrade of properties set before definition, and updates.
 */
import type { PropertyDeclaration, ReactiveElement } from 'lit';
import {
  CONFIG_FIELDS,
  DEVICE_FIELD,
  WEIGHT_FIELDS,
  choiceField,
  parseWords,
  shapeField,
  type Field,
} from '../core/fields.js';
import { CONFIG_KEYS, type QuantChangeDetail } from './events.js';

export type { Field };

/** What the converter hands the accessor: the attribute's text, marked as such. */
class AttributeText {
  constructor(readonly text: string | null) {}
}

/** The method a host implements to show an attribute's error (a symbol: not public API). */
export const ATTRIBUTE_ERROR = Symbol('attributeError');

/** The host side of a field: where attribute errors go. */
export interface FieldHost extends ReactiveElement {
  /** An attribute's text was rejected (`message`) or is fine again (null). */
  [ATTRIBUTE_ERROR](attribute: string, message: string | null): void;
}

/** Parsed field values per element (the attribute is their source). */
const stores = new WeakMap<FieldHost, Map<PropertyKey, unknown>>();

function store(host: FieldHost): Map<PropertyKey, unknown> {
  let values = stores.get(host);
  if (!values) stores.set(host, (values = new Map()));
  return values;
}

export interface FieldDeclaration<T = unknown> extends PropertyDeclaration<T> {
  field: Field<T>;
}

/** Whether a field property holds a value of its own (a valid attribute), not its default. */
export function hasFieldValue(host: FieldHost, name: PropertyKey): boolean {
  return stores.get(host)?.has(name) ?? false;
}

/** Lit property options for a field; `attribute` is the kebab-case name. */
export function fieldProperty<T>(field: Field<T>, attribute: string): FieldDeclaration<T> {
  return {
    attribute,
    field,
    noAccessor: true,
    converter: { fromAttribute: (text: string | null) => new AttributeText(text) as unknown as T },
    hasChanged: (a, b) => (Array.isArray(a) ? JSON.stringify(a) !== JSON.stringify(b) : a !== b),
  };
}

/** Longest attribute text quoted back in a message (attribute text is rendered as text, never HTML). */
const QUOTE = 60;

/** Bidi controls: marks, embeddings, overrides and isolates (invisible, and they reorder text). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Attribute text (or a URL) as a message quotes it: its first characters, with bidi controls
 * shown as `<U+202E>` (an override in the text would otherwise reverse the rest of the message).
 */
export function quote(text: string): string {
  const visible = text.replace(
    BIDI,
    (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
  return visible.length > QUOTE ? `${visible.slice(0, QUOTE)}…` : visible;
}

export function invalidMessage(attribute: string, text: string, allowed: string): string {
  return `${attribute}="${quote(text)}" is not valid: use ${allowed}.`;
}

/** The accessor of a field property (QuantBase.finalize installs it on the class's prototype). */
export function fieldAccessor(name: PropertyKey, declaration: FieldDeclaration): PropertyDescriptor {
  const { field } = declaration;
  const attribute = declaration.attribute as string;
  return {
    configurable: true,
    enumerable: true,
    get(this: FieldHost) {
      const values = store(this);
      const v = values.has(name) ? values.get(name) : field.default;
      return Array.isArray(v) ? [...v] : v;
    },
    set(this: FieldHost, value: unknown) {
      if (!(value instanceof AttributeText)) {
        // A property set: write the attribute (an empty text, e.g. `[]`, removes it); it comes back
        // here as AttributeText.
        const text =
          value === null || value === undefined
            ? ''
            : typeof value === 'string'
              ? value
              : field.valid(value)
                ? field.format(value)
                : String(value);
        if (text === '' && value !== '') this.removeAttribute(attribute);
        else this.setAttribute(attribute, text);
        return;
      }
      const old = (this as unknown as Record<PropertyKey, unknown>)[name];
      // An optional field (default: no value) takes "" as unset: frameworks render unset bindings so.
      if (value.text === null || (field.default === undefined && value.text.trim() === '')) {
        store(this).delete(name);
      } else {
        const parsed = field.parse(value.text);
        if (parsed === undefined) {
          this[ATTRIBUTE_ERROR](attribute, invalidMessage(attribute, value.text, field.allowed));
          return;
        }
        store(this).set(name, parsed);
      }
      this[ATTRIBUTE_ERROR](attribute, null);
      this.requestUpdate(name, old);
    },
  };
}

/** The config attributes every quantizing element has (SPEC §2.1), by property name. */
export const CONFIG_PROPERTIES = {
  bits: fieldProperty(CONFIG_FIELDS.bits, 'bits'),
  scheme: fieldProperty(CONFIG_FIELDS.scheme, 'scheme'),
  granularity: fieldProperty(CONFIG_FIELDS.granularity, 'granularity'),
  groupSize: fieldProperty(CONFIG_FIELDS.groupSize, 'group-size'),
  rounding: fieldProperty(CONFIG_FIELDS.rounding, 'rounding'),
  calibration: fieldProperty(CONFIG_FIELDS.calibration, 'calibration'),
  percentile: fieldProperty(CONFIG_FIELDS.percentile, 'percentile'),
  format: fieldProperty(CONFIG_FIELDS.format, 'format'),
  seed: fieldProperty(CONFIG_FIELDS.seed, 'seed'),
};

export const SRC_FIELD: Field<string | undefined> = {
  default: undefined,
  allowed: 'a URL of a .npy or JSON file',
  parse: (t) => t.trim() || undefined,
  valid: (v): v is string | undefined => v === undefined || typeof v === 'string',
  format: (v) => v ?? '',
};

export const GROUP_FIELD: Field<string | undefined> = { ...SRC_FIELD, allowed: 'a name' };

/** The attribute name of each config key a group carries (`groupSize` → `group-size`). */
export const GROUP_ATTRIBUTES: Readonly<Record<keyof QuantChangeDetail, string>> = Object.fromEntries(
  CONFIG_KEYS.map((k) => [k, k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)]),
) as Record<keyof QuantChangeDetail, string>;

const GROUP_NAMES = Object.values(GROUP_ATTRIBUTES);

/** `group-fields` (SPEC §2.1 rev. 3): `all`, or the config attributes taken from the group. */
export const GROUP_FIELDS_FIELD: Field<'all' | string[]> = {
  default: 'all',
  allowed: `all, or space-separated names of ${GROUP_NAMES.join(', ')}`,
  parse: (t) =>
    t.trim() === 'all' ? 'all' : parseWords(t, (w) => (GROUP_NAMES.includes(w) ? w : undefined)),
  valid: (v): v is 'all' | string[] =>
    v === 'all' ||
    (Array.isArray(v) &&
      v.length > 0 &&
      new Set(v).size === v.length &&
      v.every((w) => GROUP_NAMES.includes(w as string))),
  format: (v) => (v === 'all' ? 'all' : v.join(' ')),
};

export const LOADING_FIELD = choiceField<'lazy' | 'eager'>('lazy', ['lazy', 'eager']);

/** The weight attributes; `shape`'s default is the element's own. */
export function weightProperties(defaultShape: number[]) {
  return {
    distribution: fieldProperty(WEIGHT_FIELDS.distribution, 'distribution'),
    shape: fieldProperty(shapeField(defaultShape), 'shape'),
    std: fieldProperty(WEIGHT_FIELDS.std, 'std'),
    src: fieldProperty(SRC_FIELD, 'src'),
  };
}

export const RUNTIME_PROPERTIES = {
  loading: fieldProperty(LOADING_FIELD, 'loading'),
  device: fieldProperty(DEVICE_FIELD, 'device'),
  group: fieldProperty(GROUP_FIELD, 'group'),
  groupFields: fieldProperty(GROUP_FIELDS_FIELD, 'group-fields'),
};
