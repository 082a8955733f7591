/**
 * Object parameters: a parameter read as `p.w`, `p.w[i]`, `p.b`, or
 * destructured `const { w, b } = p` at the top of the body, takes an object
 * whose fields are numbers, arrays or matrices. Before checking, each field
 * becomes a parameter of its own named `p$w` (appended after the caller's
 * parameters; names with `$` are the compiler's), and every read of `p.w`,
 * or of a name destructured from it, reads that parameter. The checker and
 * emitters then see plain parameters only; a call lays the object's fields
 * out as those arguments (object-args.ts).
 */
import type { Node } from "acorn";
import type { FunctionNode } from "./parse.ts";
import { refuse } from "./source-error.ts";
import { walk, isPropertyName, isDeclaration, declaredNames, rebuild, identifier, fieldParam, FUNCTIONS, type N, type Replacement, type ObjectParam } from "./ast-rewrite.ts";
import { listUses, lowerList } from "./list-params.ts";
import { ARRAY_METHODS } from "./check-expr.ts";

export type { ObjectParam } from "./ast-rewrite.ts";

/** `p.f` with f a plain name other than length and the array methods read as loops (`x.reduce`). */
const fieldRead = (m: N, p: string): boolean =>
  m.type === "MemberExpression" && !m.computed && m.object.type === "Identifier" && m.object.name === p && m.property.type === "Identifier" && m.property.name !== "length"
  && !ARRAY_METHODS.has(m.property.name);

/** `const { ... } = p` among the body's top-level statements. */
function destructurings(body: N, p: string): { statement: N; declarator: N }[] {
  const out: { statement: N; declarator: N }[] = [];
  walk(body, (m, parent) => {
    if (m.type !== "VariableDeclarator" || m.id.type !== "ObjectPattern" || m.init?.type !== "Identifier" || m.init.name !== p) return;
    const statement = parent!;
    if (!(body.type === "BlockStatement" && (body.body as N[]).includes(statement))) {
      refuse(m, `destructuring the object parameter '${p}'`, "is not at the top level of the function body", `write const { ... } = ${p} among the body's first statements, or read ${p}.field where needed`);
    }
    if (statement.kind !== "const") refuse(m, `destructuring the object parameter '${p}'`, `is declared with ${statement.kind}`, `declare it with const (read ${p}.field where a field changes)`);
    out.push({ statement, declarator: m });
  });
  return out;
}

/** The fields a destructuring reads, by the local name each is bound to. */
function aliasesOf(declarator: N, p: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const prop of declarator.id.properties as N[]) {
    const plain = prop.type === "Property" && !prop.computed && prop.key.type === "Identifier" && prop.value.type === "Identifier";
    if (!plain) refuse(prop, `this part of destructuring '${p}'`, "is not a plain field (a rest, a default, a computed key or a nested pattern)", `list fields by name: const { a, b: c } = ${p}`);
    out.set(prop.value.name, prop.key.name);
  }
  return out;
}

/**
 * The function with its object parameters' fields as parameters of their
 * own, and those parameters; the same node when it has none. A parameter
 * is an object when the body reads a field of it (`p.f`, f not `length`)
 * or destructures it. Refused, with what to write: an object parameter
 * used as a value (passed, returned, compared), also indexed as an array,
 * declared again inside f, or read by a name destructured from it that is
 * used before the destructuring or also declared elsewhere; a number field
 * written where a name destructured from it is read (JavaScript's name
 * keeps the old value).
 *
 * @example
 * ```ts
 * const { node, objects } = lowerObjectParams(parseFunction("(p, x) => p.a * x[0] + p.b"));
 * objects; // [{ name: "p", fields: [{ key: "a", param: "p$a" }, { key: "b", param: "p$b" }] }]
 * ```
 */
