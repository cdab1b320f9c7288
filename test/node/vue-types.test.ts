/**
 * quant-widgets/vue (src/vue/index.ts) is generated from custom-elements.json and is current, and
 * `vue-tsc --strictTemplates` (the config of examples/vitepress) accepts typed props and
 * `@quant-result` handlers on the raw tags and rejects a wrong value, an unknown attribute, a
 * misspelt event and a handler of the wrong element, each on its own line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { elementsOf, type Manifest } from '../../scripts/editor-data.js';
import { propName } from '../../scripts/react-wrappers.js';
import { VUE_FILE, vueFromRepo } from '../../scripts/vue-types.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = join(root, `.tmp/vue-types-${process.pid}`);
const source = readFileSync(join(root, VUE_FILE), 'utf8');
const elements = elementsOf(JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8')) as Manifest);

/** Template lines that must type-check. */
const GOOD = [
  `<quant-simulator :bits="bits" scheme="symmetric" controls="bits scheme" @quant-result="onSimulator" />`,
  `<quant-simulator bits="4" group-size="16" :shape="[8, 8]" @quant-change="(e) => e.detail.bits" />`,
  `<quant-histogram :bits="4" compare="2 4 8" distribution="laplace" @quant-result="(e) => e.detail.stats.sqnrDb" />`,
  `<quant-heatmap shape="16x16" :thresholds="[0.001, 0.01]" errorMode="relative" @quant-select="(e) => e.detail" />`,
  `<quant-heatmap palette="colorblind" @quant-error="(e) => e.detail.code" />`,
];
/** Template lines that must not, and what vue-tsc says about each. */
const BAD: [string, RegExp][] = [
  [`<quant-simulator scheme="sideways" />`, /"sideways"' is not assignable/],
  [`<quant-simulator :bits="'eight'" />`, /"eight"' is not assignable/],
  [`<quant-histogram distribution="cauchy" />`, /"cauchy"' is not assignable/],
  [`<quant-heatmap palette="rainbow" />`, /"rainbow"' is not assignable/],
  [`<quant-histogram colour="red" />`, /'colour' does not exist/],
  [`<quant-simulator @quant-reslt="onSimulator" />`, /'onQuantReslt' does not exist/],
  [
    `<quant-histogram @quant-result="onSimulator" />`,
    /is not assignable to type '\(event: CustomEvent<HistogramResult>\)/,
  ],
];

function fixture(): string {
  const script = [
    `<script setup lang="ts">`,
    `import { ref } from 'vue';`,
    `import type { QuantSimulatorElement } from 'quant-widgets/vue';`,
    `const bits = ref(8);`,
    `function onSimulator(e: CustomEvent<NonNullable<QuantSimulatorElement['result']>>) {`,
    `  return e.detail.stats.sqnrDb;`,
    `}`,
    `</script>`,
    `<template>`,
    `<div>`,
  ];
  return [...script, ...GOOD, ...BAD.map(([line]) => line), `</div>`, `</template>`, ''].join('\n');
}

describe('quant-widgets/vue', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is current with custom-elements.json (run `npm run build:manifest` and commit)', async () => {
    const file = join(root, VUE_FILE);
    const expected = await format(vueFromRepo(), { ...(await resolveConfig(file)), filepath: file });
    assert.ok(source === expected, `${VUE_FILE} is stale`);
  });

  for (const el of elements) {
    it(`${el.tagName}: a GlobalComponents entry with an on… prop per event`, () => {
      const entry = new RegExp(`'${el.tagName}': VueElement<[^]*?\\n {4}>;`).exec(source)?.[0];
      assert.ok(entry, `'${el.tagName}' in GlobalComponents`);
      for (const e of el.events ?? []) assert.match(entry, new RegExp(`${propName(e.name)}: `), e.name);
    });
  }

  it('is the package export "./vue", types only (registers nothing, safe in SSR)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.equal(pkg.exports['./vue'].types, './dist/lib/vue/index.d.ts');
    assert.equal(pkg.exports['./vue'].import, './dist/lib/vue/index.js');
    assert.equal(pkg.peerDependenciesMeta.vue.optional, true);
    // Every import is `import type`: the compiled module is empty.
    const imports = source.match(/^import .*$/gm) ?? [];
    assert.ok(imports.length > 0);
    for (const line of imports) assert.match(line, /^import type /);
  });

  it(
    'vue-tsc --strictTemplates: typed props and handlers pass, each wrong line fails',
    { timeout: 60000 },
    () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'Fixture.vue'), fixture());
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: '../../examples/vitepress/tsconfig.json',
          include: ['*.vue'],
        }),
      );
      const run = spawnSync(join(root, 'node_modules/.bin/vue-tsc'), ['-p', dir], {
        cwd: root,
        encoding: 'utf8',
      });
      const out = run.stdout + run.stderr;
      // `Fixture.vue(LINE,COL): error TS…: message` (and indented continuation lines).
      const errors = [...out.matchAll(/Fixture\.vue\((\d+),\d+\): error (TS\d+: [^]*?)(?=\n\S|\n?$)/g)].map(
        (m) => ({ line: Number(m[1]), text: m[2] }),
      );
      const firstBad = fixture().split('\n').indexOf(BAD[0][0]) + 1;
      const goodErrors = errors.filter((e) => e.line < firstBad);
      assert.deepEqual(goodErrors, [], 'the typed usages type-check');
      BAD.forEach(([line, message], i) => {
        const mine = errors.filter((e) => e.line === firstBad + i);
        assert.ok(
          mine.some((e) => message.test(e.text)),
          `${line}: expected ${message}, got ${JSON.stringify(mine)}\n${out}`,
        );
      });
      assert.notEqual(run.status, 0);
    },
  );
});
