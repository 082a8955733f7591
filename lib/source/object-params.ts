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
import { walk, isPropertyName, isDeclaration, declaredNames, declarationCount, patternFields, rebuild, identifier, fieldParam, FUNCTIONS, type N, type Replacement, type ObjectParam } from "./ast-rewrite.ts";
import { listUses, lowerList } from "./list-params.ts";
import { lowerLocalObjects } from "./object-locals.ts";
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

/**
 * The function with its object parameters' fields as parameters of their
 * own, and those parameters (arrays of objects: list-params.ts; local
 * objects' fields become locals too: object-locals.ts); the same node when
 * it has none of these. A parameter
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
    const parents = parentsOf(body);
    const bases: N[] = [];
    walk(body, (m, parent, key) => {
      // A method called on p (p.indexOf(...)) reads no field: the checker says what it makes of the call.
      if (fieldRead(m, p) && !(parent?.type === "CallExpression" && key === "callee")) bases.push(m);
    });
    const destructured = destructurings(body, p);
    if (bases.length === 0 && destructured.length === 0) continue;
    declared ??= declaredNames(body);
    if (declared.has(p)) refuse(declared.get(p)!, `'${p}'`, "is declared again inside f, and f reads fields of the parameter of that name", "rename one of them");
    /** Each read of a field (its outermost node) and the field's path, `layer.w` for p.layer.w. */
    const leaves = new Map<N, string>();
    for (const m of bases) {
      const { leaf, path } = chainOf(m, [m.property.name], parents);
      leaves.set(leaf, path.join("."));
    }
    const aliases = new Map<string, string>();
    for (const { statement, declarator } of destructured) {
      drop.add(declarator);
      for (const { local: alias, key } of patternFields(declarator.id, `destructuring '${p}'`, `const { a, b: c } = ${p}`)) {
        aliases.set(alias, key);
        // Every use of the name then reads the field's parameter: that is the name's meaning only if nothing else declares it.
        if (declarationCount(body, alias) > 1) refuse(declarator, `'${alias}', destructured from '${p}',`, "is declared more than once in f", "give it a name of its own");
        for (const use of usesOf(body, alias, statement, p)) {
          const { leaf, path } = chainOf(use, [key], parents);
          leaves.set(leaf, path.join("."));
        }
      }
    }
    const keys = checkPaths(p, leaves);
    leaves.forEach((key, leaf) => replace.set(leaf, () => identifier(fieldParam(p, key), leaf)));
    checkUses(body, p, new Set(bases), leaves, aliases);
    objects.push({ name: p, fields: keys.map((key) => ({ key, param: fieldParam(p, key) })), list: false });
  }
  lowerLocalObjects(body, replace, taken);
  if (replace.size === 0 && drop.size === 0) return { node, objects };
  const rewritten = rebuild(body, replace, drop);
  const fieldParams = objects.flatMap((o) => o.fields.map((f) => identifier(f.param, node as N) as Node));
  return { node: { ...node, body: rewritten, params: [...node.params, ...fieldParams] } as FunctionNode, objects };
}

/**
 * The uses of `alias` (declared by the destructuring `statement`). A use
 * before the destructuring, outside a function declared in f, is refused:
 * JavaScript would throw there.
 */
function usesOf(body: N, alias: string, statement: N, p: string): N[] {
  const functions: N[] = [];
  walk(body, (m) => { if (FUNCTIONS.has(m.type)) functions.push(m); });
  const out: N[] = [];
  walk(body, (n, parent, k) => {
    if (n.type !== "Identifier" || n.name !== alias || isPropertyName(parent, k) || isDeclaration(parent, k)) return;
    const inFunction = functions.some((f) => f.start <= n.start && n.end <= f.end);
    if (!inFunction && n.start < statement.end) refuse(n, `'${alias}'`, `is used before it is destructured from '${p}'`, "destructure first");
    out.push(n);
  });
  return out;
}

/** Each node's parent and the key it sits under. */
function parentsOf(body: N): Map<N, { parent: N; key: string }> {
  const out = new Map<N, { parent: N; key: string }>();
  walk(body, (m, parent, key) => { if (parent !== null) out.set(m, { parent, key }); });
  return out;
}

/**
 * The outermost node of the field names read after `from` (`.b.c` of
 * p.a.b.c), and the path so far with them: a chain ends at `.length`, an
 * array method, an index or anything else.
 */
function chainOf(from: N, path: string[], parents: ReadonlyMap<N, { parent: N; key: string }>): { leaf: N; path: string[] } {
  let leaf = from;
  const out = path.slice();
  for (;;) {
    const up = parents.get(leaf);
    const m = up?.parent;
    if (m === undefined || up!.key !== "object" || m.type !== "MemberExpression" || m.computed || m.property.name === "length" || ARRAY_METHODS.has(m.property.name)) break;
    const call = parents.get(m);
    if (call?.parent.type === "CallExpression" && call.key === "callee") break;
    out.push(m.property.name);
    leaf = m;
  }
  return { leaf, path: out };
}

/**
 * The fields read, in key order, checked: no field is read both as a
 * value and as an object (p.a and p.a.b), and no key holds a $ (the
 * compiler's names join a path with it).
 */
function checkPaths(p: string, leaves: ReadonlyMap<N, string>): string[] {
  const keys = [...new Set(leaves.values())].sort();
  for (const [leaf, key] of leaves) {
    if (key.includes("$")) refuse(leaf, `the field ${p}.${key}`, "has a $ in its name (reserved for the compiler's names)", "rename the field");
    const deeper = keys.find((k) => k.startsWith(`${key}.`));
    if (deeper !== undefined) refuse(leaf, `${p}.${key}`, `is read as a value, and as an object in ${p}.${deeper}`, "read it one way");
  }
  return keys;
}

/** The parameter is read only through its fields; a number field read by a destructured name is never written. */
function checkUses(body: N, p: string, bases: ReadonlySet<N>, leaves: ReadonlyMap<N, string>, aliases: ReadonlyMap<string, string>): void {
  walk(body, (m, parent, key) => {
    if (m.type === "Identifier" && m.name === p && !isPropertyName(parent, key) && !(parent !== null && bases.has(parent) && key === "object")
      && !(parent?.type === "VariableDeclarator" && key === "init" && parent.id.type === "ObjectPattern")) {
      if (parent?.type === "MemberExpression" && key === "object") {
        refuse(parent, `'${p}'`, "is read as an object (p.field) and also indexed or asked its length", `pass the array as a parameter of its own, or as a field (${p}.a[i])`);
      }
      refuse(m, `the object parameter '${p}'`, "is used as a value", `read its fields (${p}.field); pass a field to a helper, not the object`);
    }
    const target = m.type === "AssignmentExpression" ? m.left as N : m.type === "UpdateExpression" ? m.argument as N : null;
    if (target === null) return;
    if (target.type === "Identifier" && aliases.has(target.name)) {
      refuse(target, `'${target.name}'`, `is destructured from '${p}' with const, and assigned`, `copy it into a let first: let v = ${p}.${aliases.get(target.name)}`);
    }
    const written = leaves.get(target);
    if (written !== undefined && [...aliases.values()].includes(written)) {
      refuse(target, `the field ${p}.${written}`, "is assigned, and also read through a name destructured from it (which keeps the old value in JavaScript)", `copy the field into a let and change that`);
    }
  });
}
