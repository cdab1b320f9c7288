// Copies the trained models (src/models/*.json, *.bin.gz) into a build folder, e.g. dist/lib/models:
// the elements fetch them relative to their own module, so they must sit beside the built code.
// Usage: node scripts/copy-models.mjs <destination folder>
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODELS_DIR = fileURLToPath(new URL('../src/models/', import.meta.url));

/** The model asset files (manifests and binaries), by name. */
export function modelFiles() {
  return readdirSync(MODELS_DIR).filter((f) => f.endsWith('.json') || f.endsWith('.bin.gz'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dest = process.argv[2];
  if (!dest) {
    console.error('usage: node scripts/copy-models.mjs <destination folder>');
    process.exit(1);
  }
  mkdirSync(dest, { recursive: true });
  const files = modelFiles();
  for (const f of files) copyFileSync(join(MODELS_DIR, f), join(dest, f));
  console.log(`copied ${files.length} model files to ${dest}`);
}
