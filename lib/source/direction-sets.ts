/**
 * Sets of directions, the tangents of the sparsity pass that runs once
 * however many inputs there are (see emitForwardSets): ascending arrays of
 * column numbers, with 0 for the empty set (the value every other tangent
 * starts from). A set that grows past SET_LIMIT ends the pass, whose caller
 * then takes the 32-column passes: a dense row built up one column at a
 * time would cost time quadratic in its length.
 */

/**
 * The most columns one value's set may hold.
 *
 * @example
 * ```ts
 * unionOfSets(bigSet, [SET_LIMIT + 1]); // throws TooDense once the union has more than SET_LIMIT
 * ```
 */
export const SET_LIMIT = 2048;

/**
 * Thrown by `unionOfSets` when a set outgrows SET_LIMIT.
 *
 * @example
 * ```ts
 * try { pass.run(...args); } catch (e) { if (e instanceof TooDense) useMaskPasses(); else throw e; }
 * ```
 */
export class TooDense extends Error {
  constructor() {
    super(`a value of the sparsity pass depends on more than ${SET_LIMIT} inputs`);
  }
}

/**
 * The union of sets of directions, as the sets pass combines its operands'
 * tangents. An operand that holds all the others is returned itself, so a
 * sum that meets the same directions again allocates nothing.
 *
 * @example
 * ```ts
 * unionOfSets([1, 4], 0, [2, 4]); // [1, 2, 4]
 * ```
 */
export function unionOfSets(...sets: (readonly number[] | 0)[]): readonly number[] | 0 {
  let out: readonly number[] | 0 = 0;
  for (const s of sets) out = unionOfTwo(out, s);
  return out;
}

function unionOfTwo(a: readonly number[] | 0, b: readonly number[] | 0): readonly number[] | 0 {
  if (a === 0 || a === b) return b;
  if (b === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    out.push(x < y ? x : y);
    if (x <= y) i++;
    if (y <= x) j++;
  }
  if (out.length > SET_LIMIT) throw new TooDense();
  return out.length === a.length ? a : out.length === b.length ? b : out;
}
