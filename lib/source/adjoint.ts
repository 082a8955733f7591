/**
 * The adjoint of one assignment `target = value`, as the reverse sweep runs
 * it: with the state just after the assignment, capture the output if a
 * partial needs it, restore the target's old value (popped from the stack),
 * recompute the operand values the partials need, then push the target's
 * adjoint through the expression tree with each op's registry partials.
 * Each node of an expression tree has one parent, so a node's adjoint is a
 * single product, never a sum: only names and array elements accumulate.
 */
import { visitExpr, type Expr } from "./ir.ts";
import { isActive, type Activity } from "./activity.ts";
import { popOf } from "./stack-code.ts";
import { apply, partialsOf, shareRepeated } from "./algebra.ts";
import { primal, isSimple } from "./emit-common.ts";
import { findOp, partialsMayOverflow, type Algebra } from "./registry.ts";
import { at, ref, isCostly, type Arg, type Renderer } from "./sym.ts";

/** What the adjoint needs from the reverse emitter. */
export interface AdjointContext {
  A: Algebra;
  R: Renderer;
  act: Activity;
  /** Names (scalars and arrays) the forward sweep saves before each write. */
  saved: ReadonlySet<string>;
  /** Integer locals: saved on the int stack (see emit-reverse.ts). */
  ints: ReadonlySet<string>;
  /** A fresh temporary name. */
  temp(): string;
  /** Where values that do not change in the innermost enclosing loop go (before it), or null outside loops. */
  hoist: Hoist | null;
  /**
   * When set, every primal value the adjoint reads (array elements included)
   * is computed into a constant whose line goes here instead of into the
   * returned lines, and so does the read of an element target's adjoint,
   * for a caller that runs the reads of several trips before their writes
   * (see unroll.ts).
   */
  reads?: string[];
  /** With `reads`: names that change between the trips of a group; values that read them are not moved. */
  pinned?: ReadonlySet<string>;
  /** Names a partial with values the primal already holds (see available.ts); unset where none are known. */
  reuse?: (partial: Arg) => Arg;
}

/**
 * Recomputed values of a loop's adjoint that do not change from trip to
 * trip (`h / 6` for a step size h the loop never writes): computed once
 * before the loop instead of on every trip. V8 does not move them out of
 * the loop itself (a division in an adjoint loop measured 35% of its time).
 */
export interface Hoist {
  /** Whether a primal name keeps its value through the loop. */
  invariant(name: string): boolean;
  /** Temporaries already computed before the loop. */
  temps: Set<string>;
  /** Their definitions, in order. */
  lines: string[];
}

/**
 * The target of an assignment: a scalar, or an element at an index held in
 * a temporary (`index`), whose code is `code`.
 */
export type Target = { name: string; index: null } | { name: string; index: string; code: string };

/**
 * Where the adjoint increments of an element assignment `a[k] = f(..., a[k], ...)`
 * go. Increments to the target element itself sum into a local (`acc`), written
 * once at the end instead of a clear and one read-modify-write per use: V8 cannot
 * keep `a$b[k]` in a register across the other typed-array stores, which may alias
 * it. Increments to other elements of the same array are deferred until after
 * that write, because their index may equal `k` at run time.
 */
interface SelfSink {
  arr: string;
  code: string;
  acc: string;
  hits: number;
  deferred: string[];
}

/**
 * The lines of the adjoint of `target = value` (none when nothing is
 * active and nothing is saved). The primal names the lines read are added
 * to `ctx.R.reads`. Costly operand values (see `isCostly`) are popped, not
 * recomputed: their expressions are appended to `stored`, in the order the
 * forward sweep must push them (after the target's old value).
 *
 * @example
 * ```ts
 * adjointLines(ctx, { name: "e", index: null }, expr); // ["const $y1 = e;", ...]
 * ```
 */
