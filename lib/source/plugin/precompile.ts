/**
 * Rewrites one module at build time: every `compile(f, { wrt, helpers })`
 * call on dualtape's `compile` becomes a `precompiled({...})` call holding the
 * generated code, so the bundle never parses or generates code at run time.
 * Module-level number constants and arrays of them used by f are written
 * into its text before it is compiled (the run-time path refuses them as
 * free variables), and the module's own `defineOp` ops passed in helpers are
 * made from their spec's text at build time.
 */
import { parse } from "acorn";
import { moduleScope, type ModuleScope } from "./module-scope.ts";
import { walk, isReference, type N } from "./walk.ts";
import { writePrecompiled } from "./write.ts";
import { emit, type CompileOptions } from "../compile.ts";
import { defineOpDetached } from "../../registry/define-op.ts";
import { fail } from "../registry.ts";

const CALLEE = "__dualtape_precompiled";

/** Globals a build-time op spec may read (anything else would be a module value the plugin cannot see). */
const GLOBALS = new Set(["Math", "Infinity", "NaN", "undefined"]);

/**
 * Names declared anywhere inside `node`: parameters of every function in it,
 * variables and inner functions. A module constant any of them shadows is
 * left alone in the whole node (the compiled language has no nested scopes
 * that would make this too cautious).
 */
function declared(node: N): Set<string> {
  const names = new Set<string>();
  const add = (target: N) => walk(target, (m, parent) => void (m.type === "Identifier" && isReference(m, parent) && names.add(m.name)));
  walk(node, (n) => {
    if ((n.type === "VariableDeclarator" || n.type === "FunctionDeclaration") && n.id) add(n.id);
    if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression") for (const p of n.params as N[]) add(p);
  });
  return names;
}

/** A number as source text that reads back as the same number (-0 and non-finite values included). */
function numberText(v: number): string {
  if (Number.isNaN(v)) return "(0 / 0)";
  if (!Number.isFinite(v)) return v > 0 ? "(1 / 0)" : "(-1 / 0)";
  return Object.is(v, -0) ? "(-0)" : `(${String(v)})`;
}

type Edit = { start: number; end: number; text: string };

/** `text` (the code from `base` on) with the edits made; replacements before insertions at one place. */
function edited(text: string, base: number, edits: Edit[]): string {
  const sorted = edits.slice().sort((a, b) => b.start - a.start || (b.end - b.start) - (a.end - a.start));
  for (const e of sorted) text = text.slice(0, e.start - base) + e.text + text.slice(e.end - base);
  return text;
}

/**
 * The text of a function node with the module's constants written in:
 * numbers in place, and each array it reads declared at the top of its
 * body (so the compiled function has its own copy of the build-time values).
 */
function functionText(code: string, fnNode: N, scope: ModuleScope, api: string): string {
  const shadowed = declared(fnNode);
  const edits: Edit[] = [];
  const arrays = new Map<string, number[]>();
  walk(fnNode, (n, parent) => {
    if (n.type !== "Identifier" || shadowed.has(n.name) || !isReference(n, parent)) return;
    const v = scope.numbers.get(n.name);
    if (v !== undefined) edits.push({ start: n.start, end: n.end, text: numberText(v) });
    const a = scope.arrays.get(n.name);
    if (a === undefined) return;
    if ("refused" in a) fail(api, `the module array '${n.name}' read by a compiled function ${a.refused}`, `keep it a module-private const that is only indexed, or pass it to f as an argument`);
    arrays.set(n.name, a.values);
  });
  if (arrays.size > 0) {
    const decls = [...arrays].map(([name, values]) => `const ${name} = [${values.map(numberText).join(", ")}];`).join(" ");
    const body = fnNode.body as N;
    if (body.type === "BlockStatement") edits.push({ start: body.start + 1, end: body.start + 1, text: ` ${decls}` });
    else edits.push({ start: body.start, end: body.start, text: `{ ${decls} return (` }, { start: body.end, end: body.end, text: "); }" });
  }
  return edited(code.slice(fnNode.start, fnNode.end), fnNode.start, edits);
}

/** A build-time value of that text (a function's toString is then what `compile` parses). */
function valueOf<T = (...args: never[]) => unknown>(text: string): T {
  // Build time only: the text is the user's own code, and nothing of this reaches the bundle.
  return new Function(`return (${text});`)() as T;
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
    if (fnNode !== undefined) return valueOf(functionText(code, fnNode, scope, api));
    const spec = scope.ops.get(value.name);
    if (spec !== undefined) return opOf(value.name, spec, code, scope, api);
  }
  return fail(api, `the helper ${code.slice(value.start, value.end)} is neither a dualtape import, a module-level function nor a module-level defineOp`,
    "import ops from dualtape, or declare helper functions and defineOp ops at the top level of the module");
}

/**
 * The module's own op `name = defineOp(spec)`, made at build time from the
 * spec's text (module number constants written in) without registering it:
 * the bundle registers it when the module runs, before the precompiled call
 * looks it up by name. The spec may read only its arguments, Math and
 * module constants, since nothing else of the module exists at build time.
 */
function opOf(local: string, spec: N, code: string, scope: ModuleScope, api: string): unknown {
  const shadowed = declared(spec);
  const free = new Set<string>();
  walk(spec, (n, parent) => {
    if (n.type === "Identifier" && isReference(n, parent) && !shadowed.has(n.name) && !GLOBALS.has(n.name) && !scope.numbers.has(n.name)) free.add(n.name);
  });
  if (free.size > 0) {
    fail(api, `the defineOp spec of helper '${local}' reads ${[...free].map((n) => `'${n}'`).join(", ")}, which the plugin cannot know at build time`,
      "write value and partials with their arguments, the algebra A, Math and module number constants only");
  }
  const text = functionText(code, spec, scope, api);
  // One op per spec text, however many compile calls (or rebuilds) use it.
  let op = madeOps.get(text);
  if (op === undefined) madeOps.set(text, (op = defineOpDetached(valueOf(text))));
  return op;
}

const madeOps = new Map<string, unknown>();

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
    const f = valueOf(functionText(code, fnNode, scope, `dualtape/esbuild (${at})`));
    const name = fArg.type === "Identifier" ? fArg.name : (fnNode.id?.name ?? "f");
    const emitted = emit(f, optionsOf(optArg, code, scope, library, at));
    edits.push({ start: n.start, end: n.end, text: writePrecompiled(emitted, name, CALLEE) });
  });
  if (edits.length === 0) return null;
  let out = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return `import { precompiled as ${CALLEE} } from ${JSON.stringify(scope.compile.from)};\n${out}`;
}
