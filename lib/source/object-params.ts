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

type N = Node & Record<string, any>;

/**
 * One object parameter: its name and its fields in key order, with the
 * parameter each becomes; `list` for an array of objects (`a[i].f`), whose
 * fields become arrays.
 */
export interface ObjectParam {
  name: string;
  fields: { key: string; param: string }[];
  list: boolean;
}

/** What a marked node becomes: a name, or with `index`, the element `name[index]`. */
interface Replacement {
  name: string;
  index?: N;
}

const FUNCTIONS = new Set(["ArrowFunctionExpression", "FunctionExpression", "FunctionDeclaration"]);
const NOT_CHILDREN = new Set(["type", "start", "end", "loc", "range"]);

/** The parameter a field becomes. */
export const fieldParam = (object: string, key: string): string => `${object}$${key}`;

/** Calls `visit` on every node under `n` with its parent and the key it sits under. */
function walk(n: N, visit: (m: N, parent: N | null, key: string) => void, parent: N | null = null, key = ""): void {
  visit(n, parent, key);
  for (const k of Object.keys(n)) {
    if (NOT_CHILDREN.has(k)) continue;
    const v = n[k];
    for (const x of Array.isArray(v) ? v : [v]) if (x !== null && typeof x === "object" && typeof x.type === "string") walk(x, visit, n, k);
  }
}

/** Whether an identifier sits where it names a property, not a variable (`a.b`'s b, an object key). */
function isPropertyName(parent: N | null, key: string): boolean {
  return parent !== null && ((parent.type === "MemberExpression" && key === "property" && !parent.computed) || (parent.type === "Property" && key === "key" && !parent.computed));
}

/** Every name declared anywhere in the body (variables, functions, nested functions' parameters). */
function declaredNames(body: N): Map<string, N> {
  const out = new Map<string, N>();
  walk(body, (m) => {
    if (m.type === "VariableDeclarator") walk(m.id, (t, parent, key) => { if (t.type === "Identifier" && !isPropertyName(parent, key)) out.set(t.name, t); });
    if (FUNCTIONS.has(m.type)) {
      if (m.id?.type === "Identifier") out.set(m.id.name, m.id);
      for (const p of m.params as N[]) walk(p, (t) => { if (t.type === "Identifier") out.set(t.name, t); });
    }
  });
  return out;
}

/** `p.f` with f a plain name other than length. */
const fieldRead = (m: N, p: string): boolean =>
  m.type === "MemberExpression" && !m.computed && m.object.type === "Identifier" && m.object.name === p && m.property.type === "Identifier" && m.property.name !== "length";

/** `a[i].f`: a field of an element of `a` (`a[i].length` is a matrix's row length). */
const elementFieldRead = (m: N, a: string): boolean =>
  m.type === "MemberExpression" && !m.computed && m.property.type === "Identifier" && m.property.name !== "length" && m.object.type === "MemberExpression" && m.object.computed
  && m.object.object.type === "Identifier" && m.object.object.name === a;

/**
 * Every `a[i].f` in the body; none when `a` is also indexed twice
 * (`a[i][j]`): a matrix, whose rows have no fields but their length.
 */
function elementFieldReads(body: N, a: string): N[] {
  const out: N[] = [];
  let matrix = false;
  walk(body, (m) => {
    if (elementFieldRead(m, a)) out.push(m);
    if (m.type === "MemberExpression" && m.computed && m.object.type === "MemberExpression" && m.object.computed && m.object.object.type === "Identifier" && m.object.object.name === a) matrix = true;
  });
  return matrix ? [] : out;
}

/**
 * An array of objects `a`, read as `a[i].f` and `a.length`: each field
 * becomes an array parameter `a$f`, `a[i].f` its element `a$f[i]`, and
 * `a.length` the first field's length. Any other use of `a` is refused.
 */