export function adjointLines(ctx: AdjointContext, target: Target, value: Expr, stored: Expr[] = []): string[] {
  const { act, R } = ctx;
  const active = target.index === null ? act.vars.has(target.name) : act.arrays.has(target.name);
  const saved = ctx.saved.has(target.name);
  if (!active && !saved) return [];
  const place = target.index === null ? target.name : `${target.name}[${target.index}]`;
  const stack = target.index === null ? popOf(target.name, ctx.ints) : "$fs[--$fp]";
  const restore = saved ? [`${place} = ${stack};`] : [];
  if (!active) return restore;

  const temps: { name: string; def: Arg; e: Expr }[] = [];
  const lines: string[] = [];
  const indexes: Indexes = new Map();
  const memo = new Map<Expr, Arg>();
  const materialize: Materialize = Object.assign((a: () => Arg, e: Expr): Arg => {
    const known = memo.get(e);
    if (known !== undefined) return known;
    let out = a();
    // An element read is simple, but a grouped read still needs its index for the increment.
    if (e.k === "read" && typeof out !== "number" && out.kind === "index") indexes.set(e, out.args[0]!);
    if (!isSimple(out) || (ctx.reads !== undefined && e.k === "read")) {
      const name = ctx.temp();
      temps.push({ name, def: out, e });
      out = ref(name);
    }
    memo.set(e, out);
    return out;
  }, { indexes });
  const y = ctx.temp();
  const g = ctx.temp();
  const adj = target.index === null ? ref(`${target.name}$b`) : at(`${target.name}$b`, ref(target.index));
  const local = new Set<string>();
  const outer = R.reads;
  R.reads = local;
  // An index that reads an array could change value when the restore writes the element: no sink.
  const sink: SelfSink | null = target.index === null || target.code.includes("[") ? null
    : { arr: target.name, code: target.code, acc: ctx.temp(), hits: 0, deferred: [] };
  lines.push(`const ${g} = ${R.render(adj)};`);
  const clearAt = lines.length;
  lines.push(`${R.render(adj)} = 0;`);
  distribute(ctx, value, recomputeRoot(ctx, value, ref(y), materialize), ref(g), lines, materialize, sink);
  let write: string | null = null;
  if (sink === null) {
    dropIdentity(lines, clearAt, R.render(adj), g);
  } else if (sink.hits > 0 && !(sink.hits === 1 && dropIdentity(lines, clearAt, sink.acc, g))) {
    // (With one hit that passes the adjoint through, a[k] = a[k] + e, the element is neither cleared nor written.)
    lines[clearAt] = `let ${sink.acc} = 0;`;
    write = `${R.render(adj)} = ${sink.acc};`;
  }
  const deferred = sink?.deferred ?? [];
  if (mayOverflow(value, act)) {
    // Where the clear (or the sum's declaration) was kept, the lines that send the adjoint on start after it.
    const kept = lines[clearAt] === `${R.render(adj)} = 0;` || lines[clearAt] === `let ${sink?.acc} = 0;`;
    skipZero(lines, kept ? clearAt + 1 : clearAt, g, write, deferred);
  } else {
    if (write !== null) lines.push(write);
    lines.push(...deferred);
  }
  R.reads = outer;

  // Only the temporaries the adjoint reads are recomputed, in creation order.
  const needed: { name: string; line: string; reads: Set<string> }[] = [];
  const pops: string[] = [];
  // Rendered from the last to the first, so a temporary's reads mark the earlier ones it needs.
  const recomputed: { name: string; line: string; reads: Set<string> }[] = [];
  for (let i = temps.length - 1; i >= 0; i--) {
    const t = temps[i];
    if (!local.has(t.name)) continue;
    if (isCostly(t.def)) {
      // Pushed in creation order, so popped in reverse, before the target's old value.
      pops.push(`const ${t.name} = $fs[--$fp];`);
      stored.unshift(t.e);
      continue;
    }
    const reads = new Set<string>();
    R.reads = reads;
    const line = `const ${t.name} = ${R.render(t.def)};`;
    R.reads = outer;
    reads.forEach((n) => local.add(n));
    recomputed.unshift({ name: t.name, line, reads });
  }
  const h = ctx.hoist;
  for (const t of recomputed) {
    if (h !== null && [...t.reads].every((n) => h.temps.has(n) || h.invariant(n))) {
      h.lines.push(t.line);
      h.temps.add(t.name);
    } else {
      needed.push(t);
    }
  }
  const capture = local.has(y) ? [`const ${y} = ${place};`] : [];
  if (capture.length > 0) local.add(target.name);
  if (target.index !== null) local.add(target.index);
  for (const n of local) outer?.add(n);
  if (ctx.reads === undefined) return [...capture, ...pops, ...restore, ...needed.map((t) => t.line), ...lines];
  // Grouped (see unroll.ts): the reads (pops in their order, primal values, an element target's
  // adjoint) go with the reads; the restore's write goes first among the writes. Values that read
  // a pinned name (a recurrence the trips update in turn), or such a value, stay in place.
  const pinned = new Set(ctx.pinned ?? []);
  const inPlace: string[] = [];
  const popped = saved ? ctx.temp() : null;
  ctx.reads.push(...capture, ...pops, ...(popped === null ? [] : [`const ${popped} = ${stack};`]));
  for (const t of needed) {
    if ([...t.reads].some((n) => pinned.has(n))) {
      inPlace.push(t.line);
      pinned.add(t.name);
    } else ctx.reads.push(t.line);
  }
  const writes = popped === null ? inPlace : [`${place} = ${popped};`, ...inPlace];
  if (target.index === null) return [...writes, ...lines];
  ctx.reads.push(lines[0]!);
  return [...writes, ...lines.slice(1)];
}

