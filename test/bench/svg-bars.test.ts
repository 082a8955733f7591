import { test } from "uvu";
import * as assert from "uvu/assert";
import { svgBars, type BarSpec } from "../../bench/lib/svg-bars.ts";
import { parseXml, findAll } from "../support/xml.ts";

const spec: BarSpec = {
  title: "ratios < 1 & more",
  yLabel: "x",
  categories: ["lse", "llsq", "Jacobian"],
  series: [
    { name: "a", values: [1, 10, 100] },
    { name: "b", values: [2, 0.5, null] },
  ],
  reference: { value: 1, label: "1x" },
};

/** The data bars: rects with a <title> (the frame and legend swatches have none). */
function bars(svg: string) {
  return findAll(parseXml(svg), "rect").filter((r) => findAll(r, "title").length === 1)
    .map((r) => ({ y: Number(r.attrs.y), h: Number(r.attrs.height), x: Number(r.attrs.x) }));
}

test("svgBars() is well-formed XML, escapes text and draws one bar per present value", () => {
  const svg = svgBars(spec);
  assert.ok(svg.includes("ratios &lt; 1 &amp; more"));
  assert.is(bars(svg).length, 5, "six values, one null");
  assert.ok(svg.includes(">—<"), "the missing value is marked");
});

test("on a log axis a bar's height grows with log(value); bars of one group sit side by side in series order", () => {
  const b = bars(svgBars(spec));
  const [a1, a10, a100] = [b[0]!, b[2]!, b[4]!];
  // Equal steps in log10 give equal steps in height (up to the 0.1 px rounding of the output).
  assert.ok(Math.abs((a10.h - a1.h) - (a100.h - a10.h)) < 0.3);
  assert.ok(a1.h < a10.h && a10.h < a100.h);
  assert.ok(b[0]!.x < b[1]!.x && b[1]!.x < b[2]!.x, "group 1: a then b, then group 2");
  // All bars stand on the same floor.
  const floors = b.map((r) => r.y + r.h);
  assert.ok(floors.every((f) => Math.abs(f - floors[0]!) < 0.2));
});

test.run();
