/**
 * Branch decisions packed into one stack entry per loop trip.
 *
 * The adjoint sweep must take the branch the forward sweep took. Pushing
 * one integer per executed `if` costs a store and a load each; in code that
 * decides several branches per trip (det's Laplace expansion decides three
 * nested ones per node; a clamp and a guard side by side) those integers
 * were a large share of everything saved. Instead, the decisions made in one
 * trip of a loop body (or in the function body), nested or one after
 * another, share one integer: each records its decision as a bit
 * (`p = 2p + bit`, when its branch ends) and the body pushes the whole path
 * at its end. The adjoint of the trip pops it first, and each `if`, visited
 * in reverse order, takes the lowest bit and shifts it out: last recorded,
 * first taken. A loop inside a branch packs its own trips. A body that
 * could record more bits than an int holds pushes its decisions one by one.
 */
import type { Stmt } from "./ir.ts";

/** Bits a packed path may hold: the int stack is 32-bit and signed. */
export const MAX_BRANCH_BITS = 30;

/**
 * The most decisions any path through `stmts` records, counting every `if`
 * outside nested loops (whether or not its adjoint turns out to need it).
 *
 * @example
 * ```ts
 * branchBits([ifStmt]); // 3 for an if holding an if holding an if
 * ```
 */
export function branchBits(stmts: readonly Stmt[]): number {
  let bits = 0;
  for (const s of stmts) if (s.k === "if") bits += 1 + Math.max(branchBits(s.then), branchBits(s.else));
  return bits;
}
