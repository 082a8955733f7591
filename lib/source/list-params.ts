/**
 * Arrays of objects: a parameter read as `a[i].x` and `a.length`, run over
 * by `for (const p of a)` (reading `p.x`), destructured element by element
 * (`const { x, y } = a[i]`) or with an element named (`const p = a[i]`,
 * reading `p.x`), takes an array of objects whose fields
 * are numbers. Each field becomes an array parameter `a$x` (one
 * Float64Array per field at each call, see object-args.ts): `a[i].x` reads
 * `a$x[i]`, the loop counts an index of its own, and a destructured
 * element copies its fields into locals, as JavaScript copies numbers.
 */
import { refuse } from "./source-error.ts";
import { walk, isPropertyName, isDeclaration, identifier, element, fieldParam, freshName, declarationCount, patternFields, readsFieldOf, type N, type Replacement, type ObjectParam } from "./ast-rewrite.ts";

/** Where the body uses an array of objects. */
export interface ListUses {
  /** `a[i].f`. */
  reads: N[];
  /** `for (const p of a)` and `for (const { x } of a)`. */
  loops: N[];
  /** `const { x } = a[i]`. */
  elements: N[];
  /** `const p = a[i]` with `p.x` read somewhere: a name for the element. */
  aliases: N[];
}

/** `a[i].f`: a field of an element of `a` (`a[i].length` is a matrix's row length). */
const elementFieldRead = (m: N, a: string): boolean =>
  m.type === "MemberExpression" && !m.computed && m.property.type === "Identifier" && m.property.name !== "length" && m.object.type === "MemberExpression" && m.object.computed
  && m.object.object.type === "Identifier" && m.object.object.name === a;

const isName = (m: N | null | undefined, a: string): boolean => m?.type === "Identifier" && m.name === a;

/**
 * How the body uses `a` as an array of objects, or null when it does not
 * (no field of an element read, or `a` indexed twice as a matrix is).
 *
 * @example
 * ```ts
 * listUses(body, "pts"); // { reads: [pts[i].x, ...], loops: [], elements: [] }
 * ```
 */
export function listUses(body: N, a: string): ListUses | null {
  const uses: ListUses = { reads: [], loops: [], elements: [], aliases: [] };
  let matrix = false;
  const named: N[] = [];
  walk(body, (m) => {
    if (elementFieldRead(m, a)) uses.reads.push(m);
    if (m.type === "MemberExpression" && m.computed && m.object.type === "MemberExpression" && m.object.computed && isName(m.object.object, a)) matrix = true;
    if (m.type === "ForOfStatement" && isName(m.right, a)) uses.loops.push(m);
    const ofElement = m.type === "VariableDeclarator" && m.init?.type === "MemberExpression" && m.init.computed && isName(m.init.object, a);
    if (ofElement && m.id.type === "ObjectPattern") uses.elements.push(m);
    if (ofElement && m.id.type === "Identifier") named.push(m);
  });
  const aliases = named.filter((d) => readsFieldOf(body, d.id.name));
  if (matrix || (uses.reads.length === 0 && uses.elements.length === 0 && aliases.length === 0 && !uses.loops.some((l) => loopReadsFields(l)))) return null;
  // Once a is an array of objects, every element given a name is one.
  uses.aliases = named;
  return uses;
}

/** Whether a for...of loop destructures its element or reads a field of it: then it runs over objects. */
function loopReadsFields(loop: N): boolean {
  const target = loopTarget(loop);
  if (target === null) return false;
  return target.type === "ObjectPattern" || readsFieldOf(loop.body, target.name);
}

/** The loop's one declared target (a name or an object pattern), or null for other heads (refused by the checker). */
function loopTarget(loop: N): N | null {
  const left = loop.left as N;
  return left.type === "VariableDeclaration" && left.kind !== "var" && left.declarations.length === 1 ? left.declarations[0].id as N : null;
}

/**
 * Marks the uses of array of objects `a` for rewriting (see the file's
 * comment) and returns it as an object parameter with `list`. Refused,
 * with what to write: any other use of `a` (an element as a value,
 * passing it on), a field of an element read as an array or an object,
 * an element name of a loop used other than as `p.field` or declared
 * again, and an element index with effects in a destructuring (it would
 * run once per field).
 *
 * @example
 * ```ts
 * lowerList(body, "pts", listUses(body, "pts")!, replace, new Set()); // { name: "pts", fields: [x, y], list: true }
 * ```
 */
