/**
 * dualtape: automatic differentiation for TypeScript. The one public entry.
 */

export { DualtapeError, ShapeError, TypeMismatchError, GraphError, PerturbationError, DomainError } from "./shared/errors.ts";
export { Tensor, type NestedArray } from "./shared/tensor.ts";
export { Lifted, primal, type Value } from "./shared/lifted.ts";
export { allOps, findOp, type Algebra, type Op, type ElementwiseSpec, type StructuralSpec, type Domain } from "./shared/op.ts";
export { defineOp, type CustomElementwise, type CustomStructural } from "./shared/define-op.ts";
export { add, sub, mul, div, neg, pow, square, sqrt, cbrt, reciprocal, abs, sign } from "./shared/ops/arithmetic.ts";
export { exp, expm1, log, log1p, log2, log10 } from "./shared/ops/exponential.ts";
export { sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, asinh, acosh, atanh } from "./shared/ops/trig.ts";
export { sigmoid, softplus, relu, erf, hypot, maximum, minimum, where, clamp } from "./shared/ops/piecewise.ts";
export { sum, mean, prod, max, min, logsumexp, norm, type Reduction } from "./shared/ops/reduce.ts";
export { matmul, dot, outer, transpose } from "./shared/ops/linalg.ts";
export { reshape, broadcastTo, index, slice, concat, stack } from "./shared/ops/shape.ts";
export { tensor, zeros, ones, full, arange, eye, rand, randn, type ShapeLike, type TensorData, type RandomOptions } from "./shared/construct.ts";
export type { Input, Output, TracedArg, InputFor, LikeInput, LikeInputFn, Jacobian } from "./shared/structure.ts";
export { numericDerivative, numericGradient, numericJacobian, type NumericMethod, type NumericOptions, type PlainInput, type PlainOutput } from "./shared/numeric.ts";
export { gradcheck, type GradcheckOptions, type GradcheckResult, type GradcheckEntry } from "./shared/gradcheck.ts";

export { Dual, dual, isDual } from "./forward/dual.ts";
export { derivative } from "./forward/derivative.ts";
export { jvp } from "./forward/jvp.ts";
export { jacfwd, DEFAULT_CHUNK, type JacfwdOptions } from "./forward/jacfwd.ts";

export { Var } from "./reverse/var.ts";
export { variable, isVar } from "./reverse/variable.ts";
export { Tape } from "./reverse/tape.ts";
export { gradients, type BackwardOptions, type GradientsOptions } from "./reverse/backward.ts";
export { noGrad, isGradEnabled } from "./reverse/nograd.ts";
export { grad, valueAndGrad, type Traced, type GradOf } from "./reverse/grad.ts";
export { vjp } from "./reverse/vjp.ts";
export { jacrev } from "./reverse/jacrev.ts";
export { compileGrad, type CompiledGradient } from "./reverse/compile.ts";
export { gt, ge, lt, le, eq, type Comparison } from "./shared/compare.ts";

export { jacobian, explainJacobian, type JacobianMode, type JacobianOptions, type JacobianChoice } from "./hybrid/jacobian.ts";
export { estimateCosts, measuredCosts, type CostModel } from "./hybrid/costmodel.ts";
export { hessian, hvp } from "./hybrid/hessian.ts";

export { Optimizer } from "./optim/optimizer.ts";
export { SGD, type SGDOptions } from "./optim/sgd.ts";
export { Adam, type AdamOptions } from "./optim/adam.ts";
