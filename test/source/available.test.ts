/**
 * Values the primal already computed, named by the partials that need them:
 * after `c = Math.cos(t)`, sin(t)'s partial is `c` in forward mode; in the
 * adjoint, cos(t)'s partial -sin(t) comes from the sine computed after it.
 * The derivatives must stay exact where the angle changes in between, and
 * then compute their own sine or cosine.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../lib/index.ts";
import { ValueKeys, earlierValues, laterValues, substitute, REUSE_WINDOW } from "../../lib/source/available.ts";
import { findOp } from "../../lib/source/registry.ts";
import { apply } from "../../lib/source/algebra.ts";
import { ref, Renderer } from "../../lib/source/sym.ts";
import { checkFunction } from "../../lib/source/check.ts";
import { parseFunction } from "../../lib/source/parse.ts";
import type { Stmt } from "../../lib/source/ir.ts";
import { closeAll } from "../support/close.ts";

const fnOf = (f: (...a: never[]) => unknown) => checkFunction(parseFunction(f.toString()), {});
const op = (name: string, ...args: Parameters<typeof apply>[1]) => apply(findOp(name)!, args);

/** The generated function `name` out of a compiled function's source. */
function generated(source: string, name: string): string {
  const start = source.indexOf(`function ${name}(`);
  assert.ok(start >= 0, `the source has ${name}`);
  const next = source.indexOf("\nfunction ", start + 1);
  return source.slice(start, next < 0 ? undefined : next);
}

/** Σ cos(t_i) x_i + sin(t_i)², t_i = x_i x_{i+1 mod n}: a cosine and a sine of one angle. */
function rotation(x: Float64Array, n: number): number {
  let e = 0;
  for (let i = 0; i < n; i++) {
    const t = x[i]! * x[(i + 1) % n]!;
    const c = Math.cos(t);
    const s = Math.sin(t);
    e += c * x[i]! + s * s;
  }
  return e;
}

/** Its gradient, by hand: ∂e/∂t_i = -sin t_i x_i + 2 sin t_i cos t_i, and cos t_i from x_i directly. */
function rotationGrad(x: Float64Array): Float64Array {
  const n = x.length;
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const t = x[i]! * x[j]!;
    const dt = -Math.sin(t) * x[i]! + 2 * Math.sin(t) * Math.cos(t);
    g[i] += Math.cos(t) + dt * x[j]!;
    g[j] += dt * x[i]!;
  }
  return g;
}

const point = Float64Array.of(0.3, -1.2, 0.8, 2.1, -0.4);

test("values before a statement: kept until their name or what they read is written", () => {
  const fn = fnOf((x: Float64Array) => {
    let t = x[0]!;
    const c = Math.cos(t);
    const s = Math.sin(t);
    t = t * 2;
    const u = Math.sin(t);
    return c + s + u;
  });
  const body = fn.body.filter((s): s is Stmt & { k: "assign" } => s.k === "assign");
  const keys = new ValueKeys();
  const before = earlierValues(fn.body, keys);
  const at = (k: number) => before.get(body[k]!)!;
  assert.equal(at(2).get("Math.cos(t)"), "c", "c holds cos(t) when s is computed");
  assert.equal(at(3).get("Math.sin(t)"), "s", "and s holds sin(t) before t changes");
  assert.equal(at(4).size, 0, "t = 2t forgets both");
  const after = laterValues(fn.body, keys);
  assert.equal(after.get(body[1]!)!.get("Math.sin(t)"), body[2], "c's statement sees the sine after it");
  assert.not.ok(after.get(body[3]!)?.has("Math.sin(t)"), "t = 2t sees no later sin(t): the sine after it is of the new t");
});

