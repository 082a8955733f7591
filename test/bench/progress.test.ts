import { test } from "uvu";
import * as assert from "uvu/assert";
import { progress, barLine, progressLine } from "../../bench/lib/progress.ts";

function sink(isTTY: boolean, columns = 80) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns, write: (s: string) => out.push(s) } };
}

test("progress() writes nothing when the stream is not a terminal", () => {
  const { out, stream } = sink(false);
  const p = progress(3, stream);
  p.step("a"); p.step("b"); p.done();
  assert.equal(out, []);
});

test("progress() redraws one line in place per step on a terminal and clears it when done", () => {
  const { out, stream } = sink(true);
  const p = progress(2, stream);
  p.step("first");
  p.step("second");
  p.done();
  assert.is(out.length, 3);
  assert.ok(out.every((s) => s.startsWith("\r") && !s.includes("\n")));
  assert.match(out[0]!, /0\/2 .*first/);
  assert.match(out[1]!, /1\/2 .*second/);
  assert.ok(out.every((s) => s.replace(/\r/g, "").length <= 79), "fits the terminal width");
  assert.is(out[2]!.trim(), "");
});

test("progress() on a terminal that reports no width draws the whole bar (100 columns)", () => {
  const { out, stream } = sink(true, 0);
  progress(2, stream).step("label");
  assert.match(out[0]!, /^\r\[-{24}\] 0\/2 .*label/);
});

test("barLine fills the bar in proportion to the steps done", () => {
  assert.is(barLine(3, 12, 4.2, "x"), `[${"#".repeat(6)}${"-".repeat(18)}]  3/12   4s  x`);
  assert.match(barLine(12, 12, 0, "y"), /^\[#{24}\] 12\/12/);
});

test("progressLine() writes a whole line on a terminal and nothing otherwise", () => {
  const tty = sink(true);
  progressLine("lse n=10: 1 ms", tty.stream);
  assert.equal(tty.out, ["lse n=10: 1 ms\n"]);
  const pipe = sink(false);
  progressLine("lse n=10: 1 ms", pipe.stream);
  assert.equal(pipe.out, []);
});

test.run();
