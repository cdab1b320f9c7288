/**
 * Bad attribute text for any field, by what the field is (issue 21): integers, numbers, choices,
 * shapes, word lists. The kind is read from the field itself (its default, its `valid` rule, the
 * words and examples its `allowed` sentence quotes), so a new attribute gets bad values without a
 * table entry. The values are bad by the SPEC's rules, not by the field's parser: a parser that
 * accepts one of them fails the suite.
 */
import type { Field } from '../../src/internal/fields.js';

export type FieldKind = 'free' | 'shape' | 'list' | 'integer' | 'number' | 'choice';

const UNKNOWN = 'no-such-value';

/** Words and quoted examples of the `allowed` sentence, with what the field makes of them. */
function probes(field: Field<unknown>): { text: string; value: unknown }[] {
  const texts = new Set<string>();
  if (field.default !== undefined) texts.add(field.format(field.default));
  for (const m of field.allowed.matchAll(/"([^"]+)"/g)) texts.add(m[1]);
  for (const m of field.allowed.matchAll(/[A-Za-z0-9][\w.-]*/g)) texts.add(m[0].replace(/[.]$/, ''));
  return [...texts].flatMap((text) => {
    const value = field.parse(text);
    return value === undefined ? [] : [{ text, value }];
  });
}

/** Whether the field takes any text at all (a URL, a name, a boolean's presence). */
const takesAnything = (field: Field<unknown>) =>
  field.parse('any text, even ☃ <b>') !== undefined && field.parse('1') !== undefined;

export function kindsOf(field: Field<unknown>): FieldKind[] {
  if (takesAnything(field)) return ['free'];
  const d = field.default;
  if (Array.isArray(d) && /^\d+x\d+$/.test(field.format(d)) && field.parse('2x3') !== undefined)
    return ['shape'];
  const parsed = probes(field);
  if (parsed.some((p) => Array.isArray(p.value))) return ['list'];
  const kinds: FieldKind[] = [];
  if (typeof d === 'number' && (!Number.isInteger(d) || field.valid(d + 0.5))) kinds.push('number');
  else if (integerRange(field)) kinds.push('integer');
  if (parsed.some((p) => typeof p.value === 'string')) kinds.push('choice');
  return kinds;
}

/** The integers `valid` accepts, [lo, hi], found by search from one it accepts; null if none. */
export function integerRange(field: Field<unknown>): [number, number] | null {
  const seeds = [field.default, ...Array.from({ length: 65 }, (_, i) => i), 256, 1024].filter(
    (v): v is number => typeof v === 'number' && Number.isInteger(v),
  );
  const start = seeds.find((k) => field.valid(k));
  if (start === undefined) return null;
  const edge = (dir: 1 | -1) => {
    // Doubling steps out to the first rejected integer, then bisection back to the edge.
    let inside = start;
    let step = 1;
    let outside: number | null = null;
    while (outside === null) {
      const k = start + dir * step;
      if (!Number.isSafeInteger(k) || !field.valid(k)) outside = Number.isSafeInteger(k) ? k : dir * 2 ** 53;
      else inside = k;
      step *= 2;
    }
    while (Math.abs(outside - inside) > 1) {
      const mid = Math.trunc((inside + outside) / 2);
      if (field.valid(mid)) inside = mid;
      else outside = mid;
    }
    return inside;
  };
  return [edge(-1), edge(1)];
}

/** "" is bad unless it is the default's own text (`compare`: one chart) or the field is optional. */
const emptyIsBad = (field: Field<unknown>) =>
  field.default !== undefined && field.format(field.default) !== '';

function integerValues(field: Field<unknown>): string[] {
  const [lo, hi] = integerRange(field)!;
  const k = Math.min(Math.max(8, lo), hi);
  // |2^53| is past every integer field's end (parseInteger refuses unsafe integers).
  const below = lo - 1 >= -(2 ** 53) ? lo - 1 : -(2 ** 53);
  return [BigInt(below).toString(), (BigInt(hi) + 1n).toString(), `${k}.5`, `${k}px`, `0x${k}`, `${k}.0`];
}

function numberValues(field: Field<unknown>): string[] {
  const d = field.default as number;
  const outside = [-1, 0, 50, 100.5, 1e30, 1e31].filter((n) => !field.valid(n)).slice(0, 4);
  return ['NaN', 'Infinity', '-Infinity', '1e999', `${d}px`, `${d},5`, ...outside.map(String)];
}

function choiceValues(field: Field<unknown>): string[] {
  const words = probes(field)
    .filter((p) => typeof p.value === 'string')
    .map((p) => p.text);
  const out = [UNKNOWN, `${words[0]} ${words[0]}`];
  const upper = words.find((w) => w.toUpperCase() !== w);
  if (upper) out.push(upper.toUpperCase());
  return out;
}

const SHAPE_VALUES = ['0x4', '4097x1', '4096x4096', '4x4x4', '4.5x4', '-4x4', 'x4', '4x', '8px', '4 4'];

function listValues(field: Field<unknown>): string[] {
  const found = probes(field);
  const lists = found.filter((p) => Array.isArray(p.value) && p.text.trim() !== '');
  // Single words that are a list on their own: a set of words, where a repeat is the mistake.
  const words = lists.filter((p) => !/\s/.test(p.text)).map((p) => p.text);
  const examples = lists.filter((p) => /\s/.test(p.text)).map((p) => p.text);
  const example = examples[0] ?? words[0];
  const out = [`${example} ${UNKNOWN}`, ',', `${example.replace(/\S+$/, 'NaN')}`];
  if (words.length > 0) out.push(`${words[0]} ${words[0]}`, `${words[0]},${words[0]}`);
  else out.push(`${example} ${example.split(/\s+/).at(-1)}`); // a fixed-length list, one too many
  const upper = [...examples, ...words].find((t) => t.toUpperCase() !== t);
  if (upper) out.push(upper.toUpperCase());
  // A keyword default (`all`, `auto`) cannot be mixed with the list's words.
  const keyword = found.find((p) => typeof p.value === 'string');
  if (keyword && words.length > 0) out.push(`${keyword.text} ${words[0]}`);
  return out;
}

/** Bad attribute text for `field`, each distinct; none for a field that takes any text. */
export function badValues(field: Field<unknown>): string[] {
  const out: string[] = [];
  for (const kind of kindsOf(field)) {
    if (kind === 'integer') out.push(...integerValues(field));
    if (kind === 'number') out.push(...numberValues(field));
    if (kind === 'choice') out.push(...choiceValues(field));
    if (kind === 'shape') out.push(...SHAPE_VALUES);
    if (kind === 'list') out.push(...listValues(field));
  }
  if (out.length > 0 && emptyIsBad(field)) out.push('', '   ');
  return [...new Set(out)];
}
