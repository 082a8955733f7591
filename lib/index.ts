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
export type { Input, Output } from "./shared/structure.ts";

export { Dual, dual, isDual } from "./forward/dual.ts";
export { derivative } from "./forward/derivative.ts";
export { jvp } from "./forward/jvp.ts";
export { jacfwd, DEFAULT_CHUNK, type JacfwdOptions } from "./forward/jacfwd.ts";

export { Var, variable, isVar } from "./reverse/var.ts";
export { Tape } from "./reverse/tape.ts";
export { gradients, type BackwardOptions, type GradientsOptions } from "./reverse/backward.ts";
export { noGrad, isGradEnabled } from "./reverse/nograd.ts";
export { grad, valueAndGrad, type Traced, type GradOf } from "./reverse/grad.ts";
export { vjp } from "./reverse/vjp.ts";
export { jacrev } from "./reverse/jacrev.ts";

export { jacobian, explainJacobian, type JacobianMode, type JacobianOptions, type JacobianChoice } from "./hybrid/jacobian.ts";
export { estimateCosts, measuredCosts, type CostModel } from "./hybrid/costmodel.ts";
export { hessian, hvp } from "./hybrid/hessian.ts";
