/**
 * Bad input to every public function: random wrong types, shapes,
 * NaN/Infinity/-0, huge sizes and unknown options. Each call (and each call
 * of a function a transform returns) must return or throw a DualtapeError:
 * never a raw JavaScript error, never a hang. Classes are constructed with
 * `new`; error classes are left out (building an error is not misuse).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import * as D from "../lib/index.ts";
import { params } from "./support/run.ts";

type Fn = (...args: unknown[]) => unknown;

const isErrorClass = (v: unknown) => typeof v === "function" && (v === Error || v.prototype instanceof Error);
const isClass = (f: unknown) => typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));

/** Every exported function and class of lib/index.ts, by name. */
const exported: [string, Fn][] = Object.entries(D)
  .filter(([, v]) => typeof v === "function" && !isErrorClass(v))
  .sort(([a], [b]) => a.localeCompare(b)) as [string, Fn][];

const odd = fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, -1, 2.5, 1e12, -1e12, 2 ** 53, 1e300, 5e-324);
const shapes = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
  fc.constantFrom([1e12], [1e6, 1e6], [-1], [2.5], [NaN], [[2]], ["2"], [2n], [Infinity], [0, -1], [-1, -1]),
);
const smallTensor = shapes.filter((s) => s.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0 && d <= 3))
  .map((s) => D.randn(s as number[], { seed: 1 }));
