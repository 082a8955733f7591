/**
 * The values a function's path and indices depend on. The sparsity pass
 * (emitForwardPattern) needs the path the code takes and the elements it
 * indexes, not the numbers it computes: it computes only these values, and
 * its masks.
 */
import { forEachExpr, forEachStmt, visitExpr, type Expr, type Fn } from "./ir.ts";

/**
 * The scalars and arrays whose values a branch or loop test, an index, an
 * allocation size or a `?:` test reads, directly or through the
 * assignments and stores that feed them.
 *
 * @example
 * ```ts
 * neededValues(fn); // Set { "i", "n", "k", "c" } for a loop over i < n that indexes with c = corr[i]
 * ```
 */
export function neededValues(fn: Fn): Set<string> {
  const needed = new Set<string>();
  const reads = (e: Expr): void => visitExpr(e, (x) => {
    if (x.k === "var") needed.add(x.name);
    else if (x.k === "read") needed.add(x.arr);
  });
  forEachStmt(fn.body, (s) => {
    if (s.k === "if" || s.k === "loop") reads(s.test);
    else if (s.k === "alloc") reads(s.size);
    else if (s.k === "store") reads(s.index);
  });
  forEachExpr(fn.body, (e) => {
    if (e.k === "read") reads(e.index);
    else if (e.k === "cond") reads(e.test);
  });
  for (let size = -1; size !== needed.size; ) {
    size = needed.size;
    forEachStmt(fn.body, (s) => {
      if (s.k === "assign" && needed.has(s.name)) reads(s.value);
      else if (s.k === "store" && needed.has(s.arr)) reads(s.value);
    });
  }
  return needed;
}
