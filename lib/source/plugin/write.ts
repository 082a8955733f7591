/**
 * Writes an emitted compiled function as JavaScript text for a bundle: a
 * `precompiled({...})` call whose `make` factory holds the generated
 * functions as ordinary code, with their constants declared beside them.
 * This runs at build time; the bundle then needs no code generation.
 */
import { parse } from "acorn";
import { allOps, detachedOps, fail } from "../registry.ts";
import { sourceOf, emitPattern, type Emitted } from "../compile.ts";

/**
 * The name of the op whose value function is `value`, if any: a registered
 * op, or a module's own defineOp op made at build time (detached), which
 * the module registers under that name when the bundle runs. Looked up on
 * every call, as ops may be defined between two builds.
 */
function opNameOf(value: unknown): string | undefined {
  for (const op of [...allOps(), ...detachedOps()]) if (op.elementwise?.value === value) return op.name;
  return undefined;
}

/**
 * A small pure arrow (a mask predicate from an op rule) as text; the
 * closure it captures, when it records one (`captured`), is bound around it.
 */
function functionText(value: (...xs: never[]) => unknown): string {
  const text = value.toString();
  if (!/^(\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>/.test(text)) {
    fail("dualtape/esbuild", `the generated code uses a function that is neither an op nor an arrow (${text.slice(0, 40)})`, "define it as an op with defineOp");
  }
  parse(`(${text})`, { ecmaVersion: "latest" });
  const captured = (value as { captured?: Record<string, (...xs: never[]) => unknown> }).captured;
  if (captured === undefined) return `(${text})`;
  const names = Object.keys(captured);
  return `((${names.join(", ")}) => (${text}))(${names.map((n) => functionText(captured[n])).join(", ")})`;
}

/**
 * JavaScript for one constant the generated code closes over. Buffers are
 * allocated afresh; op functions are looked up in the registry when the
 * bundle loads; mask predicates (small pure arrows from the op rules) are
 * written out as their own text.
 */
function constantCode(name: string, value: unknown): string {
  if (name === "$S") return "rt.stacks";
  if (value instanceof Float64Array) return `new Float64Array(${value.length})`;
  if (Array.isArray(value) && value.every((v) => v === null)) return `new Array(${value.length}).fill(null)`;
  if (typeof value === "function") {
    const op = opNameOf(value);
    return op !== undefined ? `rt.op(${JSON.stringify(op)})` : functionText(value as (...xs: never[]) => unknown);
  }
  return fail("dualtape/esbuild", `the generated code closes over a value it cannot write into a bundle (${name})`, "report this with the function being compiled");
}

function declarations(constants: ReadonlyMap<string, unknown>, extra: ReadonlyMap<string, unknown> = new Map()): string {
  const all = new Map([...constants, ...extra]);
  return [...all].map(([name, value]) => `const ${name} = ${constantCode(name, value)};`).join("\n");
}

/**
 * The text of `callee({...})` that rebuilds `e` without generating code.
 *
 * @example
 * ```ts
 * writePrecompiled(emit(f, { wrt: [0] }), "f", "__dualtape_precompiled");
 * ```
 */
export function writePrecompiled(e: Emitted, name: string, callee: string): string {
  const fwd = `(() => {\n${declarations(e.forward.constants)}\nconst forward = ${e.forward.source};\nreturn { forward, forwardRes: $res };\n})()`;
  const lanes = `(() => {\n${declarations(e.forwardLanes.constants)}\nconst forwardLanes = ${e.forwardLanes.source};\nreturn { forwardLanes, forwardLanesRes: $res };\n})()`;
  const p = emitPattern(e);
  const pattern = `(() => {\n${declarations(p.constants)}\nconst forwardPattern = ${p.source};\nconst pass = { run: forwardPattern };\nreturn { pattern: () => pass };\n})()`;
  // Assembled first: assembling the lanes adjoint adds its result buffer to the constants declared below.
  const reverseLanes = e.reverse.reverseLanes;
  const rev = `(() => {\n${declarations(e.reverse.constants, new Map([["$S", null]]))}\nconst sweep = ${e.reverse.sweep};\nconst reverse = ${e.reverse.reverse};\nconst reverseLanes = ${reverseLanes};\nreturn { sweep, reverse, reverseRes: $res, reverseLanes, reverseLanesRes: $resLanes, localArrays: $A };\n})()`;
  // The fused pass, where f has one: its functions, with their result buffers (lanes assembled first, as above).
  const f = e.fused;
  const fusedLanes = f?.fusedLanes;
  const adjointLanes = f?.adjointLanes;
  const adjointOf = (a: string | null | undefined) => (a === null || a === undefined ? "" : `, adjoint: ${a}`);
  const fused = f === null ? "{}"
    : `(() => {\n${declarations(f.constants, new Map([["$S", null]]))}\nconst one = { run: ${f.fused}${adjointOf(f.adjoint)}, res: $res };\nconst lanes = { run: ${fusedLanes}${adjointOf(adjointLanes)}, res: $resLanes };\nreturn { fused: { one, lanes } };\n})()`;
  const meta = {
    name, wrt: e.wrt,
    params: e.fn.params, resultArray: e.fn.resultArray, writtenParams: e.fn.writtenParams, adjointWrites: e.reverse.writes,
    source: sourceOf(e),
  };
  const fields = Object.entries(meta).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ");
  return `${callee}({ ${fields}, make: (rt) => ({ ...${fwd}, ...${lanes}, ...${pattern}, ...${rev}, ...${fused} }) })`;
}