const junkFunction = fc.constantFrom<Fn>(
  (x) => x, (x) => D.sin(x as never), (x) => D.sum(x as never), () => "s", () => NaN, () => [1, 2],
  () => { throw new D.DomainError("test", "thrown by f", "ignore"); }, (x) => [x, x], async () => 1,
);
const options = fc.oneof(
  fc.constantFrom({}, { retainGrpah: true }, { chunks: 2 }, { mod: "forward" }, { seed: 1.5 }, { lr: -1 }, { lr: 0.1, eps: 0 },
    { mode: "sideways" }, { chunk: 0 }, { chunk: 1e12 }, { h: -1 }, { method: "backward" }, { requiresGrad: "yes" }, { axis: 9 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(odd, fc.boolean(), fc.string({ maxLength: 4 })), { maxKeys: 2 }),
);
const traced = fc.constantFrom(() => D.variable(2), () => D.variable(D.tensor([1, 2])), () => D.dual(3), () => D.variable(1, { requiresGrad: false }));
const arg: fc.Arbitrary<unknown> = fc.oneof(
  odd, shapes, smallTensor, junkFunction, options, traced.map((make) => make()),
  fc.constantFrom(undefined, null, true, "x", "", 3n, Symbol("s"), [], [[1, 2], [3]], [1, "a"], [NaN, -0], { x: 1 }, new Float64Array(2), new Map()),
  fc.array(odd, { maxLength: 4 }),
);

function isAllowed(e: unknown): boolean {
  return e instanceof D.DualtapeError;
}

/** Calls fn (or constructs it), then calls a returned function once with the next arguments. */
function attempt(name: string, fn: Fn, args: unknown[], more: unknown[]): string | null {
  try {
    const out = isClass(fn) ? new (fn as unknown as new (...a: unknown[]) => unknown)(...args) : fn(...args);
    if (typeof out === "function" && !isClass(out)) (out as Fn)(...more);
    else if (out instanceof Promise) out.catch(() => undefined);
    return null;
  } catch (e) {
    if (isAllowed(e)) return null;
    return `${name}(${args.map(show).join(", ")})${more.length ? `(${more.map(show).join(", ")})` : ""} threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
  }
}

function show(v: unknown): string {
  if (typeof v === "function") return `fn ${String(v).slice(0, 30)}`;
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "symbol") return "Symbol";
  if (v instanceof D.Tensor) return `Tensor[${v.shape}]`;
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}

test(`every exported function (${exported.length}) returns or throws a DualtapeError on bad input, quickly`, () => {
  const call = fc.tuple(fc.constantFrom(...exported), fc.array(arg, { maxLength: 4 }), fc.array(arg, { maxLength: 3 }));
  fc.assert(fc.property(call, ([[name, fn], args, more]) => {
    const t0 = Date.now();
    const problem = attempt(name, fn, args, more);
    assert.is(problem, null, problem ?? "");
    assert.ok(Date.now() - t0 < 2000, `${name} took ${Date.now() - t0} ms`);
  }), params({ numRuns: 1500 }));
});

/** Method names of a value's prototype chain (Tensor, Dual, Var and the op methods installed on them). */
function methodsOf(v: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(v); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, k);
      // applyOp/applyUnary/applyBinary are the registry's dispatch hooks (handed an Op by apply()), not user API.
      if (k !== "constructor" && !k.startsWith("apply") && typeof d?.value === "function") names.add(k);
    }
  }
  return [...names].sort();
}

const receivers: [string, () => object][] = [
  ["Tensor", () => D.tensor([[1, 2], [3, 4]])],
  ["Var", () => D.mul(D.variable(D.tensor([1, 2])), 2) as object],
  ["leaf Var", () => D.variable(3)],
  ["Dual", () => D.dual(D.tensor([1, 2]), D.tensor([1, 0]))],
];

test("every method of Tensor, Var and Dual returns or throws a DualtapeError on bad arguments", () => {
  const calls = receivers.flatMap(([kind, make]) => methodsOf(make()).map((m) => [kind, make, m] as const));
  const call = fc.tuple(fc.constantFrom(...calls), fc.array(arg, { maxLength: 3 }), fc.array(arg, { maxLength: 2 }));
  fc.assert(fc.property(call, ([[kind, make, m], args, more]) => {
    const self = make() as Record<string, Fn>;
    const problem = attempt(`${kind}.${m}`, (...a) => self[m]!(...a), args, more);
    assert.is(problem, null, problem ?? "");
  }), params({ numRuns: 1500 }));
});

test("each exported function is called at least once with each kind of bad first argument", () => {
  const firsts = fc.sample(arg, { numRuns: 40, seed: 3 });
  for (const [name, fn] of exported) {
    for (const a of firsts) {
      const problem = attempt(name, fn, [a], [a]);
      assert.is(problem, null, problem ?? "");
    }
  }
});

/** Debug helper: SURVEY=1 prints every distinct raw error over many calls instead of stopping at the first. */
if (process.env.SURVEY === "1") {
  const seen = new Map<string, string>();
  const mcalls = receivers.flatMap(([kind, make]) => methodsOf(make()).map((m) => [kind, make, m] as const));
  for (const [[kind, make, m], args, more] of fc.sample(fc.tuple(fc.constantFrom(...mcalls), fc.array(arg, { maxLength: 3 }), fc.array(arg, { maxLength: 2 })), { numRuns: Number(process.env.SURVEY_RUNS ?? 5000), seed: Number(process.env.SURVEY_SEED ?? 1) })) {
    const self = make() as Record<string, Fn>;
    const p = attempt(`${kind}.${m}`, (...a) => self[m]!(...a), args, more);
    if (p !== null) {
      const key = `${kind}.${m}: ${p.slice(p.indexOf(" threw ")).slice(0, 60)}`;
      if (!seen.has(key)) seen.set(key, p);
    }
  }
  const call = fc.tuple(fc.constantFrom(...exported), fc.array(arg, { maxLength: 4 }), fc.array(arg, { maxLength: 3 }));
  for (const [[name, fn], args, more] of fc.sample(call, { numRuns: Number(process.env.SURVEY_RUNS ?? 5000), seed: Number(process.env.SURVEY_SEED ?? 1) })) {
    const p = attempt(name, fn, args, more);
    if (p !== null) {
      const key = `${name}: ${p.slice(p.indexOf(" threw ")).slice(0, 60)}`;
      if (!seen.has(key)) seen.set(key, p);
    }
  }
  for (const p of seen.values()) console.log(p.slice(0, 300));
}

test.run();