export function lowerList(body: N, a: string, uses: ListUses, replace: Map<N, Replacement>, taken: Set<string>): ObjectParam {
  const keys = new Set(uses.reads.map((m) => m.property.name as string));
  for (const m of uses.reads) replace.set(m, (copy) => element(fieldParam(a, m.property.name), copy(m.object.property), m));
  const first = () => fieldParam(a, [...keys].sort()[0]!);
  for (const loop of uses.loops) lowerLoop(body, a, loop, keys, first, replace, taken);
  for (const d of uses.elements) {
    let effects = false;
    walk(d.init.property, (m) => { if (m.type === "UpdateExpression" || m.type === "AssignmentExpression" || m.type === "CallExpression") effects = true; });
    if (effects) refuse(d.init, `the index of this element of '${a}'`, "has effects, and destructuring reads it once per field", "compute the index into a local first");
    const fields = patternFields(d.id, `destructuring an element of '${a}'`, "{ x, y: b }");
    fields.forEach(({ key }) => keys.add(key));
    replace.set(d, (copy) => fields.map(({ local: name, key }) => ({ type: "VariableDeclarator", id: identifier(name, d.id), init: element(fieldParam(a, key), copy(d.init.property), d.init), start: d.start, end: d.end, loc: d.loc }) as N));
  }
  for (const d of uses.aliases) lowerAlias(body, a, d, keys, replace, taken);
  checkListUses(body, a, uses);
  walk(body, (m, parent, key) => {
    if (isName(m, a) && parent?.type === "MemberExpression" && key === "object" && !parent.computed && parent.property.name === "length") replace.set(m, () => identifier(first(), m));
  });
  return { name: a, fields: [...keys].sort().map((key) => ({ key, param: fieldParam(a, key) })), list: true };
}

/**
 * `for (const p of a) body` as a counted loop on a name of its own,
 * `p.x` in the body read as `a$x[counter]`; `for (const { x } of a)`
 * declares `x = a$x[counter]` first thing in the body.
 */
function lowerLoop(body: N, a: string, loop: N, keys: Set<string>, first: () => string, replace: Map<N, Replacement>, taken: Set<string>): void {
  const target = loopTarget(loop);
  if (target === null) return;
  const counter = freshName(body, `${a}_i`, taken);
  const kind = (loop.left as N).kind as string;
  let head: [string, string][] = [];
  if (target.type === "ObjectPattern") {
    head = patternFields(target, `the for...of loop over '${a}'`, "{ x, y: b }").map(({ local, key }) => [local, key]);
    head.forEach(([, key]) => keys.add(key));
  } else {
    const e = target.name as string;
    if (declarationCount(body, e) > 1) refuse(target, `'${e}', the element of the loop over '${a}',`, "is declared more than once in f", "give it a name of its own");
    walk(loop.body, (m, parent, k) => {
      if (!isName(m, e) || isPropertyName(parent, k)) return;
      const field = parent?.type === "MemberExpression" && k === "object" && !parent.computed && parent.property.name !== "length" ? parent : null;
      if (field === null) {
        refuse(parent?.type === "MemberExpression" ? parent : m, `the element '${e}' of the array of objects '${a}'`, `is used other than as ${e}.field`, `read its fields (${e}.x)`);
      }
      keys.add(field.property.name);
      replace.set(field, () => element(fieldParam(a, field.property.name), identifier(counter, field), field));
    });
  }
  replace.set(loop, (copy) => {
    const at = loop;
    const c = () => identifier(counter, at);
    const declared = head.map(([name, key]) => ({
      type: "VariableDeclaration", kind, start: at.start, end: at.end, loc: at.loc,
      declarations: [{ type: "VariableDeclarator", id: identifier(name, target), init: element(fieldParam(a, key), c(), at), start: at.start, end: at.end, loc: at.loc }],
    }) as N);
    const inner = copy(loop.body);
    const statements = inner.type === "BlockStatement" ? inner.body as N[] : [inner];
    return {
      type: "ForStatement", start: at.start, end: at.end, loc: at.loc,
      init: { type: "VariableDeclaration", kind: "let", declarations: [{ type: "VariableDeclarator", id: c(), init: { type: "Literal", value: 0, raw: "0", start: at.start, end: at.end, loc: at.loc }, start: at.start, end: at.end, loc: at.loc }], start: at.start, end: at.end, loc: at.loc },
      test: { type: "BinaryExpression", operator: "<", left: c(), right: { type: "MemberExpression", object: identifier(first(), at), property: identifier("length", at), computed: false, optional: false, start: at.start, end: at.end, loc: at.loc }, start: at.start, end: at.end, loc: at.loc },
      update: { type: "UpdateExpression", operator: "++", prefix: false, argument: c(), start: at.start, end: at.end, loc: at.loc },
      body: { type: "BlockStatement", body: [...declared, ...statements], start: at.start, end: at.end, loc: at.loc },
    } as N;
  });
}

