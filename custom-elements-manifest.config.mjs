// Config for `cem analyze --litelement` (@custom-elements-manifest/analyzer); writes ./custom-elements.json.
// Elements document themselves with JSDoc on the class: @tag, @fires, @csspart, @cssprop, @attr, @slot.

/**
 * The analyzer records `this.dispatchEvent(new CustomEvent(name, …))` with a non-literal first
 * argument as an event literally called "name" (the identifier's text). Such helper calls (e.g. an
 * `emit(name, detail)` method) are not real events; the real ones are declared with @fires.
 */
function dropDynamicEventNames() {
  const dynamic = new Map(); // module path → identifier texts used as event names
  return {
    name: 'quant-drop-dynamic-event-names',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node)) return;
      const callee = node.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.getText() !== 'dispatchEvent') return;
      const event = node.arguments[0];
      if (!event || !ts.isNewExpression(event)) return;
      const first = event.arguments?.[0];
      if (!first || ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) return;
      const names = dynamic.get(moduleDoc.path) ?? new Set();
      names.add(first.getText());
      dynamic.set(moduleDoc.path, names);
    },
    moduleLinkPhase({ moduleDoc }) {
      const names = dynamic.get(moduleDoc.path);
      if (!names) return;
      for (const declaration of moduleDoc.declarations ?? []) {
        if (!declaration.events) continue;
        declaration.events = declaration.events.filter((e) => e.description || !names.has(e.name));
        if (declaration.events.length === 0) delete declaration.events;
      }
    },
  };
}

/**
 * The manifest describes the published package (SPEC §1): module paths point into dist/lib, and
 * only the public API is listed (no private or protected members, no static plumbing).
 */
function publicApiInDist() {
  const toDist = (path) => path.replace(/^src\//, 'dist/lib/').replace(/\.ts$/, '.js');
  const hidden = new Set(['styles', 'properties', 'finalize']);
  return {
    name: 'quant-public-api-in-dist',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        mod.path = toDist(mod.path);
        for (const declaration of mod.declarations ?? []) {
          if (declaration.members) {
            declaration.members = declaration.members.filter(
              (m) =>
                (m.privacy ?? 'public') === 'public' &&
                !m.static &&
                !hidden.has(m.name) &&
                !/^[#_[]/.test(m.name),
            );
          }
          for (const list of [declaration.members, declaration.attributes, declaration.events]) {
            for (const item of list ?? []) {
              if (item.inheritedFrom?.module) item.inheritedFrom.module = toDist(item.inheritedFrom.module);
            }
          }
          if (declaration.superclass?.module)
            declaration.superclass.module = toDist(declaration.superclass.module);
        }
        for (const e of mod.exports ?? []) {
          if (e.declaration?.module) e.declaration.module = toDist(e.declaration.module);
        }
      }
    },
  };
}

export default {
  globs: [
    'src/components/**/*.component.ts',
    'src/internal/quant-base.ts',
    'src/internal/quantizing-element.ts',
  ],
  exclude: ['**/*.test.ts', 'test/**', 'dist/**', 'node_modules/**'],
  outdir: '.',
  litelement: true,
  dev: false,
  watch: false,
  dependencies: false,
  packagejson: false,
  plugins: [dropDynamicEventNames(), publicApiInDist()],
};
