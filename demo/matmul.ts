/**
 * The #matmul section's worked example: the reader picks a seed and a bit width; the block shows
 * the codes of A and W, the four terms of the int32 accumulator, and that rescaling their sum
 * gives the float matmul of the dequantized operands (demo/matmul-example.ts computes it with the
 * core's quantizedMatmul). Plain DOM: text only, no HTML from numbers.
 */
import { matmulExample, maxDeviation, N, type MatmulExample } from './matmul-example.js';

const SEED_MAX = 4294967295;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

const signed = (x: number | string) => String(x).replace(/^-/, '−');
const fixed = (x: number, d = 4) => signed(x.toFixed(d));

/** Text with subscripts: `sub('a')` parts become <sub> elements. */
type Part = string | { sub: string };
const sub = (text: string): Part => ({ sub: text });
function rich(parts: Part[]): Node[] {
  return parts.map((p) => (typeof p === 'string' ? document.createTextNode(p) : el('sub', p.sub)));
}

/** A small matrix as a table: `rows` × `cols` values, captioned. */
function matrix(
  caption: Part[],
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  fmt: (x: number) => string = signed,
) {
  const figure = el('figure', undefined, 'mm-matrix');
  const table = el('table');
  const cap = el('caption');
  cap.append(...rich(caption));
  table.append(cap);
  const body = el('tbody');
  for (let i = 0; i < rows; i++) {
    const tr = el('tr');
    for (let j = 0; j < cols; j++) tr.append(el('td', fmt(values[i * cols + j])));
    body.append(tr);
  }
  table.append(body);
  figure.append(table);
  return figure;
}

/**
 * Draws the example; `blank` draws its layout with "—" for every number, before the numerics have
 * run, so the block has its final size from the start and nothing below it moves (layout shift).
 */
function render(out: HTMLElement, e: MatmulExample, blank = false): void {
  const { result: r } = e;
  const v = blank ? () => '—' : (x: string) => x;
  const int = blank ? () => '—' : signed;
  const dec = blank ? () => '—' : (x: number) => fixed(x);
  const [sa, za, sw, zw] = [r.a.scale[0], r.a.zeroPoint[0], r.b.scale[0], r.b.zeroPoint[0]];
  const operands = el('div', undefined, 'mm-row');
  operands.append(
    matrix(
      [
        'q',
        sub('a'),
        ', codes of A (s',
        sub('a'),
        ` = ${v(sa.toPrecision(4))}, z`,
        sub('a'),
        ` = ${v(String(za))})`,
      ],
      r.a.codes,
      N,
      N,
      int,
    ),
    matrix(
      [
        'q',
        sub('w'),
        ', codes of W (s',
        sub('w'),
        ` = ${v(sw.toPrecision(4))}, z`,
        sub('w'),
        ` = ${v(String(zw))})`,
      ],
      r.b.codes,
      N,
      N,
      int,
    ),
  );
  const terms = el('div', undefined, 'mm-row');
  terms.append(
    matrix(['① Σ', sub('k'), ' q', sub('a'), 'q', sub('w'), ': the integer matmul'], e.products, N, N, int),
    matrix(
      ['② z', sub('w'), 'Σ', sub('k'), ' q', sub('a'), ': row sums of A, at run time'],
      e.termA,
      N,
      N,
      int,
    ),
    matrix(
      ['③ z', sub('a'), 'Σ', sub('k'), ' q', sub('w'), ': column sums of W, offline'],
      e.termW,
      N,
      N,
      int,
    ),
  );
  const result = el('div', undefined, 'mm-row');
  result.append(
    matrix(
      [
        'C = ① − ② − ③ + ④, int32 (④ = K z',
        sub('a'),
        'z',
        sub('w'),
        ` = ${N}·${v(String(za))}·${v(String(zw))} = ${v(String(e.constant))})`,
      ],
      e.acc,
      N,
      N,
      int,
    ),
    matrix(['s', sub('a'), 's', sub('w'), '·C'], e.rescaled, N, N, dec),
    matrix(['Float matmul of the dequantized A and W'], r.expected, N, N, dec),
  );
  const cell = el('p', undefined, 'mm-cell');
  cell.append(
    ...rich([
      'First output: C',
      sub('00'),
      ` = ${int(e.products[0])} − ${int(e.termA[0])} − ${int(e.termW[0])} + ${int(e.constant)} = ${int(e.acc[0])}; times s`,
      sub('a'),
      's',
      sub('w'),
      ` that is ${v(fixed(e.rescaled[0], 6))}, and the float product of the dequantized operands is ${v(fixed(r.expected[0], 6))}.`,
    ]),
  );
  const dev = maxDeviation(e);
  const verdict = el(
    'p',
    `Largest difference over the 16 outputs: ${v(dev === 0 ? '0' : dev.toPrecision(2))} (float32 rounding) — the integer path computes the same product.`,
    'mm-verdict',
  );
  out.replaceChildren(operands, terms, result, cell, verdict);
}

/** A stand-in of the example's shape, drawn blank until the numbers arrive. */
function placeholder(): MatmulExample {
  const z = () => new Int32Array(N * N);
  const q = { codes: z(), scale: Float32Array.of(0), zeroPoint: Int32Array.of(0) };
  const result = { a: q, b: q, output: new Float32Array(N * N), expected: new Float32Array(N * N) };
  return {
    seed: 0,
    bits: 8,
    result: result as unknown as MatmulExample['result'],
    products: z(),
    rowSums: new Int32Array(N),
    colSums: new Int32Array(N),
    termA: z(),
    termW: z(),
    constant: 0,
    acc: z(),
    rescaled: new Float32Array(N * N),
  };
}

for (const block of document.querySelectorAll<HTMLElement>('[data-matmul-demo]')) {
  const seed = block.querySelector<HTMLInputElement>('input[name="seed"]')!;
  const bits = block.querySelector<HTMLInputElement>('input[name="bits"]')!;
  const bitsOut = block.querySelector<HTMLOutputElement>('output[name="bits-value"]')!;
  const out = block.querySelector<HTMLElement>('.mm-out')!;
  const status = block.querySelector<HTMLElement>('.mm-status')!;
  render(out, placeholder(), true);
  let latest = 0;
  const update = async () => {
    const s = Number(seed.value);
    const b = Number(bits.value);
    bitsOut.value = String(b);
    if (!Number.isInteger(s) || s < 0 || s > SEED_MAX) {
      status.textContent = `The seed is an integer from 0 to ${SEED_MAX}.`;
      return;
    }
    const mine = ++latest;
    status.textContent = 'Computing…';
    try {
      const e = await matmulExample(s, b);
      if (mine !== latest) return;
      render(out, e);
      status.textContent = `Seed ${s}, ${b} bits, affine per tensor.`;
      block.dataset.state = 'done';
    } catch (err) {
      if (mine !== latest) return;
      status.textContent = `Not computed: ${err instanceof Error ? err.message : String(err)}`;
      block.dataset.state = 'failed';
    }
  };
  seed.addEventListener('change', () => void update());
  bits.addEventListener('input', () => void update());
  // Computes when it nears the viewport, like the figures.
  const seen = new IntersectionObserver(
    (entries) => {
      if (!entries.some((x) => x.isIntersecting)) return;
      seen.disconnect();
      void update();
    },
    { rootMargin: '300px 0px' },
  );
  seen.observe(block);
}
