/**
 * Review findings for reductions: norm of a JS array is not scaled (the
 * Tensor one is), and the Tensor logsumexp gradient loses precision for
 * large inputs. Expected values are exact by symmetry or by hand.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { grad, jacfwd, norm, logsumexp, tensor, type Lifted, type Tensor } from "../../lib/index.ts";
import { close } from "../support/close.ts";

test("norm([3e200, 4e200]) equals 5e200 like norm(tensor([3e200, 4e200]))", () => {
  close(norm(tensor([3e200, 4e200])) as number, 5e200);
  close(norm([3e200, 4e200]), 5e200);
});

test("grad(norm)([3e200, 4e200]) equals [0.6, 0.8] (x / |x|)", () => {
  const g = grad((x: Lifted[]) => norm(x))([3e200, 4e200]);
  close(g[0]!, 0.6);
  close(g[1]!, 0.8);
});

test("norm([3e-200, 4e-200]) equals 5e-200 and its gradient is [0.6, 0.8]", () => {
  close(norm([3e-200, 4e-200]) / 5e-200, 1);
  const g = grad((x: Lifted[]) => norm(x))([3e-200, 4e-200]);
  close(g[0]!, 0.6);
  close(g[1]!, 0.8);
});

test("grad(logsumexp)(tensor([1e15, 1e15])) equals softmax = [0.5, 0.5]", () => {
  const g = grad((t: Lifted) => logsumexp(t))(tensor([1e15, 1e15])) as Tensor;
  close(g.data[0]!, 0.5);
  close(g.data[1]!, 0.5);
});

test("grad(logsumexp)(tensor([1e8, 1e8, 1e8])) equals [1/3, 1/3, 1/3] as grad(logsumexp) of the number[] does", () => {
  const want = grad((x: Lifted[]) => logsumexp(x))([1e8, 1e8, 1e8]);
  want.forEach((w) => close(w, 1 / 3));
  const g = grad((t: Lifted) => logsumexp(t))(tensor([1e8, 1e8, 1e8])) as Tensor;
  for (const v of g.data) close(v, 1 / 3);
});

test("jacfwd(logsumexp along axis 1)(tensor([[1e12, 1e12]])) rows sum to 1 (softmax)", () => {
  const J = jacfwd((t: Lifted) => logsumexp(t, 1))(tensor([[1e12, 1e12]])) as Tensor;
  assert.equal(J.shape, [1, 1, 2]);
  close(J.data[0]! + J.data[1]!, 1);
  close(J.data[0]!, 0.5);
});

test.run();
