/**
 * Loop counts of the reliability suite: reduced in `npm test` (CI stays under its budget), full
 * in `npm run test:soak` (QW_SOAK=1, injected by web-test-runner.config.mjs).
 */
const soak = (globalThis as { QW_SOAK?: boolean }).QW_SOAK === true;

/** `full` under test:soak, else `ci`. */
export function count(ci: number, full: number): number {
  return soak ? full : ci;
}

export const SOAK = soak;
