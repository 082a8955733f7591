/**
 * vmap and the batched Jacobians, over random programs:
 * - vmap(f)(X) row b == f(X[b]): random elementwise programs (every
 *   registered elementwise op) and random chains of tensor ops (every
 *   structural op), to 1e-12 relative;
 * - batched Jacobians == unbatched: jacfwd (all lanes of a pass through a
 *   structural op in one call) == one jvp per direction, and jacrev (one
 *   sweep with a batch of one-hot cotangents) == one vjp per output element;
 * - nesting: grad of vmap and vmap of grad == per-example gradients, for
 *   tensor chains and for elementwise programs (the piecewise rules' masks).
 */
import { test } from "uvu";
import fc from "fast-check";
import { vmap, grad, jvp, vjp, jacfwd, jacrev, index, sum, mul, primal, stack, Tensor, type Lifted, type Value } from "../lib/index.ts";
import { program } from "./arbitraries/program.ts";
import { tensorProgram, type TensorProgram } from "./arbitraries/tensor-program.ts";
import { tensorIn } from "./arbitraries/tensor-shapes.ts";
import { params } from "./support/run.ts";

function flat(v: unknown): number[] {
  if (Array.isArray(v)) return v.flatMap(flat);
  const p = primal(v as Value);
  return typeof p === "number" ? [p] : Array.from(p.data);
}

function close(label: string, got: number[], want: number[]): void {
  if (got.length !== want.length) throw new Error(`${label}: ${got.length} values, expected ${want.length}`);
  const scale = Math.max(1, ...want.map((v) => (Number.isFinite(v) ? Math.abs(v) : 0)));
  got.forEach((v, i) => {
    const w = want[i]!;
    const same = Object.is(v, w) || (Number.isNaN(v) && Number.isNaN(w)) || Math.abs(v - w) <= 1e-12 * scale;
    if (!same) throw new Error(`${label}: ${v} vs ${w} at ${i}`);
  });
}

const unit = { lo: -2, hi: 2 };

/** A program of n scalar inputs and a batch of 1..4 points for it. */
const scalarCase = fc.integer({ min: 1, max: 3 }).chain((n) => fc.record({
  p: program({ inputs: n, outputs: { min: 1, max: 3 } }),
  cols: fc.integer({ min: 1, max: 4 }).chain((b) => fc.array(tensorIn([b], unit), { minLength: n, maxLength: n })),
}));

test("vmap of a random elementwise program: row b equals the program at point b", () => {
  fc.assert(fc.property(scalarCase, ({ p, cols }) => {
    const out = vmap((...xs: Lifted[]) => p.call(xs) as Value[])(...cols) as Tensor[];
    const b = cols[0]!.shape[0]!;
    for (let r = 0; r < b; r++) {
      const want = p.call(cols.map((c) => c.data[r]!)) as number[];
      close(`${p} at row ${r}`, out.map((o) => o.data[r]!), want);
    }
  }), params());
});

/** A tensor program and a batch of 1..3 inputs for it. */
const tensorCase = tensorProgram().chain((tp) => fc.record({
  tp: fc.constant(tp),
  X: fc.integer({ min: 1, max: 3 }).chain((b) => tensorIn([b, ...tp.inShape], unit)),
}));

const label = (tp: TensorProgram) => `[${tp.inShape}] -> ${tp.steps.join(" -> ")}`;

test("vmap of a random chain of tensor ops: row b equals the chain on X[b]", () => {
  fc.assert(fc.property(tensorCase, ({ tp, X }) => {
    const out = vmap(tp.f)(X) as Value;
    for (let r = 0; r < X.shape[0]!; r++) close(`${label(tp)} row ${r}`, flat(index(out as Tensor, r)), flat(tp.f(index(X, r))));
  }), params());
});

test("batched Jacobians equal unbatched ones: jacfwd == one jvp per direction, jacrev == one vjp per output element", () => {
  fc.assert(fc.property(tensorCase, ({ tp, X }) => {
    const x = index(X, 0) as Tensor;
    const fwd = flat(jacfwd(tp.f)(x));
    const rev = flat(jacrev(tp.f)(x));
    const n = x.size;
    const y = tp.f(x);
    const m = flat(y).length;
    const cols = Array.from({ length: n }, (_, e) => {
      const v = new Tensor(new Float64Array(n), x.shape);
      v.data[e] = 1;
      return flat(jvp(tp.f, x, v).tangent);
    });
    const pb = vjp(tp.f, x);
    const rows = Array.from({ length: m }, (_, j) => {
      const p = primal(y);
      const w = typeof p === "number" ? 1 : new Tensor(new Float64Array(p.size), p.shape);
      if (w instanceof Tensor) w.data[j] = 1;
      return flat(pb.pullback(w));
    });
    close(`${label(tp)} jacfwd`, fwd, Array.from({ length: m * n }, (_, k) => cols[k % n]![Math.floor(k / n)]!));
    close(`${label(tp)} jacrev`, rev, rows.flat());
  }), params());
});

/** A scalar program of n inputs (every elementwise op, piecewise ones included) and a batch of 1..4 points. */
const scalarLossCase = fc.integer({ min: 1, max: 3 }).chain((n) => fc.record({
  p: program({ inputs: n, outputs: "scalar" }),
  cols: fc.integer({ min: 1, max: 4 }).chain((b) => fc.array(tensorIn([b], unit), { minLength: n, maxLength: n })),
}));

test("vmap of grad of a random elementwise program equals its gradient at each point", () => {
  fc.assert(fc.property(scalarLossCase, ({ p, cols }) => {
    const f = (xs: Lifted[]) => p.call(xs) as Value;
    const out = vmap((...xs: Lifted[]) => grad(f)(xs as never) as Value[])(...cols) as Tensor[];
    for (let r = 0; r < cols[0]!.shape[0]!; r++) {
      close(`${p} at row ${r}`, out.map((o) => o.data[r]!), grad(f)(cols.map((c) => c.data[r]!)) as number[]);
    }
  }), params());
});

test("grad of vmap and vmap of grad equal the per-example gradients", () => {
  fc.assert(fc.property(tensorCase, ({ tp, X }) => {
    const loss = (x: Lifted) => sum(mul(tp.f(x), tp.f(x)));
    const perExample = Array.from({ length: X.shape[0]! }, (_, r) => grad(loss)(index(X, r) as Tensor) as Value);
    const want = flat(stack(perExample, 0));
    close(`grad of vmap: ${label(tp)}`, flat(grad((Z: Lifted) => sum(vmap(loss)(Z) as Lifted))(X)), want);
    close(`vmap of grad: ${label(tp)}`, flat(vmap(grad(loss))(X)), want);
  }), params());
});

test.run();
