/**
 * The npm package as `npm pack` makes it (issue 18): ≤ 2.2 MB packed, each model file once, source
 * maps for our code only, and clean by publint and @arethetypeswrong/cli (ESM-only profile). Builds
 * dist/ first when it is missing (CI builds before the tests; a fresh clone may not have).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules/.bin', name);
// Issue 18's budget (the gzipped models alone are 1.44 MB); six elements fit since the CDN maps
// dropped the sources' text (2.26 → 2.04 MB).
const MAX_PACKED = 2.2e6;

interface Packed {
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

let packed: Packed;

describe('npm package', () => {
  before(() => {
    if (!existsSync(join(root, 'dist/lib/index.js')) || !existsSync(join(root, 'dist/cdn/quant-widgets.js')))
      execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
    });
    packed = (JSON.parse(out) as Packed[])[0];
    console.log(
      `npm pack: ${(packed.size / 1e6).toFixed(2)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${packed.entryCount} files`,
    );
  });

  it(`is at most ${MAX_PACKED / 1e6} MB packed`, () => {
    assert.ok(packed.size <= MAX_PACKED, `${packed.size} bytes`);
  });

  it('holds each model file once, and no source map of third-party code', () => {
    const models = packed.files.map((f) => f.path).filter((p) => /\.bin\.gz$|models\/\w+\.json$/.test(p));
    const names = models.map((p) => basename(p));
    assert.deepEqual(names, [...new Set(names)], 'a model file twice');
    assert.ok(names.includes('digits-weights.bin.gz'));
    const maps = packed.files.map((f) => f.path).filter((p) => p.endsWith('.map'));
    assert.ok(maps.length > 0, 'our own maps are shipped');
    for (const m of maps) assert.ok(!/(^|\/)(jax-js|lit|uplot|webgpu|webgl)-/.test(basename(m)), m);
  });

  it('publint --strict finds nothing', () => {
    const out = execFileSync(bin('publint'), ['--strict'], { cwd: root, encoding: 'utf8' });
    assert.match(out, /All good!/);
  });

  it('@arethetypeswrong/cli finds no problem for an ESM-only package', () => {
    // Exits non-zero on any problem of the profile; throws here then.
    execFileSync(bin('attw'), ['--pack', '.', '--profile', 'esm-only'], { cwd: root, stdio: 'pipe' });
  });
});
