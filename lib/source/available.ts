/**
 * Values the primal has already computed that a partial can name instead
 * of computing them again. sin's registry partial is cos(t); after
 * `c = Math.cos(t)` earlier in the same statement list, with neither t nor
 * c written since, that partial is `c`. Code that computes the cosine and
 * the sine of one angle (a rotation) then pays no transcendental call of
 * its own for their derivatives: forward mode takes each from the
 * statement before, and the adjoint takes the other one from the statement
 * after, captured before that statement's restore (see ReverseEmitter).
 * Reading a name instead of computing the same expression on the same
 * operands gives the same bits, so nothing changes but the time.
 */
import type { Stmt } from "./ir.ts";
import { writtenNames } from "./ir.ts";
import { apply } from "./algebra.ts";
import { primal } from "./emit-common.ts";
import { Renderer, isCostly, type Arg, type Sym } from "./sym.ts";

/** An expression's code and the names (arrays included) it reads. */
interface Keyed {
  code: string;
  reads: ReadonlySet<string>;
}

/**
 * The code of symbols, as the key that matches a partial's sub-expression
 * with an assignment's value. One renderer for all keys of an emitter, so
 * that two different helper functions never render alike.
 *
 * @example
 * ```ts
 * new ValueKeys().of(apply(findOp("cos")!, [ref("t")])).code; // "Math.cos(t)"
 * ```
 */
export class ValueKeys {
  private readonly R = new Renderer();
  /** Each assignment's key, worked out once: the maps before and after a statement both ask. */
  private readonly values = new Map<Stmt, Keyed | null>();

  of(a: Sym): Keyed {
    const reads = new Set<string>();
    this.R.reads = reads;
    const code = this.R.render(a);
    this.R.reads = null;
    return { code, reads };
  }

  /**
   * The key of an assignment's value when it is costly to compute (a
   * transcendental call, `**`, a helper: see isCostly). Arithmetic costs
   * no more than reading a name, and in the adjoint reading it could make
   * the forward sweep save that name.
   */
  ofValue(s: Stmt & { k: "assign" }): Keyed | null {
    let key = this.values.get(s);
    if (key === undefined) {
      const p = primal(s.value);
      key = !isCostly(p) || typeof p === "number" ? null : this.of(p);
      // `x = f(x)`: the code reads the name it sets, so after it the name no longer holds that code's value.
      if (key !== null && key.reads.has(s.name)) key = null;
      this.values.set(s, key);
    }
    return key;
  }
}

/**
 * How far apart, in statements of one list, a value and the partial that
 * names it may be. The pairs that matter sit side by side (the cosine and
 * sine of one angle); the bound keeps the search linear in the length of a
 * function (unbounded, a 4002-line straight-line function took 10 s to
 * compile instead of 0.6 s).
 *
 * @example
 * ```ts
 * laterValues(body, keys); // looks at most REUSE_WINDOW statements ahead
 * ```
 */
export const REUSE_WINDOW = 16;

const NOTHING: ReadonlyMap<string, string> = new Map();

/** What a statement writes: its target, or every name and array written inside it. */
function writes(s: Stmt): ReadonlySet<string> {
  if (s.k === "assign") return new Set([s.name]);
  if (s.k === "store" || s.k === "alloc") return new Set([s.arr]);
  return writtenNames([s]);
}

/**
 * For each statement of a list, the values computed before it that still
 * hold: code → the name assigned it by an earlier statement of the list,
 * at most REUSE_WINDOW statements before, with that name and everything
 * the code reads unchanged since (nested statements in between forget
 * what they write). Each list starts empty:
 * a loop body's values from an earlier trip are not assumed.
 *
 * @example
 * ```ts
 * earlierValues(body, keys).get(body[1]); // Map { "Math.cos(t)" => "c" } for c = cos(t); s = sin(t)
 * ```
 */
export function earlierValues(stmts: readonly Stmt[], keys: ValueKeys): Map<Stmt, ReadonlyMap<string, string>> {
  const out = new Map<Stmt, ReadonlyMap<string, string>>();
  const held = new Map<string, { name: string; reads: ReadonlySet<string>; at: number }>();
  stmts.forEach((s, i) => {
    for (const [code, h] of held) if (i - h.at > REUSE_WINDOW) held.delete(code);
    // Most statements see nothing held: they share one empty map.
    out.set(s, held.size === 0 ? NOTHING : new Map([...held].map(([code, h]) => [code, h.name])));
    const w = writes(s);
    for (const [code, h] of held) if (w.has(h.name) || [...h.reads].some((n) => w.has(n))) held.delete(code);
    const key = s.k === "assign" ? keys.ofValue(s) : null;
    if (key !== null && s.k === "assign") held.set(key.code, { name: s.name, reads: key.reads, at: i });
  });
  return out;
}

/**
 * For each statement of a list, the assignments after it whose value its
 * partials could take: code → the first later assignment computing that
 * code, at most REUSE_WINDOW statements ahead, reached through plain
 * assignments and stores only (so it runs on every trip that runs the
 * statement), with nothing the code reads written from the statement
 * itself on.
 *
 * @example
 * ```ts
 * laterValues(body, keys).get(body[0]); // Map { "Math.sin(t)" => body[1] } for c = cos(t); s = sin(t)
 * ```
 */
export function laterValues(stmts: readonly Stmt[], keys: ValueKeys): Map<Stmt, ReadonlyMap<string, Stmt & { k: "assign" }>> {
  const out = new Map<Stmt, ReadonlyMap<string, Stmt & { k: "assign" }>>();
  const keyed = stmts.map((s) => (s.k === "assign" ? keys.ofValue(s) : null));
  stmts.forEach((s, i) => {
    const found = new Map<string, Stmt & { k: "assign" }>();
    const written = new Set<string>();
    for (let j = i; j < stmts.length && j <= i + REUSE_WINDOW; j++) {
      const t = stmts[j]!;
      if (t.k !== "assign" && t.k !== "store") break;
      const key = keyed[j];
      if (j > i && key != null && t.k === "assign" && !found.has(key.code) && ![...key.reads].some((n) => written.has(n))) found.set(key.code, t);
      writes(t).forEach((n) => written.add(n));
    }
    if (found.size > 0) out.set(s, found);
  });
  return out;
}

/**
 * `a` with every costly sub-expression that `lookup` names replaced by
 * that name (the largest first), refolded where something changed.
 *
 * @example
 * ```ts
 * substitute(neg(sin(t)), keys, (code) => (code === "Math.sin(t)" ? ref("s") : null)); // -s
 * ```
 */
export function substitute(a: Arg, keys: ValueKeys, lookup: (code: string) => Arg | null): Arg {
  if (typeof a === "number" || a.kind !== "op") return a;
  const hit = isCostly(a) ? lookup(keys.of(a).code) : null;
  if (hit !== null) return hit;
  const args = a.args.map((x) => substitute(x, keys, lookup));
  return args.every((x, i) => x === a.args[i]) ? a : apply(a.op!, args);
}