/**
 * `lines` (what an adjoint `g` sends to the operands) run only when `g` is
 * not zero. A value no derivative path reaches from the result (one left
 * unused on the branch taken, a loop trip that continues past it) has a
 * zero adjoint; sending it on would multiply it by its partials, and
 * 0 · Infinity is NaN (log at 0, a division by 0 that a test then steps
 * around). The Var tape never visits such a value, and this gives the same
 * derivatives. The markers let the lanes adjoint (reverse-lanes.ts) test
 * each lane's own adjoint.
 *
 * @example
 * ```ts
 * zeroSkipped("$t2", ["x$b += $t2 * y;"]); // ["if ($t2 !== 0) { // adjoint of $t2", "  x$b += $t2 * y;", "} // adjoint of $t2"]
 * ```
 */
export function zeroSkipped(g: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  return [`if (${g} !== 0) { ${SKIP_MARK}${g}`, ...lines.map((l) => `  ${l}`), `} ${SKIP_MARK}${g}`];
}

/**
 * Puts the lines from `head` on (what the adjoint `g` sends to the
 * operands), then an element's `write` of its summed adjoint and the
 * increments `deferred` past it, under a test that `g` is not zero. When
 * it is zero, the element's adjoint is zero already: the write would not
 * change it.
 */
function skipZero(lines: string[], head: number, g: string, write: string | null, deferred: readonly string[]): void {
  const sends = lines.slice(head);
  lines.splice(head, sends.length, ...zeroSkipped(g, [...sends, ...(write === null ? [] : [write]), ...deferred]));
}

/**
 * Whether an active op of `e` has partials that may be infinite at finite
 * operands (no `finitePartials` in its registry entry): then a zero adjoint
 * times them could be NaN.
 *
 * @example
 * ```ts
 * mayOverflow(parse("Math.log(x) * y"), act); // true; for x * y + z, false
 * ```
 */
export function mayOverflow(e: Expr, act: Activity): boolean {
  let found = false;
  visitExpr(e, (x) => {
    if (x.k === "op" && partialsMayOverflow(x.op) && isActive(x, act)) found = true;
  });
  return found;
}

/** The comment that marks the lines `zeroSkipped` adds. */
export const SKIP_MARK = "// adjoint of ";

