/**
 * The statements the checker rewrites: the intermediate form they become
 * (the derivatives of each are checked in compile.test.ts).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkFunction } from "../../lib/source/check.ts";
import { parseFunction } from "../../lib/source/parse.ts";
import type { Stmt } from "../../lib/source/ir.ts";

const bodyOf = (text: string): Stmt[] => checkFunction(parseFunction(text), {}).body;

test("switch becomes an if/else chain: grouped cases joined by ||, default last whatever its place", () => {
  const [chain] = bodyOf("function f(x) { let y = 0; switch (x) { default: y = 3; break; case 1: case 2: y = 1; break; case 4: y = 2; } return y; }").slice(1);
  assert.is(chain!.k, "if");
  const first = chain as Stmt & { k: "if" };
  assert.equal(first.test, { k: "rel", rel: "||", a: { k: "rel", rel: "===", a: { k: "var", name: "x" }, b: { k: "num", v: 1 } }, b: { k: "rel", rel: "===", a: { k: "var", name: "x" }, b: { k: "num", v: 2 } } });
  const second = first.else[0] as Stmt & { k: "if" };
  assert.equal(second.test, { k: "rel", rel: "===", a: { k: "var", name: "x" }, b: { k: "num", v: 4 } });
  assert.equal(second.else, [{ k: "assign", name: "y", value: { k: "num", v: 3 } }]);
});

test("do...while sets a first-pass flag before the loop and clears it first thing in the body", () => {
  const [flag, loop] = bodyOf("function f(x) { do { x = x * 2; } while (x < 1); return x; }");
  assert.equal(flag, { k: "assign", name: "$c0", value: { k: "num", v: 1 } });
  const l = loop as Stmt & { k: "loop" };
  assert.is(l.k, "loop");
  assert.equal(l.test, { k: "rel", rel: "||", a: { k: "rel", rel: "===", a: { k: "var", name: "$c0" }, b: { k: "num", v: 1 } }, b: { k: "rel", rel: "<", a: { k: "var", name: "x" }, b: { k: "num", v: 1 } } });
  assert.equal(l.body[0], { k: "assign", name: "$c0", value: { k: "num", v: 0 } });
});

test("for...of counts an index of its own up to the array's length and reads the element first", () => {
  const [start, loop] = bodyOf("function f(x) { let s = 0; for (const v of x) s += v; return s; }").slice(1);
  assert.equal(start, { k: "assign", name: "$c0", value: { k: "num", v: 0 } });
  const l = loop as Stmt & { k: "loop" };
  assert.equal(l.test, { k: "rel", rel: "<", a: { k: "var", name: "$c0" }, b: { k: "len", arr: "x" } });
  assert.equal(l.body[0], { k: "assign", name: "v", value: { k: "read", arr: "x", index: { k: "var", name: "$c0" } } });
  assert.is((l.update[0] as Stmt & { k: "assign" }).name, "$c0");
});

test.run();
