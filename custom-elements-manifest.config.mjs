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
 * Attributes as the page writes them. The analyzer cannot read `fieldProperty(field, 'attr-name')`
 * (src/internal/fields.ts), so it lists such a property under its camelCase name as an attribute
 * that does not exist (`errorMode`, `qatSteps`), and it types every attribute with its property's
 * type (`ArenaMode`). Here an attribute gets the name `fieldProperty` gives it (merged with the
 * JSDoc `@attr` of that name) and its `@attr {type} name - description`: the attribute's text, e.g. `'a' | 'b'`, from
 * which the editor data (scripts/editor-data.mjs) takes the allowed values.
 */
function attributesAsWritten() {
  const classes = new Map(); // class name → {attrs: field → attribute, types / descriptions: by attribute, superclass}
  return {
    name: 'quant-attributes-as-written',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const info = { attrs: new Map(), types: new Map(), descriptions: new Map(), superclass: undefined };
      const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
      const base = heritage?.types[0]?.expression;
      if (base && ts.isIdentifier(base)) info.superclass = base.text;
      for (const doc of node.jsDoc ?? []) {
        for (const m of doc.getText().matchAll(/@attr\s+(?:\{([^}]*)\}\s+)?([\w-]+)\s+-\s+(.*)/g)) {
          if (m[1]) info.types.set(m[2], m[1].trim());
          info.descriptions.set(m[2], m[3].trim());
        }
      }
      for (const member of node.members) {
        const isStatic = member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (!isStatic || !ts.isPropertyDeclaration(member) || member.name.getText() !== 'properties')
          continue;
        const init = member.initializer;
        if (!init || !ts.isObjectLiteralExpression(init)) continue;
        for (const prop of init.properties) {
          if (!ts.isPropertyAssignment(prop) || !ts.isCallExpression(prop.initializer)) continue;
          const call = prop.initializer;
          const attr = call.arguments[1];
          if (call.expression.getText() === 'fieldProperty' && attr && ts.isStringLiteral(attr))
            info.attrs.set(prop.name.getText(), attr.text);
        }
      }
      classes.set(node.name.text, info);
    },
    packageLinkPhase({ customElementsManifest }) {
      const chain = (name) => {
        const out = [];
        for (let c = name; c && classes.has(c); c = classes.get(c).superclass) out.push(classes.get(c));
        return out;
      };
      const find = (name, pick) =>
        chain(name)
          .map(pick)
          .find((v) => v !== undefined);
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          const attributes = declaration.attributes;
          if (!attributes) continue;
          for (const attr of [...attributes]) {
            const owner = attr.inheritedFrom?.name ?? declaration.name;
            const real = attr.fieldName && find(owner, (c) => c.attrs.get(attr.fieldName));
            if (!real || real === attr.name) continue;
            const documented = attributes.find((a) => a.name === real);
            if (documented) {
              documented.fieldName ??= attr.fieldName;
              attributes.splice(attributes.indexOf(attr), 1);
            } else attr.name = real;
            for (const member of declaration.members ?? [])
              if (member.name === attr.fieldName) member.attribute = real;
          }
          for (const attr of attributes) {
            const type = find(declaration.name, (c) => c.types.get(attr.name));
            if (type) attr.type = { text: type };
            const description = find(declaration.name, (c) => c.descriptions.get(attr.name));
            if (description) attr.description = description;
          }
        }
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
  plugins: [dropDynamicEventNames(), attributesAsWritten(), publicApiInDist()],
};