/**
 * For `a = a + e` (the target read once with slope 1): removes the clear of
 * `a`'s adjoint at `clearAt` and the increment `place += g` that restores
 * it, when that increment is the first one to `place` (so the sum, and its
 * rounding, is exactly what clearing and adding would give). Returns
 * whether it did.
 */
function dropIdentity(lines: string[], clearAt: number, place: string, g: string): boolean {
  const first = lines.findIndex((l, i) => i > clearAt && l.startsWith(`${place} += `));
  if (first < 0 || lines[first] !== `${place} += ${g};`) return false;
  lines.splice(first, 1);
  lines.splice(clearAt, 1);
  return true;
}

/** The value symbols of the root's operands (recomputed), with the root's own value read from the target. */
/** The index symbol of each element read recomputed. */
type Indexes = Map<Expr, Arg>;

/**
 * A symbol for the value of `e`, named by a temporary unless simple; computed
 * once per expression node. Its `indexes` hold each element read's index.
 */
type Materialize = ((make: () => Arg, e: Expr) => Arg) & { indexes: Indexes };

function recomputeRoot(ctx: AdjointContext, e: Expr, y: Arg, materialize: Materialize): Arg {
  if (e.k === "op" && isActive(e, ctx.act)) return y;
  return recompute(ctx, e, materialize);
}

function recompute(ctx: AdjointContext, e: Expr, materialize: Materialize): Arg {
  if (e.k === "read") return materialize(() => at(e.arr, materialize(() => primal(e.index), e.index)), e);
  if (e.k === "op" && isActive(e, ctx.act)) return materialize(() => apply(e.op, e.args.map((a) => recompute(ctx, a, materialize))), e);
  return materialize(() => primal(e), e);
}

function distribute(ctx: AdjointContext, e: Expr, value: Arg, g: Arg, lines: string[], materialize: Materialize, sink: SelfSink | null): void {
  const { R, act } = ctx;
  if (g === 0) return;
  if (e.k === "var" && act.vars.has(e.name)) {
    lines.push(`${e.name}$b += ${R.render(g)};`);
  } else if (e.k === "read" && act.arrays.has(e.arr)) {
    const index = materialize.indexes.get(e)!;
    const increment = (place: string) => `${place} += ${R.render(g)};`;
    if (sink === null || e.arr !== sink.arr) lines.push(increment(R.render(at(`${e.arr}$b`, index))));
    else if (R.render(index) === sink.code) { sink.hits++; lines.push(increment(sink.acc)); }
    else sink.deferred.push(increment(R.render(at(`${e.arr}$b`, index))));
  } else if (e.k === "op" && isActive(e, act)) {
    const kids = e.args.map((a) => recompute(ctx, a, materialize));
    const reused = partialsOf(ctx.A, e.op, kids, value).map((p, i) => (p == null || !isActive(e.args[i]!, act) ? null : ctx.reuse === undefined ? p : ctx.reuse(p)));
    // A piece two partials share (div's 1/b) gets a line of its own, computed once (for all lanes too).
    const ps = shareRepeated(reused, (s) => {
      const name = ctx.temp();
      lines.push(`const ${name} = ${R.render(s)};`);
      return ref(name);
    });
    const mul = findOp("mul")!;
    e.args.forEach((kid, i) => {
      let p = ps[i];
      if (p === null || p === undefined || !isActive(kid, act)) return;
      // A partial that is not a name or a number gets a line of its own: it reads primal values only,
      // so the adjoint in lanes (reverse-lanes.ts) computes it once for all lanes.
      if (!isSimple(p)) {
        const name = ctx.temp();
        lines.push(`const ${name} = ${R.render(p)};`);
        p = ref(name);
      }
      let gi = apply(mul, [g, p]);
      if (kid.k === "op" && !isSimple(gi)) {
        const name = ctx.temp();
        lines.push(`const ${name} = ${R.render(gi)};`);
        gi = ref(name);
      }
      distribute(ctx, kid, kids[i], gi, lines, materialize, sink);
    });
  }
}
