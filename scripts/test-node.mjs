// Run the Node tests of the core (test/node/**/*.test.ts) with node:test + tsx.
// Prints the spec report and exits non-zero on any failure; writes {passed, failed, skipped} as JSON
// to the file named by QW_TEST_SUMMARY when set (scripts/test.mjs uses it for its summary line).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const dir = 'test/node';
const files = existsSync(dir)
  ? readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => join(dir, f))
  : [];

const summaryFile = process.env.QW_TEST_SUMMARY;
const tapFile = `.tmp/node-tests-${process.pid}.tap`;
mkdirSync('.tmp', { recursive: true });
function writeSummary(summary) {
  if (!summaryFile) return;
  mkdirSync(dirname(summaryFile), { recursive: true });
  writeFileSync(summaryFile, JSON.stringify(summary));
}

if (files.length === 0) {
  console.log(`No Node tests found (${dir}/**/*.test.ts).`);
  writeSummary({ passed: 0, failed: 0, skipped: 0 });
  process.exit(0);
}

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: 'inherit' },
);

const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
rmSync(tapFile, { force: true });
function count(key) {
  // The last "# key N" line of the TAP stream is the overall total.
  const matches = [...tap.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))];
  return matches.length ? Number(matches[matches.length - 1][1]) : 0;
}
const passed = count('pass');
const failed = count('fail') + count('cancelled');
const skipped = count('skipped') + count('todo');
const exitCode = result.status ?? 1;
// A crash before any test reported still counts as a failure.
writeSummary({ passed, failed: failed === 0 && exitCode !== 0 ? 1 : failed, skipped });
process.exit(exitCode);
