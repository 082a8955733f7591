/**
 * The op registry. Every primitive is declared once, as data: its value on
 * numbers and its local partials written against an algebra `A` (elementwise
 * ops), or its value and a linear tangent map with its transpose
 * (structural ops: reductions, shape and linear-algebra ops). Forward and
 * reverse mode consume these declarations generically; neither names an op.
 *
 * Two algebras come from the registry itself: `Num` (each op's `value` on
 * numbers, the fast path) and `G` (each op's public function, which
 * dispatches on Dual/Var/Tensor/number). Rules evaluated with `G` are
 * themselves differentiable, which is how higher orders work. Both are typed
 * from the op table (`OpTable`, filled in by lib/ops), so a rule calls every
 * built-in op as `A.name(...)`; ops added with defineOp are `A.op(name)`.
 */
import { fail, describe, TypeMismatchError, DualtapeError } from "../errors.ts";
import { Lifted, type Value } from "./lifted.ts";
import { Tensor } from "../tensor/tensor.ts";
import { mapBroadcast } from "../tensor/broadcast.ts";
import { makeScalarKernel } from "./scalar-kernel.ts";
import { makeEntry } from "./entry.ts";

export type { OpFn, OpFunction, RuleFn, OpTable, Out1, Out2, Unary, Binary, Ternary, Algebra, PartialList, Domain, ElementwiseSpec, StructuralSpec, StructuralRunner, Op, BatchRule } from "./types.ts";
import type { OpFn, Out1, Out2, Unary, Binary, Ternary, Algebra, PartialList, Domain, ElementwiseSpec, StructuralSpec, StructuralRunner, Op } from "./types.ts";

const byName = new Map<string, Op>();
const byId: Op[] = [];

/** An algebra's functions by name, as registration fills them in. */
type Table = Record<string, OpFn>;
const numTable: Table = Object.create(null);
const gTable: Table = Object.create(null);

/** `table` typed as an algebra, with `op(name)` to reach ops the type does not list (those from defineOp). */
function withLookup(table: Table): Algebra {
  const op = (name: string): OpFn => {
    if (name === "op" || !(name in table)) {
      fail("A.op", `no op named '${String(name)}' is registered`, "check the spelling, or register the op with defineOp first", TypeMismatchError);
    }
    return table[name];
  };
  Object.defineProperty(table, "op", { value: op });
  // Registration fills the table by name; its type is the op table's, which lists the same names.
  return table as unknown as Algebra;
}

/**
 * The algebra on plain numbers: each elementwise op's `value` (the fast
 * path), and each structural op's public function (which on numbers and
 * Tensors computes the plain value).
 */
export const Num: Algebra = withLookup(numTable);
/** Each op's public (dispatching) function, by name: the differentiable algebra. */
export const G: Algebra = withLookup(gTable);

type Installer = (name: string, fn: OpFn) => void;
const installers: Installer[] = [];

/**
 * Registers a callback run for every op, already registered or future (used
 * to install ops as methods on Tensor/Dual/Var).
 *
 * @example
 * ```ts
 * onOpRegistered((name, fn) => console.log("op", name));
 * ```
 */
export function onOpRegistered(install: Installer): void {
  installers.push(install);
  for (const op of byId) install(op.name, gTable[op.name]);
}

function checkName(name: string): void {
  if (typeof name !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    fail("defineOp", `name ${describe(name)} is not an identifier`, "use letters, digits and _ (e.g. 'myOp')", TypeMismatchError);
  }
  if (name === "op") {
    fail("defineOp", "the name 'op' is reserved (rules reach ops by name through A.op(name))", "choose another name", DualtapeError);
  }
}

function makeOp(name: string, id: number, arity: number, ew: ElementwiseSpec | null, st: StructuralSpec | null): Op {
  const constantPartials = ew !== null && ew.partials.length === 0 ? Object.freeze(ew.partials(Num, [], 0).slice()) : null;
  const kernel = ew !== null && arity <= 2 ? makeScalarKernel(ew, Num, constantPartials) : null;
  return { name, id, arity, elementwise: ew, structural: st, constantPartials, kernel };
}

function register(name: string, arity: number, ew: ElementwiseSpec | null, st: StructuralSpec | null, fn: OpFn): Op {
  checkName(name);
  if (byName.has(name)) {
    fail("defineOp", `an op named '${name}' is already registered`, "choose another name", DualtapeError);
  }
  const op = makeOp(name, byId.length, arity, ew, st);
  byName.set(name, op);
  byId.push(op);
  gTable[name] = fn;
  numTable[name] = ew !== null ? (ew.value as OpFn) : fn;
  for (const install of installers) install(name, fn);
  return op;
}

/**
 * The op with this id (ids are dense, in registration order).
 *
 * @example
 * ```ts
 * opById(0).name; // "add"
 * ```
 */
export function opById(id: number): Op {
  return byId[id];
}

/**
 * All registered ops, in registration order (property tests iterate this).
 *
 * @example
 * ```ts
 * allOps().filter((op) => op.elementwise).length;
 * ```
 */
