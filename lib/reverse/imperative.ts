/**
 * The lifetime of imperative graphs (the PyTorch-style workflow of
 * `variable` and `backward`).
 *
 * Rule: a graph lives exactly as long as a Var computed in it is reachable,
 * whatever other graphs do. Graphs are recorded on tapes of one owner. An
 * op on leaves alone (the start of a new graph) records on the owner's
 * current tape; an op on recorded values records on their tape. After every
 * backward that did not free its whole tape, and whenever the current tape
 * grows past CROWDED_ENTRIES entries or doubles its extended entries beyond
 * CROWDED_EXTENDED, the owner retires the current tape: new graphs start on
 * a fresh one. A retired tape is referenced only by the Vars recorded on it
 * (leaves never point at it), so once those are unreachable the garbage
 * collector frees it, saved tensors included. Values of two tapes that meet
 * in one op merge the smaller tape into the larger (tape-merge.ts), so
 * graphs built before and after a backward still combine.
 *
 * Rejected: one shared tape that clears itself when every graph on it was
 * run backward (a single forgotten graph kept every later graph alive), and
 * a FinalizationRegistry per value (its callbacks never run inside a
 * synchronous training loop, and registering each Var costs more than
 * recording the op).
 */
import type { Value } from "../registry/lifted.ts";
import { nextLevel } from "../registry/level.ts";
import { Tape, type TapeOwner } from "./tape.ts";
import { resolveHandle } from "./tape-merge.ts";
import { Var } from "./var.ts";

const INITIAL = 1024;

/**
 * The owner of the imperative tapes. Made when this module loads: before
 * any transform call, so its level is below every transform's and
 * imperative Vars are always the outermost context.
 *
 * @example
 * ```ts
 * const owner = new ImperativeTapes();
 * owner.current().open; // true
 * ```
 */
export class ImperativeTapes implements TapeOwner {
  readonly level = nextLevel();
  private cur: Tape;

  constructor() {
    this.cur = this.fresh();
  }

  private fresh(): Tape {
    const t = new Tape(INITIAL);
    t.level = this.level;
    t.owner = this;
    t.api = "backward";
    return t;
  }

  /** The open tape: new graphs start on it. */
  current(): Tape {
    return this.cur;
  }

  /**
   * The tape an op on `args` records on: the tape of its recorded (non-leaf)
   * arguments, merging tapes when they differ; the current tape when every
   * argument is a leaf or a constant.
   */
  gather(args: readonly Value[]): Tape {
    let target: Tape | null = null;
    for (const a of args) {
      if (!(a instanceof Var) || a.tape === null || a.tape.owner !== this) continue;
      resolveHandle(a);
      const t = a.tape;
      if (a.leaf || a.gen !== t.gen) continue;
      target = target === null || target === t ? t : this.merge(target, t);
    }
    return target ?? this.cur;
  }

  /** Merges two live tapes (the smaller into the larger) and returns the one that remains. */
  private merge(x: Tape, y: Tape): Tape {
    const [big, small] = x.len >= y.len ? [x, y] : [y, x];
    const home = small === this.cur || big === this.cur;
    big.absorb(small);
    if (home) {
      big.leafHome = true;
      this.cur = big;
    }
    return big;
  }

  crowded(tape: Tape): void {
    if (tape === this.cur) this.retire();
  }

  /**
   * After a backward on `tape`: if the current tape still holds entries
   * (another graph, or this one kept by retainGraph), new graphs start on a
   * fresh tape, so this one is freed once its Vars are.
   */
  settle(tape: Tape): void {
    if (tape === this.cur && tape.len > 0) this.retire();
  }

  /** New graphs start on a fresh tape; the old one stays open to its own values' ops. */
  private retire(): void {
    const old = this.cur;
    old.leafHome = false;
    this.cur = this.fresh();
    // Leaves must not keep a retired tape alive: they register again on the tape of their next use.
    for (const l of old.leaves) if (l.tape === old) { l.tape = this.cur; l.gen = -1; }
  }
}

const owner = new ImperativeTapes();

/**
 * The owner of the tapes that `variable()` leaves record on.
 *
 * @example
 * ```ts
 * imperativeTapes().current().length;
 * ```
 */
export function imperativeTapes(): ImperativeTapes {
  return owner;
}
