/**
 * hello: `square` is x² written with dualtape's `mul`; `double` is its
 * derivative. A function of one real variable needs one forward pass, so
 * `derivative` (forward mode) is the natural choice.
 */
import { mul, derivative, type Value } from "../../../lib/index.ts";
import { asNumber } from "../input.ts";
import { evalFunction, type Module } from "../runs.ts";
import { scalar } from "../output.ts";

/** x², on numbers or traced values. @example `square(3) // 9` */
export function square(x: Value): Value {
  return mul(x, x);
}

const parse = (input: unknown) => asNumber(input, "input");

/** The hello module. @example `hello.double.run(3) // 6` */
export const hello: Module = {
  square: evalFunction(parse, (x) => scalar(square(x))),
  double: evalFunction(parse, (x) => scalar(derivative(square)(x) as Value)),
};
