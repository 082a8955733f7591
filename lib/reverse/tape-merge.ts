/**
 * Merging two imperative tapes: when values of two graphs that live on
 * different tapes of one owner meet in an op, the smaller tape's entries are
 * appended to the larger one (so an entry is copied only when its tape at least doubles), node
 * operands shifted by the larger tape's length. The emptied tape keeps only
 * a forwarding pointer; its Var handles move over lazily (`resolveHandle`).
 * A leaf registered on both tapes keeps one node: the copied entries are
 * pointed at the node the leaf already has on the receiving tape.
 */
import type { Tape } from "./tape.ts";
import type { Var } from "./var.ts";

/** Where each of `src`'s nodes lands on `dst` (leaves already on `dst` map to their node there). */
function nodeMap(dst: Tape, src: Tape, shift: number): Int32Array {
  const map = new Int32Array(src.len);
  for (let i = 0; i < src.len; i++) map[i] = i + shift;
  const known = new Map<Var, number>();
  dst.leaves.forEach((l, k) => known.set(l, dst.leafNodes[k]));
  src.leaves.forEach((l, k) => {
    const there = known.get(l);
    const n = src.leafNodes[k];
    if (there !== undefined) map[n] = there;
    else {
      dst.leaves.push(l);
      dst.leafNodes.push(n + shift);
      dst.leafVersions.push(src.leafVersions[k]);
    }
    // A leaf points only at its home tape; src was home, so dst becomes it.
    if (l.tape === src && l.gen === src.gen) {
      l.tape = dst;
      l.id = map[n];
      l.gen = dst.gen;
    }
  });
  return map;
}

function copyEntries(dst: Tape, src: Tape, map: Int32Array, shift: number): void {
  for (let i = 0; i < src.len; i++) {
    const j = i + shift;
    const ai = src.a[i];
    const bi = src.b[i];
    dst.code[j] = src.code[i];
    dst.a[j] = ai >= 0 ? map[ai] : ai;
    dst.b[j] = bi >= 0 ? map[bi] : bi;
    dst.pa[j] = src.pa[i];
    dst.pb[j] = src.pb[i];
  }
  for (const [i, e] of src.ext) {
    e.nodes = e.nodes.map((n) => (n >= 0 ? map[n] : n));
    dst.ext.set(i + shift, e);
  }
  if (src.hooks !== null) for (const [i, hs] of src.hooks) dst.hooksMap().set(map[i], hs);
}

/**
 * Appends every entry of `src` to `dst` and leaves `src` empty, closed and
 * forwarding to `dst`. Allocation happens first, so a failure changes nothing.
 *
 * @example
 * ```ts
 * absorbInto(current, older); // older's Vars now resolve to current
 * ```
 */
export function absorbInto(dst: Tape, src: Tape): void {
  dst.reserve(src.len);
  const shift = dst.len;
  const map = nodeMap(dst, src, shift);
  copyEntries(dst, src, map, shift);
  dst.len += src.len;
  dst.live += src.live;
  src.into = dst;
  src.shift = shift;
  src.intoGen = dst.gen;
  src.fromGen = src.gen;
  src.seal();
  src.live = 0;
  src.ext.clear();
  src.leaves = [];
  src.leafNodes = [];
  src.leafVersions = [];
  src.leafIndex = null;
  dst.leafIndex = null;
  src.hooks = null;
  src.clearArrays();
}

/**
 * Points a Var handle at the tape its entries live on now: follows merges,
 * shifting its node; a handle that was already stale stays stale.
 *
 * @example
 * ```ts
 * resolveHandle(v); // v.tape is no longer a merged-away tape
 * ```
 */
export function resolveHandle(v: Var): void {
  let t = v.tape;
  while (t !== null && t.into !== null) {
    if (v.gen === t.fromGen) {
      v.id += t.shift;
      v.gen = t.intoGen;
    } else v.gen = -1;
    v.tape = t = t.into;
  }
}
