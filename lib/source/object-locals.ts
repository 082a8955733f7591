/**
 * Local objects: `const o = { a: x * 2, w: new Float64Array(3) }` read and
 * written as `o.a`, `o.w[i]`, or destructured `const { a } = o`. Before
 * checking, each field becomes a local of its own (`let o_a = x * 2`, an
 * array field a `const` local array), `o.a` reads and writes it, and a
 * destructuring copies the numbers, as JavaScript does. Refused, with what
 * to write: the object used as a value (passed, returned, aliased), a
 * field the literal does not have, a literal with spreads, computed keys
 * or methods, the object declared again in f, and an array field
 * destructured (a second name for an array).
 */
import { refuse } from "./source-error.ts";
import { makesArray } from "./array-makers.ts";
import { walk, isPropertyName, isDeclaration, identifier, freshName, declarationCount, patternFields, type N, type Replacement } from "./ast-rewrite.ts";

/** A local object: its declaration, and each field's local, by key. */
interface LocalObject {
  statement: N;
  declarator: N;
  fields: Map<string, { local: string; value: N; array: boolean }>;
}


/**
 * Marks the local objects of `body` for rewriting (see the file's
 * comment): their declarations become one declaration per field, their
 * field reads and writes the fields' locals, their destructurings copies.
 *
 * @example
 * ```ts
 * lowerLocalObjects(body, replace, taken); // const o = { a: 1 } becomes let o_a = 1
 * ```
 */
export function lowerLocalObjects(body: N, replace: Map<N, Replacement>, taken: Set<string>): void {
  const objects: LocalObject[] = [];
  const listed = new Set<N>();
  walk(body, (m) => { if (m.type === "BlockStatement") for (const st of m.body as N[]) listed.add(st); });
  walk(body, (m, parent) => {
    if (m.type !== "VariableDeclarator" || m.id.type !== "Identifier" || m.init?.type !== "ObjectExpression") return;
    if (parent?.type !== "VariableDeclaration" || parent.declarations.length !== 1 || !listed.has(parent)) {
      refuse(m, `the object '${m.id.name}'`, "is declared beside other names, or outside a block's statements", "declare it in a const statement of its own");
    }
    const name = m.id.name as string;
    const fields = new Map<string, { local: string; value: N; array: boolean }>();
    for (const prop of m.init.properties as N[]) {
      const plain = prop.type === "Property" && !prop.computed && !prop.method && prop.kind === "init" && (prop.key.type === "Identifier" || (prop.key.type === "Literal" && typeof prop.key.value === "string"));
      if (!plain) refuse(prop, `this part of the object '${name}'`, "is not a field written out (a spread, a computed key, a method or an accessor)", "write each field as key: value");
      const key = String(prop.key.type === "Identifier" ? prop.key.name : prop.key.value);
      fields.set(key, { local: freshName(body, `${name}_${key}`, taken), value: prop.value, array: makesArray(prop.value) });
    }
    objects.push({ statement: parent, declarator: m, fields });
  });
  for (const o of objects) lowerObject(body, o, replace);
}

function lowerObject(body: N, o: LocalObject, replace: Map<N, Replacement>): void {
  const name = o.declarator.id.name as string;
  if (declarationCount(body, name) > 1) refuse(o.declarator, `the object '${name}'`, "is declared more than once in f", "give it a name of its own");
  const at = o.statement;
  // The numbers in one let (the fields of a const object can change), the arrays each in a const.
  replace.set(o.statement, (copy) => {
    const numbers = [...o.fields.values()].filter((f) => !f.array);
    const out: N[] = [];
    if (numbers.length > 0) {
      out.push({ type: "VariableDeclaration", kind: "let", start: at.start, end: at.end, loc: at.loc,
        declarations: numbers.map((f) => ({ type: "VariableDeclarator", id: identifier(f.local, f.value), init: copy(f.value), start: f.value.start, end: f.value.end, loc: f.value.loc })) } as N);
    }
    for (const f of o.fields.values()) {
      if (!f.array) continue;
      out.push({ type: "VariableDeclaration", kind: "const", start: at.start, end: at.end, loc: at.loc,
        declarations: [{ type: "VariableDeclarator", id: identifier(f.local, f.value), init: copy(f.value), start: f.value.start, end: f.value.end, loc: f.value.loc }] } as N);
    }
    return out;
  });
  const field = (key: string, m: N) => {
    const f = o.fields.get(key);
    if (f === undefined) refuse(m, `the field ${name}.${key}`, `is not in the object literal of '${name}'`, `give '${name}' the field where it is written: { ${key}: ... }`);
    return f;
  };
  walk(body, (m, parent, k) => {
    if (m.type !== "Identifier" || m.name !== name || isPropertyName(parent, k) || isDeclaration(parent, k)) return;
    if (parent?.type === "MemberExpression" && k === "object" && !parent.computed) {
      const f = field(parent.property.name, parent);
      replace.set(parent, () => identifier(f.local, parent));
      return;
    }
    if (parent?.type === "VariableDeclarator" && k === "init" && parent.id.type === "ObjectPattern") {
      replace.set(parent, () => patternFields(parent.id, `destructuring '${name}'`, `const { a, b: c } = ${name}`).map(({ prop, key }) => {
        const f = field(key, prop);
        if (f.array) refuse(prop, `the array field ${name}.${key}`, "is destructured (a second name for an array)", `read it as ${name}.${key}[i]`);
        return { type: "VariableDeclarator", id: prop.value, init: identifier(f.local, prop), start: prop.start, end: prop.end, loc: prop.loc } as N;
      }));
      return;
    }
    refuse(parent?.type === "MemberExpression" ? parent : m, `the object '${name}'`, "is used as a value", `read and write its fields (${name}.field)`);
  });
}
