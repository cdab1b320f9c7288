/**
 * What the core's modules load: the oracle never pulls in jax-js or the engine
 * (it is what the engine is checked against), and `quant-widgets/core` exports
 * its documented API, not internals.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as core from '../../src/core/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Specifiers a TypeScript module loads at run time, from its syntax tree: type-only imports and
 * re-exports are erased (`import { type A }` stays, verbatimModuleSyntax keeps it), and
 * `import('…')` with a literal counts; comments and strings do not.
 */
function runtimeImports(source: string): string[] {
  const file = ts.createSourceFile('module.ts', source, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      out.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      out.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      out.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** Every module `entry` loads at run time, transitively, as paths relative to the repo or package names. */
function runtimeGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    const rel = file.slice(root.length + 1);
    if (seen.has(rel)) return;
    seen.add(rel);
    for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) seen.add(spec);
      else visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  };
  visit(resolve(root, entry));
  return seen;
}

describe('module boundaries', () => {
  it('reads import statements the way the compiler keeps them', () => {
    const source = [
      "import { numpy as np } from '@jax-js/jax';",
      "import type { Device } from '@jax-js/jax';",
      'import {\n  a,\n  type B,\n} from "./a.js";',
      "export type { C } from './c.js';",
      "export { d } from './d.js';",
      "import './side-effect.js';",
      "const e = () => import('./engine.js');",
      "/** like `import('./in-a-comment.js')` */ const s = \"import('./in-a-string.js')\";",
      'const u = (url: string) => import(url);',
    ].join('\n');
    assert.deepEqual(runtimeImports(source).sort(), [
      './a.js',
      './d.js',
      './engine.js',
      './side-effect.js',
      '@jax-js/jax',
    ]);
  });

  for (const entry of [
    'src/core/reference.ts',
    'src/core/outliers/reference.ts',
    'test/shared/core-cases.ts',
    'test/shared/bad-inputs.ts',
  ]) {
    it(`${entry} never loads jax-js or the engine`, () => {
      const graph = [...runtimeGraph(entry)];
      assert.ok(graph.includes(entry));
      const engine = graph.filter(
        (m) =>
          m.startsWith('@jax-js') || /src\/core\/(engine|quantize|session|runtime|upload|round)\.ts$/.test(m),
      );
      assert.deepEqual(engine, [], `${entry} loads ${graph.join(', ')}`);
    });
  }

  for (const facade of ['src/core/index.ts', 'src/core/inference/index.ts', 'src/core/outliers/index.ts']) {
    it(`${facade} loads jax-js only through the lazy engine import (engine-loader.ts)`, () => {
      // Every module it loads, except through engine-loader's dynamic import('./engine.js'),
      // is free of jax-js; through it, jax-js is reached.
      const loader = 'src/core/engine-loader.ts';
      const graph = [...runtimeGraph(facade)];
      assert.ok(graph.includes(loader), `${facade} does not use ${loader}`);
      assert.ok(graph.includes('@jax-js/jax'));
      assert.deepEqual(runtimeImports(readFileSync(resolve(root, loader), 'utf8')), [
        './errors.js',
        './memo.js',
        './worker-probe.js', // the blob-worker probe: no jax-js (checked below)
        './engine.js',
      ]);
      assert.deepEqual(runtimeImports(readFileSync(resolve(root, 'src/core/worker-probe.ts'), 'utf8')), [
        './memo.js',
      ]);
      const eager = new Set<string>();
      const visit = (file: string) => {
        const rel = file.slice(root.length + 1);
        if (eager.has(rel)) return;
        eager.add(rel);
        for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
          if (rel === loader && spec === './engine.js') continue; // the one lazy door
          // …and the outliers facade's own, which it opens only after the engine's
          if (rel === 'src/core/outliers/index.ts' && spec === './engine.js') continue;
          if (!spec.startsWith('.')) eager.add(spec);
          else visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        }
      };
      visit(resolve(root, facade));
      const jax = [...eager].filter((m) => m.startsWith('@jax-js') || /src\/core\/engine\.ts$/.test(m));
      assert.deepEqual(jax, [], `${facade} loads eagerly: ${[...eager].join(', ')}`);
    });
  }

  it('quant-widgets/core exports its documented API and no internals', () => {
    assert.deepEqual(Object.keys(core).sort(), [
      'CALIBRATIONS',
      'DEFAULT_CONFIG',
      'DEVICES',
      'DISTRIBUTIONS',
      'FORMATS',
      'GRANULARITIES',
      'MAX_BITS',
      'MAX_DIM',
      'MAX_ELEMENTS',
      'MAX_SOURCE_BYTES',
      'MIN_BITS',
      'QuantError',
      'ROUNDINGS',
      'SCHEMES',
      'availableDevices',
      'codeRange',
      'createSession',
      'dequantize',
      'generateWeights',
      'histogramCounts',
      'isQuantError',
      'parseWeights',
      'quantizeArray',
      'quantizedMatmul',
      'referenceHistogram',
      'referenceQuantize',
    ]);
  });
});