export function allOps(): readonly Op[] {
  return byId;
}

/**
 * The registered op with this name, if any.
 *
 * @example
 * ```ts
 * findOp("sin")?.arity; // 1
 * ```
 */
export function findOp(name: string): Op | undefined {
  return byName.get(name);
}

/**
 * Applies an op to any mix of numbers, Tensors, Duals and Vars: the
 * highest-level wrapper handles it, else it is evaluated on plain values.
 *
 * @example
 * ```ts
 * apply(findOp("mul")!, [2, dual(3)], undefined); // Dual 6
 * ```
 */
export function apply(op: Op, args: Value[], params: unknown): Value {
  let top: Lifted | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === "number") continue;
    if (a instanceof Lifted) {
      if (top === null || a.level > top.level) top = a;
    } else if (!(a instanceof Tensor)) {
      badArgument(op, i, a);
    }
  }
  if (top !== null) return top.applyOp(op, args, params);
  return evaluatePlain(op, args as (number | Tensor)[], params);
}

/**
 * Evaluates an op on numbers and Tensors only (no derivative information).
 *
 * @example
 * ```ts
 * evaluatePlain(findOp("add")!, [1, 2], undefined); // 3
 * ```
 */
export function evaluatePlain(op: Op, args: (number | Tensor)[], params: unknown): number | Tensor {
  const ew = op.elementwise;
  if (ew === null) return op.structural!.compute(args, params);
  let allNumbers = true;
  for (let i = 0; i < args.length; i++) if (typeof args[i] !== "number") allNumbers = false;
  if (allNumbers) return ew.value(...(args as number[]));
  return mapBroadcast(ew.value, args, op.name, true);
}

function badArgument(op: Op, i: number, a: unknown): never {
  // A boolean usually comes from a guarded comparison (gt, lt, ...): say how to use one.
  const fix = Array.isArray(a) ? "wrap arrays with tensor(...) first"
    : typeof a === "boolean" ? "a comparison such as gt(x, 0) gives a boolean to branch on: write cond ? a : b, or pass a number (1 or 0) or a Tensor"
    : "pass a number, Tensor, Dual or Var";
  fail(op.name, `argument ${i + 1} is ${describe(a)}, not a number, Tensor, Dual or Var`, fix, TypeMismatchError);
}

/**
 * The algebra that evaluates rules on these arguments: `Num` when all are
 * numbers (no dispatch), else `G`.
 *
 * @example
 * ```ts
 * algebraFor([1, 2]) === Num; // true
 * ```
 */
export function algebraFor(args: readonly Value[]): Algebra {
  for (let i = 0; i < args.length; i++) if (typeof args[i] !== "number") return G;
  return Num;
}

function checkArity(name: string, arity: number, got: number): void {
  if (got !== arity) {
    fail(name, `expects ${arity} argument${arity === 1 ? "" : "s"}, got ${got}`, `call ${name} with ${arity}`, TypeMismatchError);
  }
}

function makeFunction(opRef: { op: Op | null }, name: string, arity: number, fast: ((...x: number[]) => number) | null): OpFn {
  if (fast !== null && (arity === 1 || arity === 2)) return makeEntry(arity, fast, opRef, apply);
  return (...args: Value[]) => {
    checkArity(name, arity, args.length);
    return apply(opRef.op!, args, undefined);
  };
}

/**
 * Declares an elementwise op once: it becomes a function usable on numbers,
 * Tensors (broadcast), Duals and Vars, nested to any order, and a method on
 * each of them.
 *
 * @example
 * ```ts
 * const cube = elementwise({
 *   name: "cube", arity: 1,
 *   value: (x) => x * x * x,
 *   partials: (A, [x]) => [A.mul(3, A.square(x))],
 * });
 * cube(2); // 8
 * ```
 */
export function elementwise(spec: ElementwiseSpec & { arity: 1 }): Unary;
export function elementwise(spec: ElementwiseSpec & { arity: 2 }): Binary;
export function elementwise(spec: ElementwiseSpec & { arity: 3 }): Ternary;
export function elementwise(spec: ElementwiseSpec): OpFn & { op: Op };
export function elementwise(spec: ElementwiseSpec): OpFn & { op: Op } {
  validateSpec(spec);
  checkPartialsLength(spec);
  const ref: { op: Op | null } = { op: null };
  const fn = makeFunction(ref, spec.name, spec.arity, spec.arity <= 2 ? spec.value : null) as OpFn & { op: Op };
  ref.op = register(spec.name, spec.arity, spec, null, fn);
  fn.op = ref.op;
  return fn;
}

/** Ops made by `detachedElementwise`, in the order they were made. */
const detached: Op[] = [];

/**
 * An elementwise op checked and built exactly as `elementwise` builds it,
 * but not registered (its id is -1, and `findOp` does not see it). The
 * esbuild plugin compiles a module's own `defineOp` ops with it at build
 * time; the bundled module registers them itself when it runs.
 *
 * @example
 * ```ts
 * const cube = detachedElementwise({ name: "cube", arity: 1, value: (x) => x ** 3, partials: (A, [x]) => [A.mul(3, A.square(x))] });
 * findOp("cube"); // undefined
 * isDetached(cube.op); // true
 * ```
 */
