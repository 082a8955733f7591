/**
 * The run-time half of the esbuild plugin: the plugin writes each compiled
 * function's generated code into the bundle as a plain factory, and
 * `precompiled` wraps what the factory returns in the same object `compile`
 * gives. Nothing here parses or generates code, so bundles that use it run
 * under a Content Security Policy without 'unsafe-eval'.
 */
import type { Fn, Param } from "./ir.ts";
import { newStacks, type Stacks } from "./runtime.ts";
import type { Generated } from "./calls.ts";
import type { AdjointWrites } from "./assemble-reverse.ts";
import { wrap, type CompiledFunction } from "./compile.ts";
import { findOp, fail, describe } from "./registry.ts";

/**
 * What the generated code needs from the library when it is loaded.
 *
 * @example
 * ```ts
 * const runtime: PrebuiltRuntime = { stacks: newStacks(), op: (name) => findOp(name)?.elementwise?.value };
 * ```
 */
export interface PrebuiltRuntime {
  /** The reverse sweep's stacks. */
  stacks: Stacks;
  /** The value function of a registered elementwise op. */
  op(name: string): unknown;
}

/**
 * The loaded generated functions, as the factory returns them.
 *
 * @example
 * ```ts
 * const fns: PrebuiltFunctions = record.make(runtime); // what precompiled() calls when the bundle loads
 * ```
 */
export type PrebuiltFunctions = Omit<Generated, "fn" | "wrt" | "stacks">;

/**
 * One compiled function as the esbuild plugin writes it into a bundle.
 *
 * @example
 * ```ts
 * const E = precompiled(record); // record: a Prebuilt written by dualtape/esbuild
 * ```
 */
export interface Prebuilt {
  name: string;
  wrt: readonly number[];
  params: Param[];
  resultArray: string | null;
  writtenParams: string[];
  /** The arrays the adjoint sweep writes elements of (absent in older bundles: any may be written). */
  adjointWrites?: AdjointWrites;
  source: string;
  make(rt: PrebuiltRuntime): PrebuiltFunctions;
}

function checkPrebuilt(p: unknown): asserts p is Prebuilt {
  const q = p as Partial<Prebuilt> | null;
  const ok = typeof q === "object" && q !== null && typeof q.make === "function" && typeof q.name === "string" && typeof q.source === "string"
    && Array.isArray(q.wrt) && Array.isArray(q.params) && Array.isArray(q.writtenParams) && (q.resultArray === null || typeof q.resultArray === "string");
  if (!ok) fail("precompiled", `got ${describe(p)}, not the record dualtape/esbuild writes`, "call compile(f, options), or let the dualtape/esbuild plugin write precompiled(...) calls");
}

function opValue(name: string): unknown {
  const value = findOp(name)?.elementwise?.value;
  if (typeof value !== "function") {
    fail("precompiled", `the op '${name}' used by precompiled code is not registered`, "run its defineOp before the module that calls compile is loaded");
  }
  return value;
}

/**
 * The compiled function whose generated code the esbuild plugin wrote into
 * the bundle (the plugin rewrites `compile(f, options)` into this call).
 *
 * @example
 * ```ts
 * // written by dualtape/esbuild, not by hand:
 * const E = precompiled({ name: "energy", wrt: [0], params, resultArray: null, writtenParams: [], source, make: (rt) => ({ ... }) });
 * E.grad(x, n);
 * ```
 */
export function precompiled(p: Prebuilt): CompiledFunction {
  checkPrebuilt(p);
  const stacks = newStacks();
  const made = p.make({ stacks, op: opValue });
  const fn: Fn = { params: p.params.map((q) => ({ ...q })), locals: [], arrays: [], body: [], resultArray: p.resultArray, writtenParams: [...p.writtenParams] };
  return wrap({ ...made, fn, wrt: p.wrt, stacks, source: p.source, adjointWrites: p.adjointWrites }, p.name);
}
