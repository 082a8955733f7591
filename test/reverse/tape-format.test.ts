/** The readable printing of a tape: one numbered line per entry, naming its op. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tape, mul, sub, sin } from "../../lib/index.ts";
import { vec } from "../support/tensors.ts";
import { leaf } from "../support/tape.ts";

test("tape.toString() prints one numbered line per entry naming the op", () => {
  const tape = new Tape();
  const x = leaf(tape, 3);
  const s = sin(x);
  const p = mul(x, s);
  mul(p, 2);
  sub(1, x);
  mul(leaf(tape, vec(1, 2)), 2);
  const lines = tape.toString().split("\n");
  assert.equal(lines, [
    "%0 = leaf 3",
    `%1 = sin(%0)   partial ${Math.cos(3)}`,
    `%2 = mul(%0, %1)   partials ${Math.sin(3)}, 3`,
    `%3 = mul(%2, 2)   partial 2`,
    "%4 = sub(1, %0)   partial -1",
    "%5 = leaf Tensor[2] [1,2]",
    "%6 = mul(%5, 2)",
  ]);
  lines.forEach((l, i) => assert.match(l, new RegExp(`^%${i} = `)));
});

test.run();
