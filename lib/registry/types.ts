/**
 * The types of the op registry: what an op declaration holds, what a
 * registered op is, and the shapes of the public op functions.
 */
import type { Lifted, Value } from "./lifted.ts";
import type { Tensor } from "../tensor/tensor.ts";

/**
 * An op function as rules see it: the same names as the public ops.
 *
 * @example
 * ```ts
 * const f: OpFn = (...args) => add(args[0]!, args[1]!);
 * f(1, variable(2)); // Var 3
 * ```
 */
export type OpFn = (...args: Value[]) => Value;

/**
 * Result kind of a unary op: numbers stay numbers, every other kind is kept.
 *
 * @example
 * ```ts
 * const a: Out1<number> = sin(0);          // number
 * const b: Out1<Var> = sin(variable(0));   // Var
 * ```
 */
export type Out1<X> = X extends number ? number : KindOf<X>;
/**
 * The kind an op returns for a Lifted operand: its `Self` (a `Var<number>`
 * operand gives a `Var`, whatever its value type), so Vars of numbers and
 * of Tensors combine into a Var; other operands stay as they are.
 */
export type KindOf<X> = X extends Lifted<infer S> ? S : X;
/**
 * Result kind of a binary op: the "larger" operand kind; mixing Dual and Var gives Lifted.
 *
 * @example
 * ```ts
 * const a: Out2<number, Tensor> = mul(2, tensor([1]));   // Tensor
 * const b: Out2<Var, number> = mul(variable(2), 3);      // Var
 * ```
 */
export type Out2<A, B> = [A] extends [number]
  ? Out1<B>
  : [B] extends [number]
    ? KindOf<A>
    : [A] extends [Tensor]
      ? KindOf<B>
      : [B] extends [Tensor]
        ? KindOf<A>
        : [KindOf<A>] extends [KindOf<B>]
          ? KindOf<B>
          : [KindOf<B>] extends [KindOf<A>]
            ? KindOf<A>
            : Lifted;
/** A public op function: its call signature plus the registered op. */
export type OpFunction<F> = F & { op: Op };
/**
 * A unary op as users call it.
 *
 * @example
 * ```ts
 * const u: Unary = sin;
 * u(0);         // 0 (a number stays a number)
 * u(dual(0));   // Dual(0, 1)
 * ```
 */
export type Unary = (<X extends Value>(x: X) => Out1<X>) & { op: Op };
/**
 * A binary op as users call it.
 *
 * @example
 * ```ts
 * const b: Binary = mul;
 * b(2, 3);            // 6
 * b(variable(2), 3);  // Var 6
 * ```
 */
export type Binary = (<A extends Value, B extends Value>(a: A, b: B) => Out2<A, B>) & { op: Op };
/**
 * A ternary op as users call it.
 *
 * @example
 * ```ts
 * const t: Ternary = clamp;
 * t(5, 0, 1); // 1
 * ```
 */
export type Ternary = ((a: Value, b: Value, c: Value) => Value) & { op: Op };

/**
 * An op's public function as a rule calls it: the call signature alone (no
 * `op` property, which the number algebra's functions do not carry). Generic
 * signatures are taken at their `Value` constraint, overloaded ones at their
 * last, most general overload.
 */
export type RuleFn<F> = F extends (...args: infer P) => infer R ? (...args: P) => R : never;

/**
 * The built-in ops by name, as rules call them. Declared empty here and
 * filled in by lib/ops through declaration merging (`declare module`), which
 * derives it from the op table's exports, so the registry types rules
 * against every built-in op without importing the op table.
 */
export interface OpTable {}

/**
 * The algebra rules are written against: one function per op by name
 * (`A.mul`, `A.exp`, `A.sum`, ...), typed from the op table so a misspelt
 * name is a type error. Ops added with `defineOp` are reached by name
 * through `A.op(name)`, which throws for a name that is not registered.
 *
 * @example
 * ```ts
 * const cube = defineOp({
 *   name: "cube", arity: 1,
 *   value: (x) => x ** 3,
 *   partials: (A: Algebra, [x]) => [A.mul(3, A.square(x!))],
 * });
 * ```
 */
export type Algebra = Readonly<OpTable> & {
  /** The op registered under `name` (built-in or added with `defineOp`), on this algebra. */
  readonly op: (name: string) => OpFn;
};

/**
 * Local partial derivatives, one per argument; `null` for an argument that is not differentiated.
 *
 * @example
 * ```ts
 * const partials = (A: Algebra, [x, y]: Value[]): PartialList => [y!, null]; // y is not differentiated
 * ```
 */
export type PartialList = readonly (Value | null)[];

/**
 * The range a test generator draws an argument from.
 *
 * @example
 * ```ts
 * const d: Domain = { lo: 0.1, hi: 5 };   // e.g. the inputs a property test draws for log
 * ```
 */
export interface Domain {
  lo: number;
  hi: number;
  /** Draw integers only (e.g. a boolean condition). */
  integer?: boolean;
}

