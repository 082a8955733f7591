import { test } from "uvu";
import * as assert from "uvu/assert";
import { relax, byHand, energy, type Point } from "../../examples/compiled-chain.ts";
import { close } from "../support/close.ts";
import { central } from "../support/differences.ts";

const POINTS: Point[] = [{ x: 0, y: 0 }, { x: 1.4, y: 0.3 }, { x: 2.1, y: 1.2 }, { x: 3.5, y: 1.1 }];
const SPRINGS = { k: 2, rest: [1, 1, 1] };

test("examples/compiled-chain: the gradient, objects { x, y } per point, equals the forces by hand", () => {
  const { grad } = relax(POINTS, SPRINGS);
  const hand = byHand(POINTS, SPRINGS);
  assert.equal(grad.map((p) => Object.keys(p)), POINTS.map(() => ["x", "y"]));
  grad.forEach((p, i) => {
    close(p.x, hand[i]!.x, 1e-12);
    close(p.y, hand[i]!.y, 1e-12);
  });
});

test("examples/compiled-chain: the gradient against central differences of the plain energy", () => {
  const { grad } = relax(POINTS, SPRINGS);
  POINTS.forEach((_, i) => {
    for (const axis of ["x", "y"] as const) {
      const numeric = central((t) => energy(POINTS.map((p, j) => (j === i ? { ...p, [axis]: t } : p)), SPRINGS), POINTS[i]![axis], 1e-6);
      assert.ok(Math.abs(numeric - grad[i]![axis]) < 1e-7, `dE/dp[${i}].${axis}: ${grad[i]![axis]} vs ${numeric}`);
    }
  });
});

test("examples/compiled-chain: gradient descent on the compiled gradient lowers the energy at every step", () => {
  const { energies } = relax(POINTS, SPRINGS);
  assert.is(energies.length, 30);
  energies.slice(1).forEach((e, i) => assert.ok(e < energies[i]!, `step ${i + 1}: ${e} after ${energies[i]}`));
});

test.run();
