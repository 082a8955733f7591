import { test } from "uvu";
import * as assert from "uvu/assert";
import { allOps, Tensor, type Op } from "../../lib/index.ts";
import * as dualtape from "../../lib/index.ts";
import { makeScalarKernel } from "../../lib/registry/scalar-kernel.ts";
import type { Kernel } from "../../lib/registry/types.ts";
import { Num, type ElementwiseSpec, type PartialList } from "../../lib/registry/op.ts";

const sinSpec: ElementwiseSpec = { name: "k_sin", arity: 1, value: Math.sin, partials: (A, [x]) => [A.cos(x!)] };
const mulSpec: ElementwiseSpec = { name: "k_mul", arity: 2, value: (a, b) => a * b, partials: (_A, [a, b]) => [b!, a!] };
const addSpec: ElementwiseSpec = { name: "k_add", arity: 2, value: (a, b) => a + b, partials: () => [1, 1] };
const firstOnly: ElementwiseSpec = { name: "k_first", arity: 2, value: (a) => a, partials: () => [1, null] };
const secondOnly: ElementwiseSpec = { name: "k_second", arity: 2, value: (_a, b) => b, partials: () => [null, 1] };
const tensorPartial: ElementwiseSpec = {
  name: "k_tensor", arity: 1, value: (x) => x, partials: () => [new Tensor(Float64Array.of(1), [1])],
};

/** The kernel as the registry builds it: generated, or its closure twin under DUALTAPE_NO_CODEGEN=1 (scripts/test.mjs runs this file both ways). */
const build = (spec: ElementwiseSpec, constant: PartialList | null): Kernel => makeScalarKernel(spec, Num, constant);

function run(k: Kernel, x: number, y: number): [boolean, number[]] {
  const res = new Float64Array(3).fill(99);
  const ok = k(x, y, res);
  return [ok, Array.from(res)];
}

test("kernel of sin writes [sin x, cos x, 0]", () => {
  assert.equal(run(build(sinSpec, null), 0.5, 123), [true, [Math.sin(0.5), Math.cos(0.5), 0]]);
});

test("kernel of mul writes [x y, y, x]", () => {
  assert.equal(run(build(mulSpec, null), 2, 3), [true, [6, 3, 2]]);
});

test("kernel with constant partials [1, 1] writes them without calling the rule", () => {
  let calls = 0;
  const spec: ElementwiseSpec = { ...addSpec, partials: () => (calls++, [1, 1]) };
  assert.equal(run(build(spec, [1, 1]), 2, 3), [true, [5, 1, 1]]);
  assert.is(calls, 0);
});

test("kernel writes 0 for a null partial", () => {
  assert.equal(run(build(firstOnly, null), 2, 3), [true, [2, 1, 0]]);
  assert.equal(run(build(secondOnly, null), 2, 3), [true, [3, 0, 1]]);
});

test("kernel returns false when a partial is not a plain number", () => {
  assert.is(run(build(tensorPartial, null), 2, 0)[0], false);
});

test("kernel returns false when a binary rule returns fewer partials than arguments (generated and closure alike)", () => {
  const short: ElementwiseSpec = { name: "k_short", arity: 2, value: (a, b) => a + b, partials: () => [1] as unknown as PartialList };
  assert.is(run(build(short, null), 2, 3)[0], false);
});

test("kernel keeps NaN and Infinity partials", () => {
  const [ok, res] = run(build({ name: "k_sqrt", arity: 1, value: Math.sqrt, partials: (A, _a, y) => [A.div(0.5, y)] }, null), 0, 0);
  assert.is(ok, true);
  assert.equal(res, [0, Infinity, 0]);
});

const isBuiltin = (op: Op) => (dualtape as unknown as Record<string, { op?: Op }>)[op.name]?.op === op;

test("the kernel of every built-in elementwise op of arity 1 or 2 agrees with its value and partials", () => {
  const checked: string[] = [];
  for (const op of allOps().filter(isBuiltin)) {
    const ew = op.elementwise;
    if (ew === null || op.arity > 2) continue;
    const args = (ew.domain ?? [{ lo: -2, hi: 2 }, { lo: -2, hi: 2 }]).slice(0, op.arity).map((d) => d.lo + 0.37 * (d.hi - d.lo));
    const res = new Float64Array(3);
    const ok = op.kernel!(args[0]!, args[1] ?? 0, res);
    const out = ew.value(...args);
    const parts = ew.partials(Num, args, out);
    assert.is(ok, true, op.name);
    assert.is(res[0], out, `${op.name} value`);
    for (let k = 0; k < op.arity; k++) assert.is(res[1 + k], (parts[k] as number | null) ?? 0, `${op.name} partial ${k}`);
    checked.push(op.name);
  }
  assert.ok(checked.includes("sin") && checked.includes("pow") && checked.includes("maximum"));
});

test.run();