/**
 * The declaration of an elementwise op (see `defineOp`).
 *
 * @example
 * ```ts
 * const spec: ElementwiseSpec = { name: "twice", arity: 1, value: (x) => 2 * x, partials: () => [2] };
 * defineOp(spec)(3); // 6
 * ```
 */
export interface ElementwiseSpec {
  name: string;
  arity: number;
  /** The value on numbers. */
  value: (...args: number[]) => number;
  /** Local partials on any algebra; `out` is the op's value at `args`. */
  partials: (A: Algebra, args: Value[], out: Value) => PartialList;
  /** Per-argument range for property tests (defaults to [-2, 2]). */
  domain?: readonly Domain[];
  /** Points where the op is smooth enough for finite differences (tests skip others). */
  smooth?: (...args: number[]) => boolean;
  /** Convention at non-smooth points and NaN/Infinity handling, for the docs. */
  notes?: string;
  /**
   * Every partial is finite wherever the operands are (true for +, -, *,
   * sin; not for /, log, sqrt, exp, which overflow or divide by zero at
   * finite operands). Compiled reverse mode tests an adjoint for zero
   * before it multiplies it by the partials of ops without this (see
   * lib/source/adjoint.ts): 0 · Infinity would be NaN. Leave it out when unsure.
   */
  finitePartials?: boolean;
  /**
   * The value is an integer at every argument (floor, ceil, the bitwise
   * ops but >>>, whose values reach 2^32): the source compiler then keeps
   * a local assigned only integers on its integer stack, which checks
   * that they stay in the 32-bit range.
   */
  integerValued?: boolean;
}

/**
 * The declaration of a structural op: not elementwise, given by a linear
 * tangent map and its transpose. `args` are the differentiable operands (a
 * list of any length when `arity` is -1, e.g. concat); `params` carries the
 * rest (an axis, a shape), fixed by the public function.
 *
 * @example
 * ```ts
 * const flip: CustomStructural = {     // reverses a vector: linear, its own transpose
 *   name: "flip", arity: 1,
 *   compute: ([x]) => tensor((x as Tensor).data.slice().reverse()),
 *   jvp: (_A, _args, _out, [t]) => flipOp(t!),
 *   vjp: (_A, _args, _out, g) => [flipOp(g)],
 * };
 * const flipOp = defineOp(flip);
 * flipOp(tensor([1, 2, 3])); // Tensor [3, 2, 1]
 * ```
 */
export interface StructuralSpec<P = unknown> {
  name: string;
  /** Number of operands, or -1 for a list of any length. */
  arity: number;
  /** The value on plain numbers/Tensors. */
  compute: (args: (number | Tensor)[], params: P) => number | Tensor;
  /**
   * Tangent of the output given argument tangents, on algebra `A`. A tangent
   * may be `null` or the number 0 (zero, also for a tensor argument), or a
   * Float64Array of lanes (which a rule may refuse).
   */
  jvp: (A: Algebra, args: Value[], out: Value, tangents: (Value | null)[], params: P) => Value;
  /**
   * Cotangents of the arguments given the output cotangent `g`, on algebra
   * `A` (`null` = not differentiated). `needed[k] === false` says argument k
   * is a constant whose cotangent will be dropped, so a rule may skip it.
   */
  vjp: (A: Algebra, args: Value[], out: Value, g: Value, params: P, needed?: readonly boolean[]) => (Value | null)[];
  /**
   * The saved values whose contents jvp/vjp read: operand indices and "out".
   * A linear op reads none (`[]`: only shapes), so writing into its operand
   * in place after recording is safe. Omitted: every operand and the output.
   */
  reads?: readonly (number | "out")[];
  /**
   * The op on a batch of examples (vmap, and forward mode's lanes): the
   * operands with `batched[k]` carry the batch (`size` examples) on their
   * first axis, the others are shared by every example; returns the batch
   * of outputs, batch axis first, in as few calls as the op allows. Without
   * it an op is applied example by example and the results stacked.
   */
  batch?: BatchRule<P>;
  notes?: string;
}

/** See `StructuralSpec.batch`. */
export type BatchRule<P = unknown> = (args: Value[], batched: readonly boolean[], size: number, params: P) => Value;

/** Applies a structural op to its operands and params: what its public function calls. */
export type StructuralRunner<P> = (args: Value[], params: P) => Value;

/**
 * A registered op.
 *
 * @example
 * ```ts
 * const op: Op = findOp("sin")!;
 * op.arity; // 1
 * ```
 */
export interface Op {
  readonly name: string;
  readonly id: number;
  readonly arity: number;
  readonly elementwise: ElementwiseSpec | null;
  readonly structural: StructuralSpec | null;
  /**
   * The partials when the rule ignores its arguments (declared with no
   * parameters, e.g. add's `() => [1, 1]`): evaluated once at registration,
   * so the scalar fast paths skip the call.
   */
  readonly constantPartials: PartialList | null;
  /** Value and partials at plain numbers without allocation (arity 1 and 2 elementwise ops; null otherwise). */
  readonly kernel: Kernel | null;
}

/** Writes [value, partial0, partial1] into `res`; false when a partial is not a plain number. */
export type Kernel = (x: number, y: number, res: Float64Array) => boolean;
