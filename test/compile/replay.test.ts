// The replay interpreter (generated, or its fallback when npm test runs this
// folder again with DUALTAPE_NO_CODEGEN=1): replaying a tape recorded at one
// point at a new point gives the values and partials a fresh recording there gives.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tape, mul, sub, sin, div, type Var, type Value } from "../../lib/index.ts";
import { replayer } from "../../lib/compile/replay.ts";
import { leaf } from "../support/tape.ts";

/** Every scalar entry form: unary, node-node, node-constant, constant-node. */
function program(x: Var, y: Var): Value {
  const s = sin(x);
  const p = mul(s, y);
  const q = sub(p, 3);
  return div(2, q);
}

function recordAt(x0: number, y0: number): Tape {
  const tape = new Tape();
  program(leaf(tape, x0), leaf(tape, y0));
  return tape;
}

{
  test("replayer() recomputes values and partials of every entry form at new leaf values", () => {
    const run = replayer();
    const tape = recordAt(0.3, 1.7);
    const fresh = recordAt(1.1, -0.4);
    const vals = new Float64Array(tape.length);
    vals[0] = 1.1;
    vals[1] = -0.4;
    tape.setLeafValue(0, 1.1);
    tape.setLeafValue(1, -0.4);
    assert.is(tape.replayScalars(run, vals, 0, tape.length), tape.length);
    assert.equal(Array.from(tape.pa), Array.from(fresh.pa));
    assert.equal(Array.from(tape.pb), Array.from(fresh.pb));
    const expected = 2 / (Math.sin(1.1) * -0.4 - 3);
    assert.ok(Math.abs(vals[tape.length - 1]! - expected) < 1e-15);
  });
}

test.run();
