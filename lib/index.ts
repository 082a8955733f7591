/**
 * dualtape: automatic differentiation for TypeScript. The one public entry.
 */

export { DualtapeError, ShapeError, TypeMismatchError, GraphError, PerturbationError, DomainError } from "./errors.ts";
export { Tensor, type NestedArray } from "./tensor/tensor.ts";
export { Lifted, primal, type Value } from "./registry/lifted.ts";
export { allOps, findOp, type Algebra, type Op, type ElementwiseSpec, type StructuralSpec, type Domain } from "./registry/op.ts";
export type { OpFn, Unary, Binary, Ternary, Out1, Out2, PartialList } from "./registry/types.ts";
export { defineOp, type CustomElementwise, type CustomStructural } from "./registry/define-op.ts";
export { add, sub, mul, div, neg, pow, square, sqrt, cbrt, reciprocal, abs, sign } from "./ops/index.ts";
export { exp, expm1, log, log1p, log2, log10 } from "./ops/index.ts";
export { sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, asinh, acosh, atanh } from "./ops/index.ts";
export { sigmoid, softplus, relu, erf, hypot, maximum, minimum, where, clamp } from "./ops/index.ts";
export { floor, ceil, round, trunc, fmod } from "./ops/index.ts";
export { bitAnd, bitOr, bitXor, bitNot, shiftLeft, shiftRight, shiftRightUnsigned } from "./ops/index.ts";
export { sum, mean, prod, max, min, logsumexp, norm, type Reduction } from "./ops/index.ts";
export { matmul, dot, outer, transpose } from "./ops/index.ts";
export { reshape, broadcastTo, sumToShape, index, slice, padZeros, concat, stack } from "./ops/index.ts";
export type { OpMethods } from "./ops/methods.ts";
export { tensor, zeros, ones, full, arange, eye, rand, randn, type ShapeLike, type TensorData, type RandomOptions } from "./tensor/construct.ts";
export type { GradOfValue } from "./reverse/var.ts";
export type { Input, Output, TracedArg, InputFor, InputOf, LikeInput, LikeInputFn, Jacobian, Tree } from "./structure/structure.ts";
export type { ArgumentOptions } from "./structure/arguments.ts";
export { vmap, type VmapOptions } from "./batch/vmap.ts";
export type { AxisSpec } from "./batch/axes.ts";
export { numericDerivative, numericGradient, numericJacobian, type NumericMethod, type NumericOptions, type PlainInput, type PlainOutput } from "./check/numeric.ts";
export type { PlainOf, ShapedLike } from "./check/numeric.ts";
export { gradcheck, type GradcheckOptions, type GradcheckResult, type GradcheckEntry } from "./check/gradcheck.ts";

export { Dual, dual, isDual } from "./forward/dual.ts";
export { derivative } from "./forward/derivative.ts";
export { jvp } from "./forward/jvp.ts";
export { jacfwd, DEFAULT_CHUNK, type JacfwdOptions } from "./forward/jacfwd.ts";

export { Var } from "./reverse/var.ts";
export { variable, isVar } from "./reverse/variable.ts";
export { Tape } from "./reverse/tape.ts";
export type { Hook } from "./reverse/tape.ts";
export { gradients, type BackwardOptions, type GradientsOptions, type PlainGrad } from "./reverse/backward.ts";
export { noGrad, isGradEnabled } from "./reverse/nograd.ts";
export { stopGradient, type Stoppable, type Stopped } from "./reverse/stop-gradient.ts";
export { grad, valueAndGrad, type Traced, type GradOf, type Gradient } from "./reverse/grad.ts";
export { vjp } from "./reverse/vjp.ts";
export { jacrev } from "./reverse/jacrev.ts";
export { compileGrad, type CompiledGradient, type CompileGradOptions } from "./compile/compile-grad.ts";
export { jitValueAndGrad, type CompiledValueAndGrad } from "./compile/value-and-grad.ts";
export type { TensorPlan } from "./compile/plan.ts";
export type { Step, Group } from "./compile/fuse.ts";
export { gt, ge, lt, le, eq, type Comparison } from "./compile/compare.ts";
export { toDot } from "./graph/dot.ts";
export { toSvg } from "./graph/svg.ts";
export type { GraphOptions } from "./graph/read.ts";

export { compile, type CompileOptions, type CompiledFunction } from "./source/compile.ts";
export { scatter, type Scatter } from "./source/scatter-into.ts";
export { precompiled, type Prebuilt, type PrebuiltRuntime, type PrebuiltFunctions } from "./source/prebuilt.ts";
export { SourceError } from "./source/source-error.ts";
export type { SourceJacobianMode, SourceJacobianChoice } from "./source/jacobian.ts";
export type { SparsityPattern } from "./source/sparsity.ts";
export type { SparseJacobian } from "./source/sparse-jacobian.ts";

export { jacobian, explainJacobian, type JacobianMode, type JacobianOptions, type JacobianChoice } from "./hybrid/jacobian.ts";
export { estimateCosts, measuredCosts, type CostModel } from "./hybrid/costmodel.ts";
export type { CostEstimate } from "./hybrid/costmodel.ts";
export { hessian, hvp } from "./hybrid/hessian.ts";

export { Optimizer } from "./optim/optimizer.ts";
export { SGD, type SGDOptions } from "./optim/sgd.ts";
export { Adam, type AdamOptions } from "./optim/adam.ts";
