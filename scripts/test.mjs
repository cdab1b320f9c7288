// `npm test`: Node tests of the core, then browser tests (web-test-runner, Debian Chromium).
// Both suites always run; prints "N passed, N failed" and exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { ensureBrowser } from './browser.mjs';

// Find (or, as root with apt, install) Chromium before anything runs, and hand it to the runner.
process.env.CHROME_PATH = ensureBrowser();

const suites = [
  { name: 'node', cmd: [process.execPath, 'scripts/test-node.mjs'] },
  {
    name: 'browser',
    cmd: [process.execPath, 'node_modules/@web/test-runner/dist/bin.js', ...process.argv.slice(2)],
  },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
let ok = true;
for (const suite of suites) {
  const summary = `.tmp/test-summary-${suite.name}-${process.pid}.json`;
  rmSync(summary, { force: true });
  console.log(`\n=== ${suite.name} tests ===`);
  const { status } = spawnSync(suite.cmd[0], suite.cmd.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, QW_TEST_SUMMARY: summary },
  });
  const counts = existsSync(summary)
    ? JSON.parse(readFileSync(summary, 'utf8'))
    : { passed: 0, failed: 1, skipped: 0 };
  rmSync(summary, { force: true });
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  if (status !== 0) ok = false;
  for (const key of Object.keys(totals)) totals[key] += counts[key] ?? 0;
  lines.push(`${suite.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

console.log(`\n${lines.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
