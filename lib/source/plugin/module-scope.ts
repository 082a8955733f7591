/**
 * What a module's top level offers a `compile(...)` call at build time:
 * imports of the library, function declarations (helpers and the functions
 * compiled), number constants (`const N = 8`, `const H = 1 / N`) and arrays
 * of them (`const W = [0.5, H]`), which are folded without evaluating any
 * code, and the module's own ops (`const softsign = defineOp({...})`).
 */
import { walk, isReference, type N } from "./walk.ts";

/** The module's top-level bindings the plugin can resolve. */
export interface ModuleScope {
  /** Local name of `compile` imported from the library, and the import's specifier. */
  compile: { local: string; from: string } | null;
  /** Local name -> exported name, for other imports from the library. */
  imports: Map<string, string>;
  /** Top-level function declarations and function-valued consts: name -> node. */
  functions: Map<string, N>;
  /** Top-level number constants, folded. */
  numbers: Map<string, number>;
  /**
   * Top-level arrays of number constants (`[...]`, `new Float64Array([...])`,
   * `Float64Array.of(...)`), folded; or why the plugin cannot use one (the
   * module may change its elements).
   */
  arrays: Map<string, { values: number[] } | { refused: string }>;
  /** Top-level `const name = defineOp({...})` of the library's defineOp: name -> the spec's object literal. */
  ops: Map<string, N>;
}

const MATH: Record<string, unknown> = Object.fromEntries(Object.getOwnPropertyNames(Math).map((k) => [k, Reflect.get(Math, k) as unknown]));

/** The number an initializer folds to, or undefined if it is not a constant number expression. */
function fold(e: N, numbers: ReadonlyMap<string, number>): number | undefined {
  switch (e.type) {
    case "Literal": return typeof e.value === "number" ? e.value : undefined;
    case "Identifier": return numbers.get(e.name);
    case "UnaryExpression": {
      const a = fold(e.argument, numbers);
      return a === undefined ? undefined : e.operator === "-" ? -a : e.operator === "+" ? a : undefined;
    }
    case "BinaryExpression": {
      const a = fold(e.left, numbers);
      const b = fold(e.right, numbers);
      if (a === undefined || b === undefined) return undefined;
      const ops: Record<string, (x: number, y: number) => number> = {
        "+": (x, y) => x + y, "-": (x, y) => x - y, "*": (x, y) => x * y, "/": (x, y) => x / y, "%": (x, y) => x % y, "**": (x, y) => x ** y,
      };
      return ops[e.operator]?.(a, b);
    }
    case "MemberExpression":
      if (e.object.type === "Identifier" && e.object.name === "Math" && !e.computed && typeof MATH[e.property.name] === "number") return MATH[e.property.name] as number;
      return undefined;
    case "CallExpression": {
      const c = e.callee;
      if (c.type !== "MemberExpression" || c.object.type !== "Identifier" || c.object.name !== "Math" || c.computed) return undefined;
      const f = MATH[c.property.name];
      const args = e.arguments.map((a: N) => fold(a, numbers));
      if (typeof f !== "function" || args.some((a: number | undefined) => a === undefined)) return undefined;
      return (f as (...xs: number[]) => number)(...args);
    }
    default: return undefined;
  }
}

/**
 * The top-level bindings of a parsed module; `isLibrary` tells which import
 * specifiers are dualtape.
 *
 * @example
 * ```ts
 * moduleScope(parse(code, { ecmaVersion: "latest", sourceType: "module" }), (s) => s === "dualtape").numbers.get("N");
 * ```
 */
