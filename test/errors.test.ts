import { test } from "uvu";
import * as assert from "uvu/assert";
import { DualtapeError, ShapeError, TypeMismatchError, GraphError, PerturbationError, DomainError, Tensor } from "../lib/index.ts";
import { fail, describe } from "../lib/errors.ts";

const kinds = [ShapeError, TypeMismatchError, GraphError, PerturbationError, DomainError] as const;

test("new DualtapeError(api, problem, fix) reads '<api>: <problem>; <fix>' and keeps api", () => {
  const e = new DualtapeError("backward", "the graph was freed", "pass retainGraph");
  assert.is(e.message, "backward: the graph was freed; pass retainGraph");
  assert.is(e.api, "backward");
  assert.is(e.name, "DualtapeError");
  assert.instance(e, Error);
});

test("every error kind extends DualtapeError and Error and is named after its class", () => {
  for (const Kind of kinds) {
    const e = new Kind("api", "what", "fix");
    assert.instance(e, DualtapeError);
    assert.instance(e, Error);
    assert.is(e.name, Kind.name);
    assert.is(String(e), `${Kind.name}: api: what; fix`);
  }
});

test("the error kinds are distinct: a ShapeError is not a GraphError", () => {
  const e = new ShapeError("a", "b", "c");
  assert.not.instance(e, GraphError);
  assert.not.instance(e, TypeMismatchError);
});

test("fail(api, problem, fix, Kind) throws that kind with the composed message", () => {
  for (const Kind of kinds) {
    try {
      fail("jacfwd", "chunk is 0", "pass a positive chunk", Kind);
      assert.unreachable("fail returned");
    } catch (e) {
      assert.instance(e, Kind);
      assert.is((e as DualtapeError).message, "jacfwd: chunk is 0; pass a positive chunk");
      assert.is((e as DualtapeError).api, "jacfwd");
    }
  }
});

test("fail(api, problem, fix) without a kind throws a plain DualtapeError", () => {
  try {
    fail("x", "y", "z");
    assert.unreachable("fail returned");
  } catch (e) {
    assert.instance(e, DualtapeError);
    assert.is((e as Error).constructor, DualtapeError);
  }
});

test("describe(v) names numbers, strings, null, undefined and arrays", () => {
  assert.is(describe(3), "number 3");
  assert.is(describe(NaN), "number NaN");
  assert.is(describe("a"), 'string "a"');
  assert.is(describe(null), "null");
  assert.is(describe(undefined), "undefined");
  assert.is(describe([1, 2]), "array(2)");
  assert.is(describe([]), "array(0)");
});

test("describe(v) cuts strings longer than 20 characters with an ellipsis", () => {
  assert.is(describe("abcdefghijklmnopqrstuvwxyz"), 'string "abcdefghijklmnopqrst…"');
  assert.is(describe("abcdefghijklmnopqrst"), 'string "abcdefghijklmnopqrst"');
});

test("describe(v) gives a Tensor's class and shape, other objects their class or type", () => {
  assert.is(describe(new Tensor(new Float64Array(6), [2, 3])), "Tensor[2,3]");
  assert.is(describe(new Tensor(new Float64Array(1), [])), "Tensor[]");
  assert.is(describe({}), "Object");
  assert.is(describe(new Map()), "Map");
  assert.is(describe(Object.create(null)), "object");
  assert.is(describe(() => 1), "Function");
  assert.is(describe(true), "Boolean");
});

test.run();
