import { test } from "uvu";
import * as assert from "uvu/assert";
import { findOp } from "../../lib/index.ts";
import { Renderer, ref, at, maskOf } from "../../lib/source/sym.ts";
import { apply } from "../../lib/source/algebra.ts";

const op = (name: string) => findOp(name)!;
const R = () => new Renderer();

test("render keeps precedence: a - (b - c), (a + b) * c, (-x) ** 2, -(-1)", () => {
  const [a, b, c, x] = ["a", "b", "c", "x"].map(ref);
  assert.is(R().render(apply(op("sub"), [a!, apply(op("sub"), [b!, c!])])), "a - (b - c)");
  assert.is(R().render(apply(op("mul"), [apply(op("add"), [a!, b!]), c!])), "(a + b) * c");
  assert.is(R().render(apply(op("pow"), [apply(op("neg"), [x!]), 2])), "(-x) ** 2");
  assert.is(R().render(apply(op("neg"), [apply(op("mul"), [-1, x!])])), "x");
  assert.is(R().render(apply(op("sub"), [a!, -1])), "a - -1");
});

test("ops whose value is a Math function render as Math calls; others as named constants", () => {
  const r = R();
  assert.is(r.render(apply(op("sin"), [ref("x")])), "Math.sin(x)");
  assert.is(r.render(apply(op("sigmoid"), [ref("x")])), "$sigmoid(x)");
  assert.is(r.constants.get("$sigmoid"), op("sigmoid").elementwise!.value);
});

test("reads collects the names rendered code reads (elements name their array)", () => {
  const r = R();
  r.reads = new Set();
  r.render(apply(op("mul"), [at("x", ref("i")), ref("y")]));
  assert.equal([...r.reads].sort(), ["i", "x", "y"]);
});

test("a mask over numbers is evaluated now; over symbols it calls the predicate at run time", () => {
  assert.is(maskOf((v) => (v > 0 ? 1 : 0), [2]), 1);
  const r = R();
  const m = maskOf((v) => (v > 0 ? 1 : 0), [ref("x")]);
  assert.match(r.render(m), /^\$mask\(x\)$/);
});

test.run();