export function moduleScope(program: N, isLibrary: (specifier: string) => boolean): ModuleScope {
  const scope: ModuleScope = { compile: null, imports: new Map(), functions: new Map(), numbers: new Map(), arrays: new Map(), ops: new Map() };
  const exported = new Set<string>();
  for (let s of program.body as N[]) {
    if (s.type === "ExportNamedDeclaration") {
      for (const spec of (s.specifiers ?? []) as N[]) exported.add(spec.local.name ?? spec.local.value);
      for (const d of (s.declaration?.declarations ?? []) as N[]) if (d.id.type === "Identifier") exported.add(d.id.name);
    }
    if (s.type === "ImportDeclaration" && isLibrary(s.source.value)) {
      for (const spec of s.specifiers as N[]) {
        if (spec.type !== "ImportSpecifier") continue;
        const imported = spec.imported.name ?? spec.imported.value;
        if (imported === "compile") scope.compile = { local: spec.local.name, from: s.source.value };
        else scope.imports.set(spec.local.name, imported);
      }
      continue;
    }
    if ((s.type === "ExportNamedDeclaration" || s.type === "ExportDefaultDeclaration") && s.declaration) s = s.declaration;
    if (s.type === "FunctionDeclaration" && s.id && !s.async && !s.generator) scope.functions.set(s.id.name, s);
    if (s.type === "VariableDeclaration" && s.kind === "const") {
      for (const d of s.declarations as N[]) {
        if (d.id.type !== "Identifier" || !d.init) continue;
        if (d.init.type === "ArrowFunctionExpression" || d.init.type === "FunctionExpression") scope.functions.set(d.id.name, d.init);
        else if (isDefineOp(d.init, scope.imports)) scope.ops.set(d.id.name, d.init.arguments[0]);
        else {
          const v = fold(d.init, scope.numbers);
          if (v !== undefined) scope.numbers.set(d.id.name, v);
          const a = v === undefined ? foldArray(d.init, scope.numbers) : undefined;
          if (a !== undefined) scope.arrays.set(d.id.name, { values: a });
        }
      }
    }
  }
  for (const [name, why] of changeable(program, scope.arrays, exported)) scope.arrays.set(name, { refused: why });
  return scope;
}

/** Whether `e` is `defineOp({...})` on the library's defineOp. */
function isDefineOp(e: N, imports: ReadonlyMap<string, string>): boolean {
  return e.type === "CallExpression" && e.callee.type === "Identifier" && imports.get(e.callee.name) === "defineOp"
    && e.arguments.length === 1 && e.arguments[0].type === "ObjectExpression";
}

/** The numbers of an array initializer (`[...]`, `new Float64Array([...])`, `Float64Array.of(...)`), or undefined. */
function foldArray(e: N, numbers: ReadonlyMap<string, number>): number[] | undefined {
  let elements: N[] | undefined;
  if (e.type === "ArrayExpression") elements = e.elements;
  else if (e.type === "NewExpression" && e.callee.type === "Identifier" && e.callee.name === "Float64Array" && e.arguments.length === 1 && e.arguments[0].type === "ArrayExpression") elements = e.arguments[0].elements;
  else if (e.type === "CallExpression" && e.callee.type === "MemberExpression" && !e.callee.computed && e.callee.object.type === "Identifier"
    && e.callee.object.name === "Float64Array" && e.callee.property.name === "of") elements = e.arguments;
  if (elements === undefined || elements.length === 0) return undefined;
  const values: number[] = [];
  for (const el of elements) {
    const v = el === null || el.type === "SpreadElement" ? undefined : fold(el, numbers);
    if (v === undefined) return undefined;
    values.push(v);
  }
  return values;
}

/**
 * The arrays whose elements the module could change, with why: the plugin
 * writes an array's build-time values into the compiled function, which is
 * right only if every use in the module reads an element or the length.
 */
function changeable(program: N, arrays: ReadonlyMap<string, unknown>, exported: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of arrays.keys()) if (exported.has(name)) out.set(name, "is exported, so another module could change its elements");
  walk(program, (n, parent) => {
    if (n.type !== "Identifier" || !arrays.has(n.name) || out.has(n.name) || !isReference(n, parent)) return;
    if (parent?.type === "VariableDeclarator" && parent.id === n) return;
    if (parent?.type !== "MemberExpression" || parent.object !== n) {
      out.set(n.name, "is used other than by reading its elements or length, so the module could change it");
    } else if (!parent.computed && parent.property.name !== "length") {
      out.set(n.name, `has its method or property '${String(parent.property.name)}' used, which could change it`);
    }
  });
  // Element writes: a[i] = v, a[i] += v, a[i]++.
  walk(program, (n) => {
    const target = n.type === "AssignmentExpression" ? n.left : n.type === "UpdateExpression" || (n.type === "UnaryExpression" && n.operator === "delete") ? n.argument : null;
    if (target?.type === "MemberExpression" && target.object.type === "Identifier" && arrays.has(target.object.name) && !out.has(target.object.name)) {
      out.set(target.object.name, "has its elements written by the module");
    }
  });
  return out;
}
