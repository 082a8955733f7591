import { test } from "uvu";
import * as assert from "uvu/assert";
import { jacobianPlot, memoryPlot, PLOTTED_MODES } from "../../bench/lib/plots.ts";
import type { ModeTimes } from "../../bench/lib/sections.ts";

const row = (n: number, fwd: number, rev: number, autoMode: "forward" | "reverse", estimated = false): ModeTimes => ({
  label: `f n=${n}`, n, m: 1, primal: 0.01, chunk: 8, autoMode, compiledMode: "reverse",
  modes: { jacfwd: { ms: fwd, ratio: fwd / 0.01, estimated }, jacrev: { ms: rev, ratio: rev / 0.01 }, auto: { ms: 1, ratio: 100 }, compiled: { ms: rev + 1, ratio: (rev + 1) / 0.01 } },
});

test("jacobianPlot() has one series per plotted mode, in ms against n, with estimated cells open", () => {
  const p = jacobianPlot([row(10, 0.5, 0.7, "forward"), row(100, 9, 2, "reverse"), row(1000, 900, 20, "reverse", true)], "n", "f");
  assert.equal(p.series.map((s) => s.name), PLOTTED_MODES.map((m) => m.name));
  assert.equal(p.series[0]!.points, [{ x: 10, y: 0.5, open: false }, { x: 100, y: 9, open: false }, { x: 1000, y: 900, open: true }]);
  assert.equal(p.series[1]!.points.map((q) => q.y), [0.7, 2, 20]);
});

test("jacobianPlot() draws the compiled series beside forward and reverse, without rings", () => {
  const p = jacobianPlot([row(10, 0.5, 0.7, "forward"), row(100, 9, 2, "reverse")], "n", "f");
  const compiled = p.series.find((q) => q.name.startsWith("compiled"));
  assert.ok(compiled !== undefined);
  assert.equal(compiled!.points.map((q) => q.y), [1.7, 3]);
  assert.ok(p.marks!.points.every((q) => q.y !== 1.7 && q.y !== 3));
});

test("jacobianPlot() rings the mode 'auto' picked at each size", () => {
  const p = jacobianPlot([row(10, 0.5, 0.7, "forward"), row(100, 9, 2, "reverse")], "n", "f");
  assert.equal(p.marks!.points, [{ x: 10, y: 0.5 }, { x: 100, y: 2 }]);
});

test("jacobianPlot() takes any list of modes: a mode absent from a row is skipped, a mode 'auto' never picks gets no ring", () => {
  const modes = [...PLOTTED_MODES, { key: "grad" as const, name: "grad", picks: null }];
  const rows = [row(10, 0.5, 0.7, "forward"), { ...row(100, 9, 2, "reverse") }];
  rows[1]!.modes.grad = { ms: 1.5, ratio: 150 };
  const p = jacobianPlot(rows, "n", "f", modes);
  assert.is(p.series.length, PLOTTED_MODES.length + 1);
  assert.equal(p.series.find((q) => q.name === "grad")!.points, [{ x: 100, y: 1.5, open: false }]);
  assert.is(p.marks!.points.length, 2);
});

test("memoryPlot() plots both modes in MB against the chain length on linear axes from 0", () => {
  const p = memoryPlot([{ ops: 1000, forward: 0, reverse: 35_000 }, { ops: 2000, forward: 1024, reverse: 70_000 }]);
  assert.is(p.xScale, "linear");
  assert.is(p.yScale, "linear");
  assert.equal(p.include, { x: [0], y: [0] });
  assert.equal(p.series[1]!.points, [{ x: 1000, y: 35_000 / 2 ** 20 }, { x: 2000, y: 70_000 / 2 ** 20 }]);
  assert.equal(p.series[0]!.points[1], { x: 2000, y: 1 / 1024 });
  assert.ok(p.notes!.some((n) => n.includes("35.0 bytes per op")));
});

test.run();
