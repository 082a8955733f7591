/**
 * Training-loop patterns that used to grow memory without bound, each as a
 * step function, and a measurement of heap plus array-buffer memory after a
 * full garbage collection. Used by `npm run soak` (scripts/soak.ts) and, in
 * a short version, by test/reverse/lifetime.test.ts.
 */
import {
  variable, gradients, compileGrad, matmul, tanh, sum, square, sub, mul, add, mean, sin,
  tensor, randn, setLeaf, type Var, type Tensor, type Lifted,
} from "./soak-api.ts";

/** One named pattern: `setup` returns the step function (called with the step number). */
export interface Pattern {
  name: string;
  setup(): (step: number) => void;
}

function mlp(): { w1: Var; w2: Var; forward(x: Tensor): Var } {
  const w1 = variable(randn([8, 32], { seed: 1 }));
  const w2 = variable(randn([32, 1], { seed: 2 }));
  return { w1, w2, forward: (x) => matmul(tanh(matmul(x, w1)), w2) as Var };
}

function sgd(params: Var[], lr: number): void {
  for (const p of params) {
    if (p.grad !== null) setLeaf(p, sub(p.value, mul(p.grad, lr)) as Tensor);
    p.zeroGrad();
  }
}

const batch = (step: number) => randn([16, 8], { seed: 100 + (step % 7) });

/** The patterns of the memory items: each step builds a graph and drops it, in a different way. */
export const patterns: Pattern[] = [
  {
    name: "forgotten graph (metric outside noGrad)",
    setup() {
      const m = mlp();
      let logged = 0;
      return (step) => {
        const pred = m.forward(batch(step));
        logged += (mean(pred) as Var).value as number; // a graph nobody runs backward
        (sum(square(pred)) as Var).backward();
        sgd([m.w1, m.w2], 1e-3);
        if (!Number.isFinite(logged)) throw new Error("diverged");
      };
    },
  },
  {
    name: "skipped backward (every 10th step)",
    setup() {
      const m = mlp();
      return (step) => {
        const loss = sum(square(m.forward(batch(step)))) as Var;
        if (step % 10 !== 9) loss.backward();
        sgd([m.w1, m.w2], 1e-3);
      };
    },
  },
  {
    name: "gradient penalty (createGraph)",
    setup() {
      const m = mlp();
      return (step) => {
        const loss = sum(square(m.forward(batch(step)))) as Var;
        const [g] = gradients(loss, m.w1, { createGraph: true });
        const penalty = sum(square(g as Var)) as Var;
        penalty.backward();
        sgd([m.w1, m.w2], 1e-4);
      };
    },
  },
  {
    name: "no backward at all (evaluation outside noGrad)",
    setup() {
      const m = mlp();
      let total = 0;
      return (step) => {
        total += (sum(m.forward(batch(step))) as Var).value as number;
        if (Number.isNaN(total)) throw new Error("NaN");
      };
    },
  },
  {
    name: "scalar steps",
    setup() {
      const w = variable(0.5);
      return (step) => {
        const x = (step % 13) / 13;
        const loss = square(sub(mul(w, x), sin(x))) as Var;
        loss.backward();
        setLeaf(w, (w.value as number) - 0.1 * (w.grad as number));
        w.zeroGrad();
      };
    },
  },
  {
    name: "compileGrad, a new input shape every step",
    setup() {
      const g = compileGrad((x: Lifted) => sum(square(x)));
      return (step) => {
        const n = 1 + (step % 5000);
        g(tensor(new Array<number>(n).fill(1)));
      };
    },
  },
];

/**
 * Heap plus array-buffer bytes after a full collection (needs --expose-gc).
 *
 * @example
 * ```ts
 * const before = liveBytes();
 * ```
 */
export function liveBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run node with --expose-gc");
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Runs `steps` steps of a pattern; returns bytes after warm-up (a tenth of the steps) and at the end. */
export function soak(p: Pattern, steps: number): { start: number; end: number } {
  const step = p.setup();
  const warm = Math.max(1, Math.floor(steps / 10));
  let k = 0;
  for (; k < warm; k++) step(k);
  const start = liveBytes();
  for (; k < steps; k++) step(k);
  return { start, end: liveBytes() };
}

export { add };
