/**
 * Rewrites one module at build time: every `compile(f, { wrt, helpers })`
 * call on dualtape's `compile` becomes a `precompiled({...})` call holding the
 * generated code, so the bundle never parses or generates code at run time.
 * Module-level number constants used by f are written into its text before
 * it is compiled (the run-time path refuses them as free variables).
 */
import { parse, type Node } from "acorn";
import { moduleScope, type ModuleScope } from "./module-scope.ts";
import { writePrecompiled } from "./write.ts";
import { emit, type CompileOptions } from "../compile.ts";
import { fail } from "../registry.ts";

type N = Node & Record<string, any>;

const CALLEE = "__dualtape_precompiled";

/** Calls `visit` on every node under `node`, with its parent. */
function walk(node: N, visit: (n: N, parent: N | null) => void, parent: N | null = null): void {
  visit(node, parent);
  for (const key of Object.keys(node)) {
    if (key === "loc") continue;
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) if (c && typeof c.type === "string") walk(c, visit, node);
    if (v && typeof v === "object" && typeof v.type === "string") walk(v, visit, node);
  }
}

/** Names a function declares anywhere inside it (parameters, variables, inner functions). */
function declared(fnNode: N): Set<string> {
  const names = new Set<string>();
  walk(fnNode, (n) => {
    if ((n.type === "VariableDeclarator" || n.type === "FunctionDeclaration") && n.id) walk(n.id, (m) => void (m.type === "Identifier" && names.add(m.name)));
  });
  for (const p of fnNode.params as N[]) walk(p, (m) => void (m.type === "Identifier" && names.add(m.name)));
  return names;
}

/** The text of a function node with the module's number constants written in. */
function functionText(code: string, fnNode: N, scope: ModuleScope): string {
  const shadowed = declared(fnNode);
  const edits: { start: number; end: number; text: string }[] = [];
  walk(fnNode, (n, parent) => {
    if (n.type !== "Identifier" || !scope.numbers.has(n.name) || shadowed.has(n.name)) return;
    if (parent?.type === "MemberExpression" && parent.property === n && !parent.computed) return;
    if (parent?.type === "Property" && parent.key === n && !parent.computed) return;
    edits.push({ start: n.start, end: n.end, text: `(${String(scope.numbers.get(n.name))})` });
  });
  let text = code.slice(fnNode.start, fnNode.end);
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start - fnNode.start) + e.text + text.slice(e.end - fnNode.start);
  return text;
}

/** A build-time function object with that text (its toString is what `compile` parses). */
function functionOf(text: string): (...args: never[]) => unknown {
  // Build time only: the text is the user's own function, and nothing of this reaches the bundle.
  return new Function(`return (${text});`)() as (...args: never[]) => unknown;
}

function where(file: string, code: string, node: N): string {
  const line = code.slice(0, node.start).split("\n").length;
  return `${file}:${line}`;
}

/** The options object of a call, resolved at build time. */
function optionsOf(arg: N | undefined, code: string, scope: ModuleScope, library: Record<string, unknown>, at: string): CompileOptions {
  const api = `dualtape/esbuild (${at})`;
  if (arg?.type !== "ObjectExpression") fail(api, "the options of compile are not an object literal", "write compile(f, { wrt: [0] }) with the options inline");
  const options: { wrt: number[]; helpers: Record<string, unknown> } = { wrt: [], helpers: {} };
  for (const p of arg.properties as N[]) {
    const key = p.key?.name ?? p.key?.value;
    if (key === "wrt" && p.value.type === "ArrayExpression" && p.value.elements.every((e: N) => e?.type === "Literal" && typeof e.value === "number")) {
      options.wrt = p.value.elements.map((e: N) => e.value);
    } else if (key === "helpers" && p.value.type === "ObjectExpression") {
      for (const h of p.value.properties as N[]) options.helpers[h.key.name ?? h.key.value] = helperOf(h.value, code, scope, library, api);
    } else fail(api, `the option '${String(key)}' is not a literal the plugin can read`, "write wrt as an array of numbers and helpers as { name } of imports or module functions");
  }
  return options;
}

function helperOf(value: N, code: string, scope: ModuleScope, library: Record<string, unknown>, api: string): unknown {
  if (value.type === "Identifier") {
    const exported = scope.imports.get(value.name);
    if (exported !== undefined && exported in library) return library[exported];
    const fnNode = scope.functions.get(value.name);
    if (fnNode !== undefined) return functionOf(functionText(code, fnNode, scope));
  }
  return fail(api, `the helper ${code.slice(value.start, value.end)} is neither a dualtape import nor a module-level function`,
    "import ops from dualtape or declare helper functions at the top level of the module (ops from defineOp need the run-time compile)");
}

/**
 * The module with its `compile` calls precompiled, or null when it has none.
 * `code` is JavaScript (types already erased); `isLibrary` tells which import
 * specifiers are dualtape; `library` is dualtape's exports at build time.
 *
 * @example
 * ```ts
 * precompileModule(js, "energy.ts", (s) => s === "dualtape", lib); // "...__dualtape_precompiled({ ... })..."
 * ```
 */
export function precompileModule(code: string, file: string, isLibrary: (s: string) => boolean, library: Record<string, unknown>): string | null {
  const program = parse(code, { ecmaVersion: "latest", sourceType: "module" }) as N;
  const scope = moduleScope(program, isLibrary);
  if (scope.compile === null) return null;
  const edits: { start: number; end: number; text: string }[] = [];
  walk(program, (n) => {
    if (n.type !== "CallExpression" || n.callee.type !== "Identifier" || n.callee.name !== scope.compile!.local) return;
    const at = where(file, code, n);
    const [fArg, optArg] = n.arguments as N[];
    const fnNode = fArg?.type === "Identifier" ? scope.functions.get(fArg.name) : fArg?.type === "ArrowFunctionExpression" || fArg?.type === "FunctionExpression" ? fArg : undefined;
    if (fnNode === undefined) fail(`dualtape/esbuild (${at})`, "the function passed to compile is not a function literal or a module-level function", "declare it at the top level of the module or pass it inline");
    const f = functionOf(functionText(code, fnNode, scope));
    const name = fArg.type === "Identifier" ? fArg.name : (fnNode.id?.name ?? "f");
    const emitted = emit(f, optionsOf(optArg, code, scope, library, at));
    edits.push({ start: n.start, end: n.end, text: writePrecompiled(emitted, name, CALLEE) });
  });
  if (edits.length === 0) return null;
  let out = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return `import { precompiled as ${CALLEE} } from ${JSON.stringify(scope.compile.from)};\n${out}`;
}
