/**
 * Misspelt options are refused with the list of valid keys, by the one
 * shared check (lib/errors.ts checkOptions), for every function that takes
 * options (issue 8, item 20).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  variable, gradients, jacfwd, jacobian, hessian, numericDerivative, numericGradient, numericJacobian, gradcheck,
  rand, randn, SGD, Adam, defineOp, mul, DomainError, TypeMismatchError, type Var,
} from "../../lib/index.ts";
import { throwsKind } from "../support/errors.ts";

const id = (x: never) => x;
const unknown = (key: string, list: string) => new RegExp(`unknown option '${key}'; valid options are ${list}$`);

test("backward({ retainGrpah: true }) and gradients({ createGrpah }) name the unknown key and the valid ones", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  throwsKind(() => y.backward(undefined, { retainGrpah: true } as never), TypeMismatchError, "backward", unknown("retainGrpah", "retainGraph, createGraph"));
  throwsKind(() => gradients(y, x, { createGrpah: true } as never), TypeMismatchError, "gradients", unknown("createGrpah", "retainGraph, createGraph, gradOutputs"));
  throwsKind(() => y.backward(undefined, { retainGraph: "yes" } as never), TypeMismatchError, "backward", /retainGraph is string "yes", not a boolean/);
});

test("jacfwd({ chunks: 2 }), hessian({ chunks }) and jacobian({ mod: 'forward' }) are refused", () => {
  throwsKind(() => jacfwd(id, { chunks: 2 } as never), TypeMismatchError, "jacfwd", unknown("chunks", "chunk"));
  throwsKind(() => hessian(id, { chunks: 2 } as never), TypeMismatchError, "hessian", unknown("chunks", "chunk"));
  throwsKind(() => jacobian(id, { mod: "forward" } as never), TypeMismatchError, "jacobian", unknown("mod", "mode, costModel"));
});

test("variable, rand, randn, numeric*, gradcheck, SGD, Adam and defineOp refuse unknown keys", () => {
  throwsKind(() => variable(1, { requiresGrads: false } as never), TypeMismatchError, "variable", unknown("requiresGrads", "requiresGrad"));
  throwsKind(() => rand([2], { sed: 1 } as never), TypeMismatchError, "rand", unknown("sed", "seed"));
  throwsKind(() => randn([2], { sed: 1 } as never), TypeMismatchError, "randn", unknown("sed", "seed"));
  throwsKind(() => numericDerivative(Math.sin, 1, { step: 1e-3 } as never), TypeMismatchError, "numericDerivative", unknown("step", "method, h"));
  throwsKind(() => numericGradient((x: number[]) => x[0]!, [1], { methd: "central" } as never), TypeMismatchError, "numericGradient", unknown("methd", "method, h"));
  throwsKind(() => numericJacobian((x: number[]) => x, [1], { hh: 1 } as never), TypeMismatchError, "numericJacobian", unknown("hh", "method, h"));
  throwsKind(() => gradcheck(id as never, 1, { rtl: 1 } as never), TypeMismatchError, "gradcheck", unknown("rtl", "rtol, atol, h"));
  throwsKind(() => new SGD([variable(1)], { lr: 0.1, momentun: 0.9 } as never), TypeMismatchError, "SGD", unknown("momentun", "lr, momentum, weightDecay, nesterov"));
  throwsKind(() => new Adam([variable(1)], { lr: 0.1, beta: [0.9, 0.99] } as never), TypeMismatchError, "Adam", unknown("beta", "lr, betas, eps, weightDecay"));
  throwsKind(() => defineOp({ name: "misspeltOp", arity: 1, value: (a: number) => a, partial: () => [1] } as never), TypeMismatchError, "defineOp", /unknown option 'partial'/);
});

test("options that are not objects are TypeMismatchErrors", () => {
  throwsKind(() => jacfwd(id, 3 as never), TypeMismatchError, "jacfwd", /options is number 3, not an object/);
  throwsKind(() => variable(1, [] as never), TypeMismatchError, "variable", /options is array\(0\), not an object/);
});

test("Adam({ eps: 0 }) is refused: with a zero gradient it would make parameters NaN (0 / 0)", () => {
  throwsKind(() => new Adam([variable(1)], { lr: 0.1, eps: 0 }), DomainError, "Adam", /eps is number 0; pass a finite number > 0/);
  const w = variable(1);
  const opt = new Adam([w], { lr: 0.1, eps: 1e-12 });
  (mul(w, 0) as Var).backward();
  opt.step();
  assert.is(w.value, 1);
});

test.run();
