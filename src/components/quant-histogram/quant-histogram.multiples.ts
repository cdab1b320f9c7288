/**
 * How small multiples are laid out, by count: as many in a row as fit, but never a lone panel on
 * the last row (4 → 2×2, never 3 + 1; 3 → 3 in a row, or 1 + 2 with the first panel across; 5 →
 * 3 + 2). Pure rules, and the container queries that apply them (the panels' width is the box's).
 */
import { css, unsafeCSS, type CSSResult } from 'lit';

/** A panel is at least this wide (px), as before: a histogram narrower than this loses its bins. */
export const PANEL_MIN = 260;
/** The gap between panels (the --_space default). */
const GAP = 12;
/** Counts with rules of their own; more than this fill rows as they fit. */
export const MAX_COUNTED = 6;

export interface MultiplesLayout {
  /** Columns of the grid. */
  columns: number;
  /** The first panel spans the whole row (so the rest fill whole rows of two or more). */
  leadSpans: boolean;
}

/** The grid for `count` panels when `fit` panels fit side by side. */
export function multiplesLayout(count: number, fit: number): MultiplesLayout {
  if (fit <= 1 || count <= 1) return { columns: 1, leadSpans: false };
  if (count <= fit) return { columns: count, leadSpans: false };
  // Fewest rows, then the columns that balance them; a remainder of one goes first, across the row.
  const rows = Math.ceil(count / fit);
  const columns = Math.ceil(count / rows);
  return { columns, leadSpans: count % columns === 1 };
}

/** Row lengths of a layout, top to bottom (what the reader sees). */
export function rowsOf(count: number, { columns, leadSpans }: MultiplesLayout): number[] {
  const rows: number[] = [];
  let left = count;
  if (leadSpans && left > 0) {
    rows.push(1);
    left--;
  }
  while (left > 0) {
    rows.push(Math.min(columns, left));
    left -= columns;
  }
  return rows;
}

/** The container width from which `fit` panels fit side by side. */
export const widthFor = (fit: number) => fit * PANEL_MIN + (fit - 1) * GAP;

/** `.charts.multiples[data-count=N]` rules for 2–4 panels a row, as container queries. */
function rules(): string {
  const out: string[] = [];
  for (let fit = 2; fit <= 4; fit++) {
    const inner: string[] = [];
    for (let n = 2; n <= MAX_COUNTED; n++) {
      const { columns, leadSpans } = multiplesLayout(n, fit);
      inner.push(
        `.charts.multiples[data-count='${n}'] { grid-template-columns: repeat(${columns}, minmax(0, 1fr)); }`,
        `.charts.multiples[data-count='${n}'] > :first-child { grid-column: ${leadSpans ? '1 / -1' : 'auto'}; }`,
      );
    }
    out.push(`@container multiples (min-width: ${widthFor(fit)}px) { ${inner.join(' ')} }`);
  }
  return out.join('\n');
}

export const multiplesStyles: CSSResult = css`
  .multiples-box {
    container: multiples / inline-size;
  }
  .charts.multiples {
    grid-template-columns: minmax(0, 1fr);
  }
  /* More than the counted: as many as fit (a last row may be short). */
  .charts.multiples[data-count='many'] {
    grid-template-columns: repeat(auto-fill, minmax(min(100%, ${PANEL_MIN}px), 1fr));
  }
  ${unsafeCSS(rules())}
`;