test("values are looked for at most REUSE_WINDOW statements apart (the search stays linear in a function's length)", () => {
  // c = cos(t), then statements that touch neither, then s = sin(t) at distance d.
  const body = (d: number) => {
    const lines = ["let u = 0;", "const c = Math.cos(x[0]);"];
    for (let k = 1; k < d; k++) lines.push(`u = u + x[${k % 3}];`);
    lines.push("const s = Math.sin(x[0]);", "return c + s + u;");
    return checkFunction(parseFunction(`function f(x) {\n${lines.join("\n")}\n}`), {}).body;
  };
  const keys = new ValueKeys();
  for (const [d, seen] of [[REUSE_WINDOW, true], [REUSE_WINDOW + 1, false]] as const) {
    const stmts = body(d);
    const sine = stmts.find((s) => s.k === "assign" && s.name === "s")!;
    const cosine = stmts.find((s) => s.k === "assign" && s.name === "c")!;
    assert.is(earlierValues(stmts, keys).get(sine)!.has("Math.cos(x[0])"), seen, `cos(x[0]) ${d} statements before`);
    assert.is(laterValues(stmts, keys).get(cosine)?.has("Math.sin(x[0])") ?? false, seen, `sin(x[0]) ${d} statements after`);
  }
});

test("substitute names the largest sub-expression held and refolds", () => {
  const keys = new ValueKeys();
  const sinT = op("sin", ref("t"));
  const lookup = (code: string) => (code === "Math.sin(t)" ? ref("s") : null);
  assert.is(new Renderer().render(substitute(op("neg", sinT), keys, lookup)), "-s");
  assert.is(new Renderer().render(substitute(op("mul", 2, op("cos", ref("t"))), keys, lookup)), "2 * Math.cos(t)", "nothing held: unchanged");
});

test("a cosine and a sine of one angle: their derivatives call neither again", () => {
  const C = compile(rotation, { wrt: [0] });
  for (const name of ["forward", "forwardLanes"]) {
    const code = generated(C.source, name);
    assert.is(code.match(/Math\.cos/g)?.length, 1, `${name}: the primal's cosine only (the sine's partial is c)`);
    // The cosine's tangent comes before the sine exists: it computes -sin(t) itself.
    assert.is(code.match(/Math\.sin/g)?.length, 2, `${name}: the primal's sine and the cosine's partial`);
  }
  assert.not.match(generated(C.source, "reverse"), /Math\.(sin|cos)/, "the adjoint takes both from the sweep");
  closeAll(C.grad(point, 5) as Float64Array, rotationGrad(point), 1e-12);
  const v = Float64Array.of(1, -2, 0.5, 0.25, 3);
  const { tangent } = C.jvp([point, 5], [v]);
  const g = rotationGrad(point);
  closeAll([tangent as number], [g.reduce((s, gi, i) => s + gi * v[i]!, 0)], 1e-12);
});

test("an angle changed between its cosine and sine: each derivative computes its own", () => {
  const turned = (x: Float64Array, n: number) => {
    let e = 0;
    for (let i = 0; i < n; i++) {
      let t = x[i]!;
      const c = Math.cos(t);
      t = t * 0.5 + x[(i + 1) % n]!;
      const s = Math.sin(t);
      e += c * s;
    }
    return e;
  };
  // e = Σ cos(x_i) sin(x_i / 2 + x_{i+1}).
  const n = point.length;
  const want = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const u = point[i]! / 2 + point[j]!;
    want[i] += -Math.sin(point[i]!) * Math.sin(u) + Math.cos(point[i]!) * Math.cos(u) * 0.5;
    want[j] += Math.cos(point[i]!) * Math.cos(u);
  }
  const C = compile(turned, { wrt: [0] });
  assert.match(generated(C.source, "reverse"), /Math\.sin/, "cos's partial is -sin of the old angle, which nothing computed");
  closeAll(C.grad(point, n) as Float64Array, want, 1e-12);
  const v = Float64Array.of(1, -2, 0.5, 0.25, 3);
  const { tangent } = C.jvp([point, n], [v]);
  closeAll([tangent as number], [want.reduce((s, wi, i) => s + wi * v[i]!, 0)], 1e-12);
});

test.run();
