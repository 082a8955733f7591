/**
 * Review finding: the in-place version check refuses backward through an op
 * whose gradient never reads the written tensor (add), where the README
 * promises an error only for "a backward that would use a tensor written
 * after it was recorded".
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { variable, tensor, add, sum, type Tensor, type Var } from "../../lib/index.ts";

test("sum(A + x).backward() gives x.grad = [1, 1] even after A.fill_(7), since add's gradient does not read A", () => {
  const A = tensor([1, 2]);
  const x = variable(tensor([3, 4]));
  const y = sum(add(A, x)) as Var;
  A.fill_(7);
  y.backward();
  assert.equal(Array.from((x.grad as Tensor).data), [1, 1]);
});

test.run();
