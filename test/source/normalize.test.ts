import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseFunction } from "../../lib/source/parse.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { normalize } from "../../lib/source/normalize.ts";
import { forEachStmt } from "../../lib/source/ir.ts";

const flat = (text: string) => normalize(checkFunction(parseFunction(text), {}));

test("normalize leaves no break, continue or return, and the result in $ret", () => {
  const fn = flat("function f(x) { let s = 0; for (let i = 0; i < 9; i++) { if (x[i] > 1) break; if (x[i] < 0) continue; if (s > 5) return s; s += x[i]; } return s; }");
  const kinds = new Set<string>();
  forEachStmt(fn.body, (s) => kinds.add(s.k));
  assert.not.ok(kinds.has("break") || kinds.has("continue") || kinds.has("return"));
  assert.ok(fn.locals.includes("$ret"));
  assert.ok(fn.locals.includes("$rf"));
});

test("a function with only a final return needs no return flag", () => {
  const fn = flat("function f(x) { let s = 0; for (let i = 0; i < 3; i++) s += x[i]; return s; }");
  assert.not.ok(fn.locals.includes("$rf"));
});

test.run();