export function lowerObjectParams(node: FunctionNode): { node: FunctionNode; objects: ObjectParam[] } {
  const body = node.body as N;
  const names = (node.params as N[]).flatMap((p) => (p.type === "Identifier" ? [p.name as string] : []));
  const objects: ObjectParam[] = [];
  /** Node → its replacement, and declarators to drop. */
  const replace = new Map<N, Replacement>();
  const drop = new Set<N>();
  const taken = new Set<string>();
  let declared: Map<string, N> | null = null;
  for (const p of names) {
    const list = listUses(body, p);
    if (list !== null) {
      declared ??= declaredNames(body);
      if (declared.has(p)) refuse(declared.get(p)!, `'${p}'`, "is declared again inside f, and f reads fields of the parameter of that name", "rename one of them");
      objects.push(lowerList(body, p, list, replace, taken));
      continue;
    }
    const reads: N[] = [];
    walk(body, (m, parent, key) => {
      // A method called on p (p.indexOf(...)) reads no field: the checker says what it makes of the call.
      if (!fieldRead(m, p) || (parent?.type === "CallExpression" && key === "callee")) return;
      if (parent?.type === "MemberExpression" && key === "object" && !parent.computed && parent.property.name !== "length") {
        refuse(parent, `the nested field ${p}.${m.property.name}.${parent.property.name}`, "is not accepted (fields are numbers, arrays and matrices)", `pass ${p}.${m.property.name} as an argument of its own`);
      }
      reads.push(m);
    });
    const destructured = destructurings(body, p);
    if (reads.length === 0 && destructured.length === 0) continue;
    declared ??= declaredNames(body);
    if (declared.has(p)) refuse(declared.get(p)!, `'${p}'`, "is declared again inside f, and f reads fields of the parameter of that name", "rename one of them");
    const keys = new Set(reads.map((m) => m.property.name as string));
    reads.forEach((m) => replace.set(m, () => identifier(fieldParam(p, m.property.name), m)));
    const aliases = new Map<string, string>();
    for (const { statement, declarator } of destructured) {
      drop.add(declarator);
      for (const [alias, key] of aliasesOf(declarator, p)) {
        keys.add(key);
        aliases.set(alias, key);
        // Every use of the name then reads the field's parameter: that is the name's meaning only if nothing else declares it.
        let declarations = 0;
        walk(body, (t, parent, k) => { if (t.type === "Identifier" && t.name === alias && isDeclaration(parent, k)) declarations++; });
        if (declarations > 1) refuse(declarator, `'${alias}', destructured from '${p}',`, "is declared more than once in f", "give it a name of its own");
        markUses(body, alias, statement, p, key, replace);
      }
    }
    checkUses(body, p, replace, aliases);
    objects.push({ name: p, fields: [...keys].sort().map((key) => ({ key, param: fieldParam(p, key) })), list: false });
  }
  if (objects.length === 0) return { node, objects };
  const rewritten = rebuild(body, replace, drop);
  const fieldParams = objects.flatMap((o) => o.fields.map((f) => identifier(f.param, node as N) as Node));
  return { node: { ...node, body: rewritten, params: [...node.params, ...fieldParams] } as FunctionNode, objects };
}

/**
 * Marks each use of `alias` (declared by the destructuring `statement`) to
 * read the field's parameter. A use before the destructuring, outside a
 * function declared in f, is refused: JavaScript would throw there.
 */
function markUses(body: N, alias: string, statement: N, p: string, key: string, replace: Map<N, Replacement>): void {
  const functions: N[] = [];
  walk(body, (m) => { if (FUNCTIONS.has(m.type)) functions.push(m); });
  walk(body, (n, parent, k) => {
    if (n.type !== "Identifier" || n.name !== alias || isPropertyName(parent, k) || isDeclaration(parent, k)) return;
    const inFunction = functions.some((f) => f.start <= n.start && n.end <= f.end);
    if (!inFunction && n.start < statement.end) refuse(n, `'${alias}'`, `is used before it is destructured from '${p}'`, "destructure first");
    replace.set(n, () => identifier(fieldParam(p, key), n));
  });
}

/** The parameter is read only through its fields; a number field read by a destructured name is never written. */
function checkUses(body: N, p: string, replace: ReadonlyMap<N, Replacement>, aliases: ReadonlyMap<string, string>): void {
  walk(body, (m, parent, key) => {
    if (m.type === "Identifier" && m.name === p && !isPropertyName(parent, key) && !(parent !== null && replace.has(parent) && key === "object")
      && !(parent?.type === "VariableDeclarator" && key === "init" && parent.id.type === "ObjectPattern")) {
      if (parent?.type === "MemberExpression" && key === "object") {
        refuse(parent, `'${p}'`, "is read as an object (p.field) and also indexed or asked its length", `pass the array as a parameter of its own, or as a field (${p}.a[i])`);
      }
      refuse(m, `the object parameter '${p}'`, "is used as a value", `read its fields (${p}.field); pass a field to a helper, not the object`);
    }
    const target = m.type === "AssignmentExpression" ? m.left as N : m.type === "UpdateExpression" ? m.argument as N : null;
    if (target === null) return;
    const written = fieldRead(target, p) ? target.property.name as string : target.type === "Identifier" ? aliases.get(target.name) : undefined;
    if (written === undefined) return;
    if (target.type === "Identifier") refuse(target, `'${target.name}'`, `is destructured from '${p}' with const, and assigned`, `copy it into a let first: let v = ${p}.${written}`);
    if ([...aliases.values()].includes(written)) {
      refuse(target, `the field ${p}.${written}`, "is assigned, and also read through a name destructured from it (which keeps the old value in JavaScript)", `copy the field into a let and change that`);
    }
  });
}
