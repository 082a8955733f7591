import { test } from "uvu";
import * as assert from "uvu/assert";
import { DualtapeError, ShapeError, TypeMismatchError, GraphError, PerturbationError, DomainError, Tensor } from "../lib/index.ts";
import { fail, describe } from "../lib/errors.ts";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { misuses, runMisuse } from "../scripts/errors/catalogue.ts";
import { grad as gradT, valueAndGrad as valueAndGradT, jacrev as jacrevT, vjp as vjpT, jvp as jvpT } from "../lib/index.ts";
import { variable, gradients, jacfwd, jacobian, hessian, numericDerivative, numericGradient, numericJacobian, gradcheck, rand, randn, SGD, Adam, defineOp, mul, type Var } from "../lib/index.ts";
import { throwsKind } from "./support/errors.ts";

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
  assert.is(describe(true), "boolean true");
});

const catalogueRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

test("every catalogued misuse throws exactly its class, api and message", () => {
  for (const m of misuses) {
    const got = runMisuse(m);
    assert.equal(got, { kind: m.kind, api: m.api, message: m.message }, m.code);
  }
});
test("every catalogued message reads '<api>: <what is wrong>; <how to fix>'", () => {
  for (const m of misuses) assert.ok(m.message.startsWith(`${m.api}: `) && /^[^;]+: [^;]+; .+$/.test(m.message), m.message);
});
test("the catalogue covers every error class and the misuses it was built from", () => {
  const kinds = new Set(misuses.map((m) => m.kind));
  for (const k of ["ShapeError", "TypeMismatchError", "GraphError", "PerturbationError", "DomainError"]) assert.ok(kinds.has(k as never), k);
  for (const code of ["zeros([1e12])", "eye(1e5)", "arange(0, 1e10)", "noGrad(5)", "noGrad(async () => 1)", "reshape(zeros([0]), [0, -1])"]) {
    assert.ok(misuses.some((m) => m.code === code), code);
  }
});
test("docs/errors.md is exactly the page generated from the catalogue (run in a fresh process)", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(catalogueRoot, "scripts/errors-doc.ts"), "--check"], { cwd: catalogueRoot, encoding: "utf8" });
  assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
});

const identity8 = (x: never) => x;
const unknownOption = (key: string, list: string) => new RegExp(`unknown option '${key}'; valid options are ${list}$`);

test("backward({ retainGrpah: true }) and gradients({ createGrpah }) name the unknown key and the valid ones", () => {
  const x = variable(2);
  const y = mul(x, x) as Var;
  throwsKind(() => y.backward(undefined, { retainGrpah: true } as never), TypeMismatchError, "backward", unknownOption("retainGrpah", "retainGraph, createGraph"));
  throwsKind(() => gradients(y, x, { createGrpah: true } as never), TypeMismatchError, "gradients", unknownOption("createGrpah", "retainGraph, createGraph, gradOutputs"));
  throwsKind(() => y.backward(undefined, { retainGraph: "yes" } as never), TypeMismatchError, "backward", /retainGraph is string "yes", not a boolean/);
});
test("jacfwd({ chunks: 2 }), hessian({ chunks }) and jacobian({ mod: 'forward' }) are refused", () => {
  throwsKind(() => jacfwd(identity8, { chunks: 2 } as never), TypeMismatchError, "jacfwd", unknownOption("chunks", "argnums, hasAux, chunk"));
  throwsKind(() => hessian(identity8, { chunks: 2 } as never), TypeMismatchError, "hessian", unknownOption("chunks", "argnums, hasAux, chunk"));
  throwsKind(() => jacobian(identity8, { mod: "forward" } as never), TypeMismatchError, "jacobian", unknownOption("mod", "argnums, hasAux, mode, costModel"));
});
test("variable, rand, randn, numeric*, gradcheck, SGD, Adam and defineOp refuse unknown keys", () => {
  throwsKind(() => variable(1, { requiresGrads: false } as never), TypeMismatchError, "variable", unknownOption("requiresGrads", "requiresGrad"));
  throwsKind(() => rand([2], { sed: 1 } as never), TypeMismatchError, "rand", unknownOption("sed", "seed"));
  throwsKind(() => randn([2], { sed: 1 } as never), TypeMismatchError, "randn", unknownOption("sed", "seed"));
  throwsKind(() => numericDerivative(Math.sin, 1, { step: 1e-3 } as never), TypeMismatchError, "numericDerivative", unknownOption("step", "method, h"));
  throwsKind(() => numericGradient((x: number[]) => x[0]!, [1], { methd: "central" } as never), TypeMismatchError, "numericGradient", unknownOption("methd", "method, h"));
  throwsKind(() => numericJacobian((x: number[]) => x, [1], { hh: 1 } as never), TypeMismatchError, "numericJacobian", unknownOption("hh", "method, h"));
  throwsKind(() => gradcheck(identity8 as never, 1, { rtl: 1 } as never), TypeMismatchError, "gradcheck", unknownOption("rtl", "rtol, atol, h"));
  throwsKind(() => new SGD([variable(1)], { lr: 0.1, momentun: 0.9 } as never), TypeMismatchError, "SGD", unknownOption("momentun", "lr, momentum, weightDecay, nesterov"));
  throwsKind(() => new Adam([variable(1)], { lr: 0.1, beta: [0.9, 0.99] } as never), TypeMismatchError, "Adam", unknownOption("beta", "lr, betas, eps, weightDecay"));
  throwsKind(() => defineOp({ name: "misspeltOp", arity: 1, value: (a: number) => a, partial: () => [1] } as never), TypeMismatchError, "defineOp", /unknown option 'partial'/);
});
test("options that are not objects are TypeMismatchErrors", () => {
  throwsKind(() => jacfwd(identity8, 3 as never), TypeMismatchError, "jacfwd", /options is number 3, not an object/);
  throwsKind(() => variable(1, [] as never), TypeMismatchError, "variable", /options is array\(0\), not an object/);
});

test("grad, valueAndGrad, jacrev, vjp and jvp refuse a misspelt shared option (argnum, hasAuxx)", () => {
  const f = (x: never) => x;
  throwsKind(() => gradT(f, { argnum: 1 } as never), TypeMismatchError, "grad", unknownOption("argnum", "argnums, hasAux"));
  throwsKind(() => valueAndGradT(f, { hasAuxx: true } as never), TypeMismatchError, "valueAndGrad", unknownOption("hasAuxx", "argnums, hasAux"));
  throwsKind(() => jacrevT(f, { argnum: 0 } as never), TypeMismatchError, "jacrev", unknownOption("argnum", "argnums, hasAux"));
  throwsKind(() => vjpT(f, 1 as never, { argnums: 0 } as never), TypeMismatchError, "vjp", unknownOption("argnums", "hasAux"));
  throwsKind(() => jvpT(f, 1 as never, 1 as never, { hasAuxx: true } as never), TypeMismatchError, "jvp", unknownOption("hasAuxx", "hasAux"));
});

test.run();
