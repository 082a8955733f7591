import { test } from "uvu";
import * as assert from "uvu/assert";
import { findOp, defineOp } from "../../lib/index.ts";
import { emittingAlgebra, partialsOf, apply, shareRepeated } from "../../lib/source/algebra.ts";
import { Renderer, ref, type Arg } from "../../lib/source/sym.ts";

const A = emittingAlgebra();
const code = (a: Arg | null) => (a === null ? "null" : new Renderer().render(a));
const partials = (name: string, args: Arg[]) => partialsOf(A, findOp(name)!, args, ref("y")).map(code);

test("partials come from each op's registry rule, as code", () => {
  assert.equal(partials("sin", [ref("x")]), ["Math.cos(x)"]);
  assert.equal(partials("mul", [ref("a"), ref("b")]), ["b", "a"]);
  assert.equal(partials("exp", [ref("x")]), ["y"]);
  assert.equal(partials("sqrt", [ref("x")]), ["0.5 / (y + 0)"]);
  assert.equal(partials("div", [ref("a"), ref("b")]), ["1 / b", "-(y * (1 / b))"]);
  assert.equal(partials("add", [ref("a"), ref("b")]), ["1", "1"]);
});

test("an op added with defineOp gets its partials from its own rule", () => {
  defineOp({ name: "algebraTestCube", arity: 1, value: (a) => a * a * a, partials: (B, [a]) => [B.mul(3, B.square(a!))] });
  assert.equal(partialsOf(emittingAlgebra(), findOp("algebraTestCube")!, [ref("x")], ref("y")).map(code), ["3 * (x * x)"]);
});

test("folding: numbers evaluate; multiplications by 0 and 1 vanish; x ** 1 is x; x + 0 stays (it turns -0 into +0)", () => {
  const [mul, add, pow] = ["mul", "add", "pow"].map((n) => findOp(n)!);
  assert.is(apply(mul!, [2, 3]), 6);
  assert.is(apply(mul!, [0, ref("x")]), 0);
  assert.is(code(apply(mul!, [1, ref("x")])), "x");
  assert.is(code(apply(add!, [ref("x"), 0])), "x + 0");
  assert.is(code(apply(pow!, [ref("x"), 1])), "x");
});

test("shareRepeated names an operation two partials share once, and leaves partials without one alone", () => {
  const lines: string[] = [];
  const name = (a: Arg) => {
    lines.push(`$s${lines.length} = ${code(a)}`);
    return ref(`$s${lines.length - 1}`);
  };
  const div = partialsOf(A, findOp("div")!, [ref("a"), ref("b")], ref("y"));
  assert.equal(shareRepeated(div, name).map((p) => code(p ?? null)), ["$s0", "-(y * $s0)"]);
  assert.equal(lines, ["$s0 = 1 / b"]);
  // Inside a shared operation, its own operands are not named again; a null entry is not counted.
  const [sin, add, mul] = ["sin", "add", "mul"].map((n) => findOp(n)!);
  const s = apply(sin!, [apply(add!, [ref("x"), 1])]);
  lines.length = 0;
  assert.equal(shareRepeated([apply(mul!, [s, 2]), s, null], name).map((p) => code(p ?? null)), ["$s0 * 2", "$s0", "null"]);
  assert.equal(lines, ["$s0 = Math.sin(x + 1)"]);
  lines.length = 0;
  assert.equal(shareRepeated([s, null], name).map((p) => code(p ?? null)), ["Math.sin(x + 1)", "null"]);
  assert.equal(lines, []);
});

test.run();
