/**
 * What a module's top level offers a `compile(...)` call at build time:
 * imports of the library, function declarations (helpers and the functions
 * compiled), and number constants (`const N = 8`, `const H = 1 / N`), which
 * are folded without evaluating any code.
 */
import type { Node } from "acorn";

type N = Node & Record<string, any>;

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
  const scope: ModuleScope = { compile: null, imports: new Map(), functions: new Map(), numbers: new Map() };
  for (let s of program.body as N[]) {
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
        else {
          const v = fold(d.init, scope.numbers);
          if (v !== undefined) scope.numbers.set(d.id.name, v);
        }
      }
    }
  }
  return scope;
}
