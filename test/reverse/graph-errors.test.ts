// A Var that escaped its transform call is refused with a message saying so
// (as a Dual is), wherever it is used next: outside any transform, inside a
// later call that reuses the pooled tape, in backward, and in a hook.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { grad, vjp, jacrev, compileGrad, mul, add, sum, tensor, variable, PerturbationError, type Lifted, type Var } from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

const ESCAPED = /was used after that call returned \(it escaped its transform\)/;

function leakFrom(run: (f: (x: Lifted) => Lifted) => unknown): Var {
  let leaked: Lifted | null = null;
  run((x) => {
    leaked = mul(x, x);
    return leaked;
  });
  return leaked! as Var;
}

test("a Var escaped from grad, used outside any transform, throws PerturbationError naming grad", () => {
  const leaked = leakFrom((f) => grad(f)(3));
  throwsKind(() => mul(leaked, 2), PerturbationError, "grad", ESCAPED);
  throwsKind(() => add(1, leaked), PerturbationError, "grad", ESCAPED);
});

test("the input leaf that escaped grad is refused too", () => {
  let input: Lifted | null = null;
  grad((x: Lifted) => (input = x, mul(x, 2)))(1);
  throwsKind(() => mul(input!, 2), PerturbationError, "grad", ESCAPED);
});

test("a Var escaped from one grad call is refused inside a later grad call that reuses its tape", () => {
  const leaked = leakFrom((f) => grad(f)(3));
  throwsKind(() => grad((y: Lifted) => add(y, leaked))(1), PerturbationError, "grad", ESCAPED);
  assert.is(grad((y: Lifted) => mul(y, y))(4), 8, "the pooled tape still works afterwards");
});

test("backward() and registerHook on an escaped Var throw the escape error, not a retainGraph hint", () => {
  const leaked = leakFrom((f) => grad(f)(3));
  throwsKind(() => leaked.backward(), PerturbationError, "grad", ESCAPED);
  throwsKind(() => leaked.registerHook(() => undefined), PerturbationError, "grad", ESCAPED);
});

test("Vars escaped from vjp, jacrev and compileGrad are refused with their transform's name", () => {
  throwsKind(() => mul(leakFrom((f) => vjp(f, 2)), 2), PerturbationError, "vjp", ESCAPED);
  throwsKind(() => mul(leakFrom((f) => jacrev(f)(2)), 2), PerturbationError, "jacrev", ESCAPED);
  throwsKind(() => mul(leakFrom((f) => compileGrad(f)(2)), 2), PerturbationError, "compileGrad", ESCAPED);
});

test("a tensor Var escaped from grad is refused in a tensor op", () => {
  let leaked: Lifted | null = null;
  grad((x: Lifted) => (leaked = mul(x, x), sum(leaked)))(tensor([1, 2]));
  throwsKind(() => sum(leaked!), PerturbationError, "grad", ESCAPED);
});

test("imperative Vars are not affected: a Var kept across a grad call still records", () => {
  const w = variable(2);
  const a = mul(w, 3) as Var;
  grad((x: Lifted) => mul(x, x))(1);
  (mul(a, w) as Var).backward();
  assert.is(w.grad, 12);
});

test.run();
