/**
 * Review findings on misuse that passes silently: extra arguments to
 * elementwise ops, and a custom structural op whose vjp returns a
 * cotangent of the wrong shape.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  sin, add, defineOp, grad, sum, tensor, DualtapeError, TypeMismatchError, type Lifted, type Tensor, type Value,
} from "../../lib/index.ts";

test("sin(1, 2) throws TypeMismatchError (sin takes one argument), as a custom structural op called with too many does", () => {
  assert.throws(() => (sin as unknown as (...a: number[]) => number)(1, 2), (e: unknown) => e instanceof TypeMismatchError);
});

test("add(1, 2, 3) throws TypeMismatchError instead of returning 3", () => {
  assert.throws(() => (add as unknown as (...a: number[]) => number)(1, 2, 3), (e: unknown) => e instanceof TypeMismatchError);
});

test("a defineOp elementwise op of arity 1 called with two arguments throws TypeMismatchError", () => {
  const twice = defineOp({ name: "review_twice", arity: 1, value: (x) => 2 * x, partials: () => [2] });
  assert.throws(() => (twice as unknown as (...a: number[]) => number)(1, 5), (e: unknown) => e instanceof TypeMismatchError);
});

test("grad through a custom structural op whose vjp returns shape [4] for a [2] input throws a DualtapeError instead of returning a [4] gradient", () => {
  const badId = defineOp({
    name: "review_bad_vjp_identity", arity: 1,
    compute: ([x]) => x!,
    jvp: (_A, _args, _out, [t]) => t as Value,
    vjp: () => [tensor([1, 2, 3, 4])],
  });
  let got: Tensor | null = null;
  const threw = (() => {
    try { got = grad((t: Lifted) => sum(badId(t)))(tensor([1, 2])) as Tensor; return false; } catch (e) { return e instanceof DualtapeError; }
  })();
  assert.ok(threw, `no error; the gradient has shape [${got === null ? "" : (got as Tensor).shape.join(", ")}] for an input of shape [2]`);
});

test.run();
