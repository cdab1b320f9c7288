// Finds the Chromium the tests, the CDN check and the screenshots drive. Nothing is ever
// downloaded from anywhere but the distribution's packages: CHROME_PATH, then Debian's
// `chromium`, `chromium-browser`, `google-chrome`; with none and root + apt, Debian's `chromium`
// is installed (one notice line); otherwise one sentence says what to install.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first browser found, or null. */
export function findBrowser(env = process.env) {
  if (env.CHROME_PATH) return executable(env.CHROME_PATH) ? env.CHROME_PATH : null;
  const dirs = ['/usr/bin', ...(env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const name of NAMES) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (executable(path)) return path;
    }
  }
  return null;
}

function canInstallWithApt() {
  return process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
}

/**
 * The browser's path; installs Debian's `chromium` when missing and this is root with apt.
 * Exits the process with one clear sentence when no browser can be had.
 */
export function ensureBrowser() {
  if (process.env.CHROME_PATH && !executable(process.env.CHROME_PATH)) {
    console.error(`CHROME_PATH=${process.env.CHROME_PATH} is not an executable browser; fix or unset it.`);
    process.exit(1);
  }
  const found = findBrowser();
  if (found) return found;
  if (canInstallWithApt()) {
    console.log('No Chromium found: installing Debian\'s "chromium" package with apt-get (one time).');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const quiet = { stdio: ['ignore', 'ignore', 'inherit'], env };
    spawnSync('apt-get', ['update', '-qq'], quiet);
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], quiet);
    const installed = findBrowser();
    if (installed) return installed;
  }
  console.error(
    'No Chromium found: install it with "sudo apt-get install chromium" (Debian/Ubuntu) ' +
      'or point CHROME_PATH at a Chrome or Chromium binary, then run npm test again.',
  );
  process.exit(1);
}