export function detachedElementwise(spec: ElementwiseSpec): OpFn & { op: Op } {
  validateSpec(spec);
  checkPartialsLength(spec);
  checkName(spec.name);
  const ref: { op: Op | null } = { op: null };
  const fn = makeFunction(ref, spec.name, spec.arity, spec.arity <= 2 ? spec.value : null) as OpFn & { op: Op };
  ref.op = makeOp(spec.name, -1, spec.arity, spec, null);
  detached.push(ref.op);
  fn.op = ref.op;
  return fn;
}

/**
 * Whether `op` was made by `detachedElementwise`.
 *
 * @example
 * ```ts
 * isDetached(findOp("sin")!); // false
 * ```
 */
export function isDetached(op: Op): boolean {
  return op.id === -1 && detached.includes(op);
}

/**
 * Ops made by `detachedElementwise`, in the order they were made.
 *
 * @example
 * ```ts
 * detachedOps().map((op) => op.name);
 * ```
 */
export function detachedOps(): readonly Op[] {
  return detached;
}

/**
 * Evaluates the rule once at a point inside its domain to catch a partials
 * list of the wrong length when the op is declared, not as a silently
 * missing gradient later. A rule that throws at that point is not judged here.
 */
function checkPartialsLength(spec: ElementwiseSpec): void {
  const args = Array.from({ length: spec.arity }, (_, i) => {
    const d = spec.domain?.[i];
    return d === undefined ? 0.5 : d.integer ? d.hi : (d.lo + d.hi) / 2 + 0.01;
  });
  let parts: unknown;
  try {
    parts = spec.partials(Num, args, spec.value(...args));
  } catch (e) {
    // defineOp's checks of what a rule returns must surface; other throws are the rule's own business.
    if (e instanceof DualtapeError && e.api === "defineOp") throw e;
    return;
  }
  if (!Array.isArray(parts) || parts.length !== spec.arity) {
    fail("defineOp", `partials of '${spec.name}' returned ${Array.isArray(parts) ? `${parts.length} entries` : describe(parts)} for ${spec.arity} argument${spec.arity === 1 ? "" : "s"}`,
      "return one partial per argument (null for an argument that is not differentiated)", TypeMismatchError);
  }
}

function validateSpec(spec: ElementwiseSpec): void {
  if (spec === null || typeof spec !== "object") {
    fail("defineOp", `the spec is ${describe(spec)}`, "pass { name, arity, value, partials }", TypeMismatchError);
  }
  if (!Number.isInteger(spec.arity) || spec.arity < 1) {
    fail("defineOp", `arity ${describe(spec.arity)} of '${spec.name}' is not a positive integer`, "set arity to the number of arguments", TypeMismatchError);
  }
  if (typeof spec.value !== "function" || typeof spec.partials !== "function") {
    fail("defineOp", `'${spec.name}' needs both value and partials functions`,
      "give value: (...xs: number[]) => number and partials: (A, args, out) => [one per argument]", TypeMismatchError);
  }
}

/**
 * Declares a structural op (linear tangent map plus transpose) once.
 * `params` carries non-differentiable arguments such as an axis or a shape.
 * With `expose`, the op's public function is `expose(run)`, which maps the
 * user's call to `run(operands, params)`; it is also the op's entry in `G`,
 * so rules call it by name (`A.sum(x, axis)`) and it becomes a method. Without
 * `expose` the public function passes its arguments as operands and no params.
 *
 * @example
 * ```ts
 * const twice = structural({
 *   name: "twice", arity: 1,
 *   compute: ([x]) => ..., jvp: (A, args, out, [t]) => A.mul(2, t!), vjp: (A, args, out, g) => [A.mul(2, g)],
 * });
 * const scaleBy = structural(
 *   { name: "scaleBy", arity: 1, compute: ([x], k: number) => ..., jvp: ..., vjp: ... },
 *   (run) => (x: Value, k: number) => run([x], k),
 * );
 * ```
 */
export function structural<P>(spec: StructuralSpec<P>): Op;
export function structural<P, F extends (...args: never[]) => unknown>(
  spec: StructuralSpec<P>, expose: (run: StructuralRunner<P>) => F,
): F & { op: Op };
export function structural<P, F extends (...args: never[]) => unknown>(
  spec: StructuralSpec<P>, expose?: (run: StructuralRunner<P>) => F,
): Op | (F & { op: Op }) {
  const ref: { op: Op | null } = { op: null };
  const run: StructuralRunner<P> = (args, params) => apply(ref.op!, args, params);
  const fn = expose === undefined ? (...args: Value[]) => run(args, undefined as P) : expose(run);
  // F is the op's own public signature (shapes, axes beside operands); the table keeps every op as an OpFn by name.
  ref.op = register(spec.name, spec.arity, null, spec as StructuralSpec, fn as unknown as OpFn);
  if (expose === undefined) return ref.op;
  return Object.assign(fn as F, { op: ref.op });
}
