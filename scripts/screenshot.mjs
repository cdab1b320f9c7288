// Renders a page in Debian's Chromium and saves screenshots at 375 and 1280 px, light and dark,
// and at 1280 px with forced colours (Windows high contrast) on a dark system.
// Usage: node scripts/screenshot.mjs [url] [outDir]   (scrolls through so every lazy widget starts)
import { chromium } from 'playwright-core';
import { ensureBrowser } from './browser.mjs';

const url = process.argv[2] ?? 'http://localhost:5173/demo/';
const out = process.argv[3] ?? '.tmp/shots';
const browser = await chromium.launch({
  executablePath: ensureBrowser(),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const runs = [375, 1280].flatMap((width) => ['light', 'dark'].map((scheme) => ({ width, scheme })));
runs.push({ width: 1280, scheme: 'dark', forcedColors: 'active' });
for (const { width, scheme, forcedColors = 'none' } of runs) {
  const page = await browser.newPage({
    viewport: { width, height: 900 },
    colorScheme: scheme,
    forcedColors,
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  // The page grows as widgets render: measure it again at every step.
  const height = () => page.evaluate(() => document.body.scrollHeight);
  for (let y = 0; y < (await height()); y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(250);
  }
  await page.waitForTimeout(1500);
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = `${out}/demo-${width}-${scheme}${forcedColors === 'active' ? '-forced' : ''}.png`;
  await page.screenshot({ path: file, fullPage: true });
  console.log(file, errors.length ? `errors: ${errors.join(' | ')}` : 'no errors');
  await page.close();
}
await browser.close();
