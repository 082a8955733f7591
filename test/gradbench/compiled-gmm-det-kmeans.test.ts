/**
 * The plain loop programs that the GradBench tool differentiates with the
 * source compiler (gmm, det, kmeans): each computes the same value as the
 * module's ops version, and its compiled gradient agrees with central
 * differences of the plain program and with the tape version of the module.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, tensor } from "../../lib/index.ts";
import { Random, gmmInput, detInput, kmeansInput } from "../../bench/gradbench/generate.ts";
import { gmmSource } from "../../bench/gradbench/modules/gmm-source.ts";
import { detSource } from "../../bench/gradbench/modules/det-source.ts";
import { kmeansSource } from "../../bench/gradbench/modules/kmeans-source.ts";
import { gmm, gmmObjective } from "../../bench/gradbench/modules/gmm.ts";
import { parseGmm, gmmConstant } from "../../bench/gradbench/modules/gmm-input.ts";
import { det, determinant } from "../../bench/gradbench/modules/det.ts";
import { kmeans, kmeansCost, parseKmeans } from "../../bench/gradbench/modules/kmeans.ts";
import { scalar } from "../../bench/gradbench/output.ts";
import { close, closeAll } from "../support/close.ts";

/** Central differences of `f` in every entry of `x`, with step h. */
function centralGradient(f: (x: number[]) => number, x: readonly number[], h: number): number[] {
  return x.map((_, i) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[i]! += h;
    minus[i]! -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}

/** Every number in a nested result, in order. */
function flatNumbers(v: unknown): number[] {
  if (typeof v === "number") return [v];
  if (ArrayBuffer.isView(v)) return Array.from(v as Float64Array);
  if (Array.isArray(v)) return v.flatMap(flatNumbers);
  return Object.values(v as object).flatMap(flatNumbers);
}

const run = (fn: { prepare: (i: unknown) => unknown; run: (s: never) => unknown } | undefined, input: unknown) =>
  fn!.run(fn!.prepare(input) as never);

test("gmm: the loop program plus the constant is the tensor objective", () => {
  const inp = parseGmm({ ...gmmInput(new Random(5), 3, 4, 9), m: 2, gamma: 0.7 });
  const want = scalar(gmmObjective(tensor(inp.params), inp));
  close(gmmSource(inp.params, inp.x.data, inp.d, inp.k, inp.n, inp.m, inp.gamma) + gmmConstant(inp), want, 1e-12);
});

test("gmm: the compiled gradient matches central differences and the tensor gradient", () => {
  const input = { ...gmmInput(new Random(6), 3, 4, 9), m: 2, gamma: 0.7 };
  const inp = parseGmm(input);
  const G = compile(gmmSource, { wrt: [0] });
  const g = G.grad(inp.params, inp.x.data, inp.d, inp.k, inp.n, inp.m, inp.gamma) as number[];
  const f = (p: number[]) => gmmSource(p, inp.x.data, inp.d, inp.k, inp.n, inp.m, inp.gamma);
  closeAll(g, centralGradient(f, inp.params, 1e-5), 1e-6);
  closeAll(flatNumbers(run(gmm.jacobian, input)), flatNumbers(run(gmm.jacobian_tape, input)), 1e-12);
});

test("det: the loop program is the recursive expansion, for ℓ = 1..6", () => {
  const rng = new Random(7);
  for (let ell = 1; ell <= 6; ell++) {
    const a = rng.vector(ell * ell);
    close(detSource(a, ell), determinant(a, ell) as number, 1e-12, `ell=${ell}`);
  }
  close(detSource([2, 0, 0, 0, 3, 0, 0, 0, 4], 3), 24);
  close(detSource([0, 1, 1, 0], 2), -1);
});

test("det: the compiled gradient is the cofactor matrix (differences, tape)", () => {
  const G = compile(detSource, { wrt: [0] });
  closeAll(G.grad([1, 2, 3, 4], 2) as number[], [4, -3, -2, 1]);
  const rng = new Random(8);
  for (const ell of [3, 5]) {
    const input = detInput(rng, ell) as { A: number[] };
    // det is linear in each entry, so central differences are exact up to rounding.
    closeAll(G.grad(input.A, ell) as number[], centralGradient((a) => detSource(a, ell), input.A, 1e-3), 1e-9);
    closeAll(flatNumbers(run(det.gradient, input)), flatNumbers(run(det.gradient_tape, input)), 1e-12);
  }
});

test("kmeans: the loop program is the tensor cost; J matches differences and the tape", () => {
  const rng = new Random(9);
  const points = rng.matrix(40, 3);
  const input = { points, centroids: rng.matrix(5, 3), min_runs: 1, min_seconds: 0 };
  const s = parseKmeans(input);
  const want = scalar(kmeansCost(s.pointTensor, tensor(s.centroids, [s.k, s.d]), s.k));
  close(kmeansSource(s.centroids, s.flatPoints, points.length, s.k, s.d), want, 1e-12);
  const G = compile(kmeansSource, { wrt: [0] });
  const g = G.grad(s.centroids, s.flatPoints, points.length, s.k, s.d) as number[];
  const f = (c: number[]) => kmeansSource(c, s.flatPoints, points.length, s.k, s.d);
  closeAll(g, centralGradient(f, s.centroids, 1e-6), 1e-7);
  closeAll(flatNumbers(run(kmeans.gradient, input)), g);
  const golden = kmeansInput(rng, 4, 50, 2);
  closeAll(flatNumbers(run(kmeans.dir, golden)), flatNumbers(run(kmeans.dir_tape, golden)), 1e-12);
});

test("kmeans: a point tied between two centroids pulls only the first", () => {
  // The point (0, 0) is at distance 1 from both centroids (1, 0) and (-1, 0).
  const G = compile(kmeansSource, { wrt: [0] });
  closeAll(G.grad([1, 0, -1, 0], [0, 0], 1, 2, 2) as number[], [2, 0, 0, 0]);
  assert.is(kmeansSource([1, 0, -1, 0], [0, 0], 1, 2, 2), 1);
});

test.run();
