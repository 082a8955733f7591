/**
 * Store-to-load forwarding: a read of an element that a statement just
 * before stored a name or a literal into reads that name instead
 * (`qx[row] = z; sq += qx[row] * qx[row]` becomes `sq += z * z`).
 *
 * For derivatives this is more than a saved load. An element read right
 * after its store makes the array carry the derivative: reverse mode then
 * saves and restores the element on every write and sends the adjoint
 * through it (an increment, a read and a clear), where a name's adjoint is a
 * register. When no read of an array is left, the array is inactive and
 * nothing of it is saved.
 *
 * Within one statement list, a stored value is forwarded until a statement
 * writes the array again or assigns a name the index or the value reads;
 * an `if` or a loop ends every forwarding (their bodies may write anything),
 * and each nested list starts with none. Two array names never refer to one
 * array when either is written: derivative calls copy the arrays f writes.
 */
import { mapOperands, namesIn, type Expr, type Fn, type Stmt } from "./ir.ts";

/** A stored value still valid, with the names its index and value read. */
interface Available {
  arr: string;
  value: Expr;
  reads: Set<string>;
}

/** A key for an index expression: equal keys, equal values (no side effects in the language). */
function keyOf(e: Expr): string {
  return JSON.stringify(e, (k, v: unknown) => (k === "op" ? (v as { name: string }).name : v));
}

/** `e` with each read of an available element replaced by its stored value. */
function rewrite(e: Expr, known: ReadonlyMap<string, Available>): Expr {
  const out = mapOperands(e, (x) => rewrite(x, known));
  return out.k === "read" ? known.get(`${out.arr}[${keyOf(out.index)}]`)?.value ?? out : out;
}

/** Forgets what a write of `name` (an array or a scalar) invalidates. */
function forget(known: Map<string, Available>, name: string): void {
  for (const [k, a] of known) if (a.arr === name || a.reads.has(name)) known.delete(k);
}

function list(stmts: readonly Stmt[]): Stmt[] {
  const known = new Map<string, Available>();
  return stmts.map((s): Stmt => {
    switch (s.k) {
      case "assign": {
        const out = { ...s, value: rewrite(s.value, known) };
        forget(known, s.name);
        return out;
      }
      case "store": {
        const index = rewrite(s.index, known);
        const value = rewrite(s.value, known);
        forget(known, s.arr);
        if (value.k === "var" || value.k === "num") {
          known.set(`${s.arr}[${keyOf(index)}]`, { arr: s.arr, value, reads: new Set([...namesIn(index), ...namesIn(value)]) });
        }
        return { ...s, index, value };
      }
      case "if": {
        const out = { ...s, test: rewrite(s.test, known), then: list(s.then), else: list(s.else) };
        known.clear();
        return out;
      }
      case "loop": {
        known.clear();
        return { ...s, body: list(s.body), update: list(s.update) };
      }
      case "return": return s.value === null ? s : { ...s, value: rewrite(s.value, known) };
      case "alloc": {
        const out = { ...s, size: rewrite(s.size, known) };
        forget(known, s.arr);
        return out;
      }
      default: return s;
    }
  });
}

/**
 * `fn` with reads of just-stored elements forwarded (see above).
 *
 * @example
 * ```ts
 * forwardStores(checkFunction(parseFunction("function f(x) { const a = new Float64Array(1); a[0] = x; return a[0] * a[0]; }"), {}));
 * // the return reads x * x
 * ```
 */
export function forwardStores(fn: Fn): Fn {
  return { ...fn, body: list(fn.body) };
}
