/**
 * Random tensor programs for the vmap properties: a chain of up to five
 * steps, each an op valid at the current shape (elementwise ops, reductions,
 * matmul, dot, outer, transpose, reshape, broadcastTo, sumToShape, index,
 * slice, padZeros, concat, stack), drawn by index so every chain is valid.
 * Constants a step needs (a matrix, a vector) are fixed per step and shape,
 * so a program is a pure function of its input.
 */
import fc from "fast-check";
import {
  sin, tanh, mul, add, sum, max, logsumexp, matmul, dot, outer, transpose, reshape, broadcastTo, sumToShape, index, slice,
  padZeros, concat, stack, randn, type Value,
} from "../../lib/index.ts";
import { shape } from "./tensor-shapes.ts";

type Step = { name: string; valid: (s: number[]) => boolean; apply: (x: Value, s: number[]) => Value; shape: (s: number[]) => number[] };

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const last = (s: number[]) => s[s.length - 1]!;
const constant = (s: number[], seed: number) => randn(s, { seed });

const STEPS: Step[] = [
  { name: "sin", valid: () => true, apply: (x) => sin(x), shape: (s) => s },
  { name: "mul c", valid: () => true, apply: (x, s) => mul(x, constant(s, 1)), shape: (s) => s },
  { name: "tanh(add c)", valid: () => true, apply: (x, s) => tanh(add(x, constant(s.slice(1), 2))), shape: (s) => s },
  { name: "sum axis 0", valid: (s) => s.length >= 1, apply: (x) => sum(x, 0), shape: (s) => s.slice(1) },
  { name: "sum all", valid: (s) => s.length >= 1, apply: (x) => sum(x), shape: () => [] },
  { name: "max axis -1 keepdims", valid: (s) => s.length >= 1, apply: (x) => max(x, -1, true), shape: (s) => [...s.slice(0, -1), 1] },
  { name: "logsumexp axis -1", valid: (s) => s.length >= 1, apply: (x) => logsumexp(x, -1), shape: (s) => s.slice(0, -1) },
  { name: "matmul(x, W)", valid: (s) => s.length >= 1, apply: (x, s) => matmul(x, constant([last(s), 3], 3)), shape: (s) => [...s.slice(0, -1), 3] },
  { name: "matmul(W, x)", valid: (s) => s.length >= 1 && s.length <= 2, apply: (x, s) => matmul(constant([2, s[0]!], 4), x), shape: (s) => [2, ...s.slice(1)] },
  { name: "dot(x, v)", valid: (s) => s.length === 1, apply: (x, s) => dot(x, constant(s, 5)), shape: () => [] },
  { name: "outer(x, v)", valid: (s) => s.length === 1, apply: (x) => outer(x, constant([2], 6)), shape: (s) => [s[0]!, 2] },
  { name: "outer(v, x)", valid: (s) => s.length === 1, apply: (x) => outer(constant([2], 7), x), shape: (s) => [2, s[0]!] },
  { name: "transpose", valid: (s) => s.length >= 2, apply: (x) => transpose(x), shape: (s) => s.slice().reverse() },
  { name: "reshape -1", valid: () => true, apply: (x) => reshape(x, [-1]), shape: (s) => [size(s)] },
  { name: "broadcastTo [2, ...s]", valid: (s) => s.length <= 2, apply: (x, s) => broadcastTo(x, [2, ...s]), shape: (s) => [2, ...s] },
  { name: "sumToShape", valid: (s) => s.length >= 2, apply: (x, s) => sumToShape(x, [last(s)]), shape: (s) => [last(s)] },
  { name: "index -1", valid: (s) => s.length >= 1, apply: (x) => index(x, -1), shape: (s) => s.slice(1) },
  { name: "slice 1: of axis -1", valid: (s) => s.length >= 1, apply: (x) => slice(x, 1, undefined, -1), shape: (s) => [...s.slice(0, -1), Math.max(0, last(s) - 1)] },
  { name: "padZeros axis 0", valid: (s) => s.length >= 1, apply: (x) => padZeros(x, 1, 2, 0), shape: (s) => [s[0]! + 3, ...s.slice(1)] },
  { name: "concat [x, sin x]", valid: (s) => s.length >= 1, apply: (x) => concat([x, sin(x)], -1), shape: (s) => [...s.slice(0, -1), 2 * last(s)] },
  { name: "concat [x, c]", valid: (s) => s.length >= 1, apply: (x, s) => concat([x, constant(s, 8)], 0), shape: (s) => [2 * s[0]!, ...s.slice(1)] },
  { name: "stack [x, c] axis -1", valid: (s) => s.length <= 2, apply: (x, s) => stack([x, constant(s, 9)], -1), shape: (s) => [...s, 2] },
];

/** A tensor program: its steps (for reports) and its function. */
export interface TensorProgram {
  inShape: number[];
  steps: string[];
  f: (x: Value) => Value;
}

/**
 * Chains of 1..5 steps from an input of rank 1..3 (extents 1..4), each
 * valid at the shape it meets; steps that would empty the tensor are skipped.
 *
 * @example
 * ```ts
 * fc.sample(tensorProgram(), 1)[0].steps; // ["matmul(x, W)", "sum axis 0", ...]
 * ```
 */
export function tensorProgram(): fc.Arbitrary<TensorProgram> {
  return fc.tuple(shape(1, 3), fc.array(fc.nat(), { minLength: 1, maxLength: 5 })).map(([inShape, picks]) => {
    const chosen: Step[] = [];
    let s = inShape;
    for (const k of picks) {
      const ok = STEPS.filter((st) => st.valid(s) && size(st.shape(s)) > 0 && st.shape(s).every((d) => d <= 16));
      const st = ok[k % ok.length]!;
      chosen.push(st);
      s = st.shape(s);
    }
    const shapes: number[][] = [inShape];
    for (const st of chosen) shapes.push(st.shape(shapes[shapes.length - 1]!));
    return {
      inShape,
      steps: chosen.map((st) => st.name),
      f: (x: Value) => chosen.reduce((v, st, i) => st.apply(v, shapes[i]!), x),
    };
  });
}
