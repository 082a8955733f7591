/**
 * Buffer assignment by liveness. Each intermediate buffer the plan needs (a
 * stored value, a cotangent) lives over an interval of the schedule's steps
 * (forward steps, then backward steps); buffers whose intervals do not
 * overlap share one pooled Float64Array of their size. Greedy over intervals
 * sorted by start: optimal for interval graphs with one size, and sizes in
 * a tensor program are few.
 */

/** A request: `size` elements live from step `start` to step `end` (inclusive). */
export interface Interval {
  size: number;
  start: number;
  end: number;
}

/** The assignment: `slot[k]` is the pool index of request k; `sizes[j]` the size of pooled buffer j. */
export interface Assignment {
  slot: Int32Array;
  sizes: number[];
}

/**
 * Assigns pooled buffers to `requests` so that requests sharing a buffer
 * never overlap in time.
 *
 * @example
 * ```ts
 * assign([{ size: 4, start: 0, end: 1 }, { size: 4, start: 2, end: 3 }]).sizes; // [4]: one buffer, reused
 * ```
 */
export function assign(requests: readonly Interval[]): Assignment {
  const order = requests.map((_, k) => k).sort((x, y) => requests[x].start - requests[y].start || x - y);
  const slot = new Int32Array(requests.length).fill(-1);
  const sizes: number[] = [];
  const freeAt: number[] = [];
  for (const k of order) {
    const r = requests[k];
    let pick = -1;
    for (let j = 0; j < sizes.length; j++) {
      if (sizes[j] === r.size && freeAt[j] < r.start) {
        pick = j;
        break;
      }
    }
    if (pick < 0) {
      pick = sizes.length;
      sizes.push(r.size);
      freeAt.push(-1);
    }
    slot[k] = pick;
    freeAt[pick] = r.end;
  }
  return { slot, sizes };
}
