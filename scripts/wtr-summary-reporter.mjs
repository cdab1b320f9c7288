// A @web/test-runner reporter that writes pass/fail counts as JSON to the file named by the
// QW_TEST_SUMMARY environment variable (set by scripts/test.mjs for its final "N passed, N failed"
// line). Does nothing when the variable is unset, e.g. in ad-hoc `web-test-runner` runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function countSuite(suite, acc) {
  if (!suite) return;
  for (const test of suite.tests ?? []) {
    if (test.skipped) acc.skipped++;
    else if (test.passed) acc.passed++;
    else acc.failed++;
  }
  for (const child of suite.suites ?? []) countSuite(child, acc);
}

/** @returns {import('@web/test-runner').Reporter} */
export function summaryFileReporter({ file = process.env.QW_TEST_SUMMARY } = {}) {
  return {
    onTestRunFinished({ sessions }) {
      if (!file) return;
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const failedBefore = acc.failed;
        countSuite(session.testResults, acc);
        // A file that failed to load, or an error outside any test (hooks, uncaught errors),
        // fails the session without a failed test: count it as one failure.
        if (!session.passed && acc.failed === failedBefore) acc.failed++;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(acc));
    },
  };
}