/**
 * `const p = a[i]`: the index is computed once into a name of its own,
 * and `p.x` reads (and writes) `a$x` there, as `p` names that element's
 * object in JavaScript.
 */
function lowerAlias(body: N, a: string, d: N, keys: Set<string>, replace: Map<N, Replacement>, taken: Set<string>): void {
  const p = d.id.name as string;
  const declaration = declarationOf(body, d);
  if (declaration?.kind !== "const") refuse(d, `'${p}', an element of the array of objects '${a}',`, `is declared with ${declaration?.kind ?? "var"}`, "declare it with const");
  if (declarationCount(body, p) > 1) refuse(d, `'${p}', an element of the array of objects '${a}',`, "is declared more than once in f", "give it a name of its own");
  const index = freshName(body, `${p}_at`, taken);
  replace.set(d, (copy) => ({ type: "VariableDeclarator", id: identifier(index, d.id), init: copy(d.init.property), start: d.start, end: d.end, loc: d.loc }) as N);
  walk(body, (m, parent, k) => {
    if (!isName(m, p) || isPropertyName(parent, k) || isDeclaration(parent, k)) return;
    const field = parent?.type === "MemberExpression" && k === "object" && !parent.computed && parent.property.name !== "length" ? parent : null;
    if (field === null) refuse(parent?.type === "MemberExpression" ? parent : m, `the element '${p}' of the array of objects '${a}'`, `is used other than as ${p}.field`, `read its fields (${p}.x)`);
    keys.add(field.property.name);
    replace.set(field, () => element(fieldParam(a, field.property.name), identifier(index, field), field));
  });
}

/** The declaration that holds declarator `d`. */
function declarationOf(body: N, d: N): N | null {
  let out: N | null = null;
  walk(body, (m, parent) => { if (m === d) out = parent; });
  return out;
}

/** `a` appears only where a rewrite reads it: an element's field, a loop over it, an element destructured or named, its length. */
function checkListUses(body: N, a: string, uses: ListUses): void {
  const inner = new Set(uses.reads.map((m) => m.object as N));
  const elements = new Set([...uses.elements, ...uses.aliases].map((d) => d.init as N));
  const loops = new Set(uses.loops);
  walk(body, (m, parent, key) => {
    if (!isName(m, a) || isPropertyName(parent, key) || parent === null) return;
    if (key === "object" && (inner.has(parent) || elements.has(parent))) return;
    if (key === "right" && loops.has(parent)) return;
    if (parent.type === "MemberExpression" && key === "object" && !parent.computed && parent.property.name === "length") return;
    refuse(parent.type === "MemberExpression" ? parent : m, `the array of objects '${a}'`, "is used other than as a[i].field, a.length, a for...of loop or a destructured element",
      `read fields of its elements (${a}[i].field), or pass the values as arrays`);
  });
  // A field of an element read as an array (a[i].f[j]) or an object (a[i].f.g) is refused: fields are numbers.
  walk(body, (m, parent, key) => {
    if (!uses.reads.includes(m) || parent?.type !== "MemberExpression" || key !== "object") return;
    refuse(parent, `${a}[...].${m.property.name} read as an array or an object`, "is not accepted (the fields of an array of objects are numbers)", `pass each element's ${m.property.name} in an array of its own`);
  });
}
