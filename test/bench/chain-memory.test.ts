import { test } from "uvu";
import * as assert from "uvu/assert";
import { fileURLToPath } from "node:url";
import { chainMemory } from "../../bench/lib/chain-memory.ts";
import { Tape } from "../../lib/index.ts";

const probe = fileURLToPath(new URL("../support/chain-probe.ts", import.meta.url));

// Each probe is a fresh process (startup dominates: a few seconds under tsx), so one length only, probed three times.
/** The median of three probes' figures: one probe's garbage-collection noise on a loaded machine can leave the band. */
function medianProbe(ops: number): { ops: number; forward: number; reverse: number } {
  const runs = [0, 1, 2].map(() => chainMemory(probe, [ops])[0]!);
  const mid = (xs: number[]) => xs.sort((p, q) => p - q)[1]!;
  return { ops, forward: mid(runs.map((x) => x.forward)), reverse: mid(runs.map((x) => x.reverse)) };
}

test("chainMemory(): reverse mode holds the tape (26 bytes per op) plus adjoints, forward mode nothing per op", () => {
  const r = medianProbe(2 ** 16 - 1);
  // reverse: Tape.bytesPerEntry per entry, plus 8 (Float64 adjoint) + 1 (reached flag) during the sweep;
  // the rest of the band is GC noise
  const perOp = r.reverse / r.ops;
  assert.ok(perOp >= Tape.bytesPerEntry - 2 && perOp <= Tape.bytesPerEntry + 9 + 8, `reverse: ${perOp.toFixed(1)} bytes per op`);
  // forward: nothing kept per op; allow GC noise of a few percent of the reverse figure
  assert.ok(r.forward < 0.1 * r.reverse, `forward: ${r.forward} bytes against reverse ${r.reverse}`);
});

test.run();
