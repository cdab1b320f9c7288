/**
 * The article's figure and claim markup, parsed (no DOM, no kit): shared by the page script
 * (demo/figures.ts) and the test that recomputes every claim (test/article-claims.test.ts), so
 * both read the markup the same way. Predicates are parsed, never evaluated as script: a page
 * under a strict Content-Security-Policy runs them too.
 */

/** A figure's or claim's config: the JSON of `data-config` on it and its ancestors, merged. */
export type FigureConfig = Record<string, unknown> & { vs?: Record<string, unknown> };

export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** One predicate `name op number`. */
export interface Predicate {
  name: string;
  op: Op;
  value: number;
  /** The predicate as written. */
  text: string;
}

const PREDICATE = /^\s*([A-Za-z][\w]*)\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i;

/** `a >= 0.9; b == 0` → its predicates; throws on anything else (a typo must not pass silently). */
export function parseClaim(text: string): Predicate[] {
  return text
    .split(';')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const m = PREDICATE.exec(part);
      if (!m)
        throw new SyntaxError(`data-claim "${part.trim()}" is not "name op number" (op: < <= > >= == !=)`);
      return { name: m[1], op: m[2] as Op, value: Number(m[3]), text: part.trim() };
    });
}

export function holds({ op, value }: Predicate, x: number): boolean {
  switch (op) {
    case '<':
      return x < value;
    case '<=':
      return x <= value;
    case '>':
      return x > value;
    case '>=':
      return x >= value;
    case '==':
      return x === value;
    case '!=':
      return x !== value;
  }
}

/** Parses one `data-config` value: a JSON object, or a SyntaxError naming the text. */
export function parseConfig(text: string): FigureConfig {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new SyntaxError(`data-config is not JSON: ${text}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new SyntaxError(`data-config is not a JSON object: ${text}`);
  return v as FigureConfig;
}

/** Merges configs outermost first: an inner key replaces an outer one (`vs` merges key by key). */
export function mergeConfigs(configs: FigureConfig[]): FigureConfig {
  const out: FigureConfig = {};
  for (const c of configs) {
    const { vs, ...rest } = c;
    Object.assign(out, rest);
    if (vs) out.vs = { ...out.vs, ...vs };
  }
  return out;
}

/** The merged config of an element (its own `data-config` and its ancestors'). */
export function configOf(el: Element): FigureConfig {
  const chain: FigureConfig[] = [];
  for (let e: Element | null = el; e; e = e.parentElement) {
    const text = e.getAttribute('data-config');
    if (text) chain.unshift(parseConfig(text));
  }
  return mergeConfigs(chain);
}

/** Minus sign, not hyphen, as typeset. */
const signed = (s: string) => s.replace(/^-/, '−');

/**
 * The width, in `ch`, a figure of `format` usually takes (a sign, one or two leading digits, a small error's zeros): its
 * "—" keeps this room, so the sentence does not reflow when the number arrives.
 */
export function figureWidth(format: string): number {
  let m: RegExpExecArray | null;
  if ((m = /^%(\d)$/.exec(format))) return 3 + Number(m[1]) + (m[1] === '0' ? 0 : 1);
  // "0.00" before N significant digits, as small errors are written.
  if ((m = /^g(\d{1,2})$/.exec(format))) return Number(m[1]) + 4;
  if ((m = /^(\d)$/.exec(format))) return 3 + Number(m[1]);
  // A verdict: the shortest answer's room (the longest's would leave a gap of blanks around the
  // short one, and a long answer wraps anyway); the line re-wraps once, when it is measured.
  if (format.startsWith('pick:'))
    return Math.min(
      ...format
        .slice(5)
        .split('|')
        .map((w) => w.length),
    );
  return 2;
}

/**
 * A counted figure with its noun (`data-plural="prediction|predictions"`): "1 prediction",
 * "0 predictions", "2 predictions"; without a plural spec, the figure alone.
 */
export function withNoun(text: string, x: number, plural: string | undefined): string {
  if (plural === undefined) return text;
  const [one, many] = plural.split('|');
  if (many === undefined) throw new SyntaxError(`data-plural "${plural}" is not "one|many"`);
  return `${text} ${x === 1 ? one : many}`;
}

/**
 * A figure as shown, by `data-format`: `%N` a share as a percentage with N decimals, `N` N
 * decimals, `gN` N significant digits, `int` an integer with thousands separators; `pick:a|b|c`
 * the words at index x (a verdict figure: 0, 1, 2), so a sentence can say what a measurement means.
 */
export function formatFigure(x: number, format: string): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : 'n/a';
  let m: RegExpExecArray | null;
  if ((m = /^%(\d)$/.exec(format))) return `${signed((x * 100).toFixed(Number(m[1])))}%`;
  if ((m = /^g(\d{1,2})$/.exec(format))) return signed(Number(x.toPrecision(Number(m[1]))).toString());
  if (format === 'int') return signed(Math.round(x).toLocaleString('en-US'));
  if ((m = /^(\d)$/.exec(format))) return signed(x.toFixed(Number(m[1])));
  if (format.startsWith('pick:')) {
    const words = format.slice(5).split('|');
    if (!Number.isInteger(x) || x < 0 || x >= words.length)
      throw new RangeError(`data-format "${format}" has no words for ${x}`);
    return words[x];
  }
  throw new SyntaxError(`data-format "${format}": use %N, N, gN, int or pick:a|b`);
}
