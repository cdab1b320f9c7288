/**
 * The keys of every selectable grid in the kit (simulator matrices, heatmap), in one place:
 * arrows move one cell, Home/End to the row's ends, Ctrl+Home/End to the grid's corners,
 * PageUp/PageDown a page of rows; Enter and Space select. Movement stops at the edges.
 */
export interface Cell {
  row: number;
  col: number;
}

export type GridKeyAction = { move: Cell } | { select: true } | null;

export interface GridKeyOptions {
  rows: number;
  cols: number;
  /** Rows one PageUp/PageDown moves (default 8). */
  page?: number;
}

/** What a key does at `at`; null for keys the grid does not handle. */
export function gridKey(
  key: string,
  at: Cell,
  { rows, cols, page = 8 }: GridKeyOptions,
  ctrl = false,
): GridKeyAction {
  if (key === 'Enter' || key === ' ') return { select: true };
  const clamp = (row: number, col: number): Cell => ({
    row: Math.min(rows - 1, Math.max(0, row)),
    col: Math.min(cols - 1, Math.max(0, col)),
  });
  const { row, col } = at;
  switch (key) {
    case 'ArrowLeft':
      return { move: clamp(row, col - 1) };
    case 'ArrowRight':
      return { move: clamp(row, col + 1) };
    case 'ArrowUp':
      return { move: clamp(row - 1, col) };
    case 'ArrowDown':
      return { move: clamp(row + 1, col) };
    case 'Home':
      return { move: ctrl ? clamp(0, 0) : clamp(row, 0) };
    case 'End':
      return { move: ctrl ? clamp(rows - 1, cols - 1) : clamp(row, cols - 1) };
    case 'PageUp':
      return { move: clamp(row - page, col) };
    case 'PageDown':
      return { move: clamp(row + page, col) };
    default:
      return null;
  }
}

/** Applies gridKey to a keyboard event: prevents the default of handled keys. */
export function handleGridKey(e: KeyboardEvent, at: Cell, options: GridKeyOptions): GridKeyAction {
  const action = gridKey(e.key, at, options, e.ctrlKey || e.metaKey);
  if (action) e.preventDefault();
  return action;
}