function lowerList(body: N, a: string, reads: readonly N[], declared: ReadonlyMap<string, N>, replace: Map<N, Replacement>): ObjectParam {
  if (declared.has(a)) refuse(declared.get(a)!, `'${a}'`, "is declared again inside f, and f reads fields of the parameter of that name", "rename one of them");
  const keys = [...new Set(reads.map((m) => m.property.name as string))].sort();
  for (const m of reads) {
    replace.set(m, { name: fieldParam(a, m.property.name), index: m.object.property });
  }
  const inner = new Set(reads.map((m) => m.object as N));
  walk(body, (m, parent, key) => {
    if (m.type !== "Identifier" || m.name !== a || isPropertyName(parent, key)) return;
    if (key === "object" && parent !== null && inner.has(parent)) return;
    if (parent?.type === "MemberExpression" && key === "object" && !parent.computed && parent.property.name === "length") {
      replace.set(m, { name: fieldParam(a, keys[0]!) });
      return;
    }
    refuse(parent?.type === "MemberExpression" ? parent : m, `the array of objects '${a}'`, "is used other than as a[i].field or a.length", `read fields of its elements (${a}[i].field), its length, or pass the values as arrays`);
  });
  // A field of an element read as an array (a[i].f[j]) or an object (a[i].f.g) is refused: fields are numbers.
  walk(body, (m, parent, key) => {
    if (!reads.includes(m) || parent?.type !== "MemberExpression" || key !== "object") return;
    refuse(parent, `${a}[...].${m.property.name} read as an array or an object`, "is not accepted (the fields of an array of objects are numbers)", `pass each element's ${m.property.name} in an array of its own`);
  });
  return { name: a, fields: keys.map((key) => ({ key, param: fieldParam(a, key) })), list: true };
}

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
  let declared: Map<string, N> | null = null;
  for (const p of names) {
    const list = elementFieldReads(body, p);
    if (list.length > 0) {
      declared ??= declaredNames(body);
      objects.push(lowerList(body, p, list, declared, replace));
      continue;
    }
    const reads: N[] = [];
    walk(body, (m, parent, key) => {
      if (!fieldRead(m, p)) return;
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
    reads.forEach((m) => replace.set(m, { name: fieldParam(p, m.property.name) }));
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
  const fieldParams = objects.flatMap((o) => o.fields.map((f) => ({ type: "Identifier", name: f.param, start: node.start, end: node.start, loc: node.loc }) as unknown as Node));
  return { node: { ...node, body: rewritten, params: [...node.params, ...fieldParams] } as FunctionNode, objects };
}

/** Whether an identifier under `parent` at `key` declares its name. */
function isDeclaration(parent: N | null, key: string): boolean {
  if (parent === null) return false;
  if (parent.type === "VariableDeclarator") return key === "id";
  if (parent.type === "Property") return key === "value";
  if (FUNCTIONS.has(parent.type)) return key === "params" || key === "id";
  return parent.type === "ArrayPattern" || parent.type === "RestElement" || parent.type === "AssignmentPattern";
}

/**
 * Marks each use of `alias` (declared by the destructuring `statement`) to
 * read the field's parameter. A use before the destructuring, outside a
 * function declared in f, is refused: JavaScript would throw there.
 */
function markUses(body: N, alias: string, statement: N, p: string, key: string, replace: Map<N, Replacement>): void {
  const visit = (n: N, parent: N | null, k: string, inFunction: boolean): void => {
    if (n.type === "Identifier" && n.name === alias && !isPropertyName(parent, k) && !isDeclaration(parent, k)) {
      if (!inFunction && n.start < statement.end) refuse(n, `'${alias}'`, `is used before it is destructured from '${p}'`, "destructure first");
      replace.set(n, { name: fieldParam(p, key) });
    }
    const inner = inFunction || FUNCTIONS.has(n.type);
    for (const c of Object.keys(n)) {
      if (NOT_CHILDREN.has(c)) continue;
      const v = n[c];
      for (const x of Array.isArray(v) ? v : [v]) if (x !== null && typeof x === "object" && typeof x.type === "string") visit(x, n, c, inner);
    }
  };
  visit(body, null, "", false);
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

/** A copy of `n` with the marked nodes replaced by names and the dropped declarators removed. */
function rebuild(n: N, replace: ReadonlyMap<N, Replacement>, drop: ReadonlySet<N>): N {
  const r = replace.get(n);
  if (r !== undefined) {
    const name = { type: "Identifier", name: r.name, start: n.start, end: n.end, loc: n.loc } as N;
    if (r.index === undefined) return name;
    return { type: "MemberExpression", object: name, property: rebuild(r.index, replace, drop), computed: true, optional: false, start: n.start, end: n.end, loc: n.loc } as N;
  }
  let copy: N | null = null;
  for (const k of Object.keys(n)) {
    if (NOT_CHILDREN.has(k)) continue;
    const v = n[k];
    let next: unknown = v;
    if (Array.isArray(v)) {
      const items = v.filter((x) => !drop.has(x)).map((x) => (x !== null && typeof x === "object" && typeof x.type === "string" ? rebuild(x, replace, drop) : x));
      if (items.length !== v.length || items.some((x, i) => x !== v[i])) next = items;
    } else if (v !== null && typeof v === "object" && typeof v.type === "string") {
      next = rebuild(v, replace, drop);
    }
    if (next !== v) (copy ??= { ...n })[k] = next;
  }
  // A declaration whose declarators were all destructurings of object parameters is gone.
  if (copy !== null && n.type === "VariableDeclaration" && copy.declarations.length === 0) return { type: "EmptyStatement", start: n.start, end: n.end, loc: n.loc } as N;
  return copy ?? n;
}
