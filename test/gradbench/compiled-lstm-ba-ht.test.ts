/**
 * The GradBench lstm, ba and ht derivatives from the source compiler agree
 * with the traced-ops routes kept beside them (`grad`, `jacrev`, `jacfwd` on
 * the ops code, an independent implementation of the same model) and with
 * central differences of the shared plain programs, at small sizes. The
 * plain programs' values agree with the ops objectives too.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { grad, jacrev, type Value } from "../../lib/index.ts";
import { Random, lstmInput, randomText } from "../../bench/gradbench/generate.ts";
import { parseLstm, lstmLoss, lstmGradient } from "../../bench/gradbench/modules/lstm.ts";
import { lstmSource } from "../../bench/gradbench/modules/lstm-source.ts";
import { lstmPlain } from "../../bench/gradbench/plain/lstm.ts";
import { parseBa, baFlat, baValues, baWork, reprojection, type BaInput } from "../../bench/gradbench/modules/ba.ts";
import { baSource } from "../../bench/gradbench/modules/ba-source.ts";
import { baPlain } from "../../bench/gradbench/plain/ba.ts";
import { ht, htJacobian, htResiduals } from "../../bench/gradbench/modules/ht.ts";
import { parseHt, htArgs } from "../../bench/gradbench/modules/ht-input.ts";
import { htSource } from "../../bench/gradbench/modules/ht-source.ts";
import { central } from "../support/differences.ts";
import { close, closeAll, closeMat } from "../support/close.ts";

const cases = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bench", "gradbench", "cases");

/** A golden-case input of `evalName` whose description starts with `prefix`. */
function goldenInput(evalName: string, fn: string, prefix: string): unknown {
  const lines = readFileSync(join(cases, `${evalName}.jsonl`), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  return lines.find((c) => c.function === fn && c.description.startsWith(prefix))!.input;
}

/** d f / d x[k] by central differences, x copied. */
function partial(f: (x: Float64Array) => number, x: Float64Array, k: number, h = 1e-6): number {
  return central((t) => {
    const y = x.slice();
    y[k] = t;
    return f(y);
  }, x[k]!, h);
}

test("lstm: the compiled gradient equals grad of the ops loss and central differences of lstmSource", () => {
  const rng = new Random(7);
  const inp = parseLstm(lstmInput(rng, 2, randomText(rng, 6, 3)));
  const g = lstmGradient(inp);
  closeAll(g, grad<number[]>((p) => lstmLoss(p, inp))(inp.params) as number[], 1e-12);
  close(lstmPlain(inp), lstmLoss(inp.params, inp) as number, 1e-13, "value");
  const { params, state, sequence } = inp.flat;
  const loss = (p: Float64Array) => lstmSource(p, state, sequence, inp.layers, inp.bits, inp.sequence.length);
  for (let k = 0; k < params.length; k += 5) close(g[k], partial(loss, params, k), 1e-7, `param ${k}`);
});

/** A ba problem whose cameras, points, weights and features all differ; camera 0 has an exactly zero rotation. */
function distinctBa(): BaInput {
  const rng = new Random(11);
  const b = parseBa({ n: 3, m: 4, p: 12, cam: new Array(11).fill(0), x: [0, 0, 0], w: 1, feat: [0, 0] });
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng.uniform();
  b.cams.forEach((c, k) => c.splice(0, 11, k === 0 ? 0 : u(-0.5, 0.5), k === 0 ? 0 : u(-0.5, 0.5), k === 0 ? 0 : u(-0.5, 0.5),
    u(-1, 1), u(-1, 1), u(-1, 1), u(0.5, 2), u(-0.1, 0.1), u(-0.1, 0.1), u(-0.1, 0.1), u(-0.01, 0.01)));
  b.points.forEach((x) => x.splice(0, 3, u(-1, 1), u(-1, 1), u(4, 8)));
  b.weights.forEach((_, i) => (b.weights[i] = u(0.2, 1.5)));
  b.feats.forEach((f) => f.splice(0, 2, u(-1, 1), u(-1, 1)));
  return { ...b, flat: baFlat(b) };
}

/** The compiled Jacobian's blocks from its CSR values: observation i's rows at 30i and 30i + 15, weights from 30p. */
function baBlocks(b: BaInput): { dx: Float64Array; dy: Float64Array; dw: Float64Array } {
  const vals = new Float64Array(31 * b.p).fill(NaN);
  baValues(b, vals, baWork(b.p, vals));
  const dx = new Float64Array(15 * b.p);
  const dy = new Float64Array(15 * b.p);
  for (let i = 0; i < b.p; i++) {
    dx.set(vals.subarray(30 * i, 30 * i + 15), 15 * i);
    dy.set(vals.subarray(30 * i + 15, 30 * i + 30), 15 * i);
  }
  return { dx, dy, dw: vals.slice(30 * b.p) };
}

test("ba: every compiled Jacobian block equals jacrev of the ops residuals, with the zero-rotation branch", () => {
  const b = distinctBa();
  const { dx, dy, dw } = baBlocks(b);
  for (let i = 0; i < b.p; i++) {
    const inputs = [...b.cams[i % b.n]!, ...b.points[i % b.m]!, b.weights[i]!];
    const want = jacrev((v: Value[]) => reprojection(v, b.feats[i]!))(inputs) as number[][];
    closeMat([Array.from(dx.subarray(15 * i, 15 * i + 15)), Array.from(dy.subarray(15 * i, 15 * i + 15))], want, 1e-11);
    close(dw[i], -2 * b.weights[i]!, 1e-15, `weight ${i}`);
  }
});

test("ba: compiled blocks match central differences of baSource, and baPlain the ops residuals", () => {
  const b = distinctBa();
  const { dx, dy } = baBlocks(b);
  const { v, feats } = b.flat;
  for (const i of [0, 5, 11]) {
    for (let k = 0; k < 15; k++) {
      const at = 15 * i + k;
      close(dx[at], partial((w) => baSource(w, feats, b.p)[2 * i]!, v, at), 1e-6, `obs ${i} e_x input ${k}`);
      close(dy[at], partial((w) => baSource(w, feats, b.p)[2 * i + 1]!, v, at), 1e-6, `obs ${i} e_y input ${k}`);
    }
  }
  const { reproj } = baPlain(b);
  for (let i = 0; i < b.p; i++) {
    const [ex, ey] = reprojection([...b.cams[i % b.n]!, ...b.points[i % b.m]!, b.weights[i]!], b.feats[i]!);
    closeAll([reproj[2 * i]!, reproj[2 * i + 1]!], [ex as number, ey as number], 1e-13);
  }
});

for (const variant of ["simple_small", "complicated_small"]) {
  test(`ht ${variant}: the compiled forward Jacobian equals jacfwd of the ops residuals and central differences`, () => {
    const inp = parseHt(goldenInput("ht", "jacobian", variant));
    const J = htJacobian(inp).toJSON();
    closeMat(J, ht.jacobian_tape!.run(inp) as number[][], 1e-11);
    const complicated = inp.us.length !== 0;
    assert.is(J[0]!.length, complicated ? 28 : 26);
    // Columns: (d0, d1) first when complicated, then theta; check a spread of them by differences.
    const residual = (x: Float64Array, row: number) => {
      const [d0, d1, theta] = complicated ? [x[0]!, x[1]!, x.subarray(2)] : [0, 0, x];
      const args = htArgs(inp, d0, d1);
      args[0] = theta;
      return htSource(...(args as Parameters<typeof htSource>))[row]!;
    };
    const x = Float64Array.from(complicated ? [0, 0, ...inp.theta] : inp.theta);
    for (const row of [0, 7, J.length - 1]) {
      for (let k = 0; k < x.length; k += 3) close(J[row]![k], partial((y) => residual(y, row), x, k), 1e-6, `row ${row} column ${k}`);
    }
    closeAll(htSource(...(htArgs(inp, 0, 0) as Parameters<typeof htSource>)), htResiduals(inp.theta, 0, 0, inp) as number[], 1e-12);
  });
}

test.run();
