/**
 * How requiresGrad propagates. Leaves made by `variable` require grad and
 * have no gradFn; a value computed from any Var that requires grad also
 * requires it, is not a leaf, and names the op that made it (`gradFn`).
 * Values computed only from constants, inside `noGrad`, or after `detach()`
 * require none.
 *
 * Run: npx tsx examples/requires-grad.ts
 */
import { pathToFileURL } from "node:url";
import { variable, tensor, add, mul, noGrad, type Var } from "../lib/index.ts";

/** The three flags of a Var. */
export interface Flags {
  requiresGrad: boolean;
  isLeaf: boolean;
  gradFn: string | null;
}

const flags = (v: Var): Flags => ({ requiresGrad: v.requiresGrad, isLeaf: v.isLeaf, gradFn: v.gradFn });

/**
 * The flags of a few Vars: leaves a and b, c = a + b, d = c * k (k a
 * constant Var), e = c computed inside noGrad, and c.detach().
 *
 * @example
 * ```ts
 * requiresGradFlags().c; // { requiresGrad: true, isLeaf: false, gradFn: "add" }
 * ```
 */
export function requiresGradFlags(): Record<"a" | "b" | "k" | "c" | "d" | "e" | "detached", Flags> {
  const a = variable(tensor([1, 2]));
  const b = variable(tensor([3, 4]));
  const k = variable(tensor([10, 10]), { requiresGrad: false });
  const c = add(a, b);
  const d = mul(c, k);
  const e = noGrad(() => add(a, b));
  return { a: flags(a), b: flags(b), k: flags(k), c: flags(c), d: flags(d), e: flags(e), detached: flags(c.detach()) };
}

function main(): void {
  const r = requiresGradFlags();
  const rows: [string, Flags][] = [
    ["a = variable(tensor([1, 2]))", r.a], ["b = variable(tensor([3, 4]))", r.b],
    ["k = variable(..., { requiresGrad: false })", r.k], ["c = add(a, b)", r.c], ["d = mul(c, k)", r.d],
    ["e = noGrad(() => add(a, b))", r.e], ["c.detach()", r.detached],
  ];
  console.log(`${"".padEnd(44)}requiresGrad  isLeaf  gradFn`);
  for (const [name, f] of rows) {
    console.log(`${name.padEnd(44)}${String(f.requiresGrad).padEnd(14)}${String(f.isLeaf).padEnd(8)}${f.gradFn}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
