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

export default {
  globs: ['src/components/**/*.component.ts', 'src/internal/*.ts'],
  exclude: ['**/*.test.ts', 'test/**', 'dist/**', 'node_modules/**'],
  outdir: '.',
  litelement: true,
  dev: false,
  watch: false,
  dependencies: false,
  packagejson: false,
  plugins: [dropDynamicEventNames()],
};
