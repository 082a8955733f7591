/**
 * What the benchmark runner measures per eval: the sizes (the evals'
 * defaults, ascending; golden-case inputs where the data files are not
 * available here), which module functions are the primal and the
 * derivatives, and the plain-JS primal to compare against.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Random, llsqInput, lseInput, detInput, kmeansInput, odeInput, gmmInput, lstmInput, randomText, htInput } from "./generate.ts";
import { llsqPlain, lsePlain, detPlain, odePlain, kmeansPlain } from "./plain/scalar.ts";
import { lstmPlain } from "./plain/lstm.ts";
import { baPlain } from "./plain/ba.ts";
import { htPlain } from "./plain/ht.ts";
import { gmmPlain } from "./plain/gmm.ts";

/** One benchmark size. `work` orders sizes and predicts growth. */
export interface BenchCase {
  label: string;
  input: unknown;
  work: number;
}

/** How one eval is benchmarked. */
export interface EvalSpec {
  name: string;
  primal: string | null;
  derivatives: string[];
  /** Plain-JS primal on the state the module's `prepare` builds. */
  plain: ((state: never) => unknown) | null;
  budgetSeconds: number;
  peer?: "llsq" | "lse";
  cases: () => Iterable<BenchCase>;
}

function golden(casesDir: string, evalName: string): { function: string; description: string; input: Record<string, unknown> }[] {
  return readFileSync(join(casesDir, `${evalName}.jsonl`), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

function* grid<T>(items: T[], work: (t: T) => number, make: (t: T) => BenchCase): Iterable<BenchCase> {
  for (const t of [...items].sort((a, b) => work(a) - work(b))) yield make(t);
}

const pairs = <A, B>(as: A[], bs: B[]): [A, B][] => as.flatMap((a) => bs.map((b) => [a, b] as [A, B]));

function* htCases(casesDir: string): Iterable<BenchCase> {
  const objectives = golden(casesDir, "ht").filter((c) => c.function === "objective");
  for (const c of objectives) yield { label: `${c.description.split(" ")[0]} (golden)`, input: c.input, work: 1 };
  const big = objectives.find((c) => c.description.startsWith("complicated_big"))!;
  const rng = new Random(31337);
  for (const count of [1000, 10000]) {
    yield { label: `complicated_big model, c=${count} (synthetic)`, input: htInput(rng, big.input as never, count, true), work: 1 + count / 1000 };
  }
}

function* lstmCases(casesDir: string): Iterable<BenchCase> {
  const text = golden(casesDir, "lstm").find((c) => c.description.includes("c=1024"))!.input.sequence as number[][];
  const rng = new Random(31337);
  const sizes = pairs([2, 4, 6], [1024, 4096]).sort((a, b) => a[0] * a[1] - b[0] * b[1]);
  for (const [l, c] of sizes) {
    const seq = c <= text.length ? text.slice(0, c) : randomText(rng, c, text[0]!.length);
    yield { label: `l=${l},c=${c}${c > text.length ? " (random text)" : ""}`, input: lstmInput(rng, l, seq), work: l * c };
  }
}

/**
 * Every eval's benchmark spec.
 *
 * @example
 * ```ts
 * evalSpecs("/path/to/shared/gradbench/cases").map((s) => s.name);
 * ```
 */
export function evalSpecs(casesDir: string): EvalSpec[] {
  const rng = new Random(31337);
  return [
    { name: "hello", primal: "square", derivatives: ["double"], plain: (x: number) => x * x, budgetSeconds: 2,
      cases: () => [{ label: "x=3", input: 3, work: 1 }] },
    { name: "llsq", primal: "primal", derivatives: ["gradient", "gradient_tape"], plain: llsqPlain as never, budgetSeconds: 30, peer: "llsq",
      cases: () => grid([16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8196, 16392], (n) => n, (n) =>
        ({ label: `n=${n},m=128`, input: llsqInput(rng, n, 128), work: n * 128 })) },
    { name: "lse", primal: "primal", derivatives: ["gradient", "gradient_op"], plain: lsePlain as never, budgetSeconds: 25, peer: "lse",
      cases: () => grid(Array.from({ length: 10 }, (_, k) => 2500 * 2 ** k), (n) => n, (n) =>
        ({ label: `n=${n}`, input: lseInput(rng, n), work: n })) },
    { name: "det", primal: "primal", derivatives: ["gradient", "gradient_tape"], plain: detPlain as never, budgetSeconds: 25,
      cases: () => grid([5, 6, 7, 8, 9, 10, 11], (l) => l, (l) => ({ label: `ell=${l}`, input: detInput(rng, l), work: factorial(l) })) },
    { name: "kmeans", primal: "cost", derivatives: ["dir", "gradient", "dir_tape"], plain: kmeansPlain as never, budgetSeconds: 45,
      cases: () => grid(pairs(pairs([10, 100, 1000], [1000, 10000]), [8, 16]), ([[k, n], d]) => k * n * d, ([[k, n], d]) =>
        ({ label: `k=${k},n=${n},d=${d}`, input: kmeansInput(rng, k, n, d), work: k * n * d })) },
    { name: "ode", primal: "primal", derivatives: ["gradient", "gradient_tape"], plain: odePlain as never, budgetSeconds: 35,
      cases: () => grid(pairs([1000, 10000, 100000], [1, 10, 100]), ([n, s]) => n * s, ([n, s]) =>
        ({ label: `n=${n},s=${s}`, input: odeInput(rng, n, s), work: n * s })) },
    { name: "gmm", primal: "objective", derivatives: ["jacobian", "jacobian_tape"], plain: gmmPlain as never, budgetSeconds: 60,
      cases: () => grid(pairs([2, 10, 20, 32, 64], [5, 10, 25, 50, 100]), ([d, k]) => d * k, ([d, k]) =>
        ({ label: `d=${d},k=${k},n=1000`, input: gmmInput(rng, d, k, 1000), work: d * d * k })) },
    { name: "ba", primal: "objective", derivatives: ["jacobian", "jacobian_tape"], plain: baPlain as never, budgetSeconds: 40,
      cases: () => golden(casesDir, "ba").filter((c) => c.function === "objective" && c.description.includes("eval default"))
        .map((c) => ({ label: c.description.split(" ")[0]!, input: c.input, work: c.input.p as number })) },
    { name: "ht", primal: "objective", derivatives: ["jacobian", "jacobian_tape"], plain: htPlain as never, budgetSeconds: 30, cases: () => htCases(casesDir) },
    { name: "lstm", primal: "objective", derivatives: ["jacobian", "jacobian_tape"], plain: lstmPlain as never, budgetSeconds: 30, cases: () => lstmCases(casesDir) },
    { name: "particle", primal: null, derivatives: ["rr", "rf", "fr", "ff"], plain: null, budgetSeconds: 40,
      cases: () => [{ label: "w=0", input: { w: 0, min_runs: 1, min_seconds: 0 }, work: 1 }] },
    { name: "saddle", primal: null, derivatives: ["rr", "rf", "fr", "ff"], plain: null, budgetSeconds: 15,
      cases: () => [{ label: "start=[1,1]", input: { start: [1, 1], min_runs: 1, min_seconds: 0 }, work: 1 }] },
  ];
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}
