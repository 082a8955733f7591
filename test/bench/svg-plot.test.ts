import { test } from "uvu";
import * as assert from "uvu/assert";
import { svgPlot, xmlEscape, wrap, type PlotSpec } from "../../bench/lib/svg-plot.ts";
import { parseXml, findAll, type XmlElement } from "../support/xml.ts";

const spec = (over: Partial<PlotSpec> = {}): PlotSpec => ({
  title: "t < u & v",
  xLabel: "n",
  yLabel: "ms",
  series: [
    { name: "forward", points: [{ x: 1, y: 1 }, { x: 10, y: 10 }, { x: 100, y: 100 }] },
    { name: "reverse", points: [{ x: 1, y: 2 }, { x: 10, y: 3 }, { x: 100, y: 4, open: true }] },
    { name: "third", points: [{ x: 1, y: 5 }, { x: 100, y: 50 }] },
  ],
  marks: { name: "auto's pick", points: [{ x: 1, y: 1 }, { x: 100, y: 4 }] },
  ...over,
});

/** The plot frame: the outlined rectangle the data is drawn in. */
function frameOf(root: XmlElement) {
  const r = findAll(root, "rect").find((e) => e.attrs.fill === "none")!;
  return { x: Number(r.attrs.x), y: Number(r.attrs.y), w: Number(r.attrs.width), h: Number(r.attrs.height) };
}

test("svgPlot() output is well-formed XML with an svg root, and escapes text", () => {
  const root = parseXml(svgPlot(spec()));
  assert.is(root.name, "svg");
  assert.is(root.attrs.xmlns, "http://www.w3.org/2000/svg");
  assert.ok(findAll(root, "text").some((t) => t.text === "t < u & v"));
  assert.is(xmlEscape(`a<"b">&`), "a&lt;&quot;b&quot;&gt;&amp;");
});

test("svgPlot() draws one polyline per series with one marker per point, in the series' colour", () => {
  const root = parseXml(svgPlot(spec()));
  const lines = findAll(root, "polyline");
  assert.is(lines.length, 3);
  assert.equal(lines.map((l) => l.attrs.points!.split(" ").length), [3, 3, 2]);
  const colours = lines.map((l) => l.attrs.stroke);
  assert.is(new Set(colours).size, 3, "distinct colours");
  // markers of series 1 are squares: 3 in the plot + 1 in the legend
  assert.is(findAll(root, "rect").filter((r) => r.attrs.stroke === colours[1]).length, 4);
});

test("svgPlot() puts points where log-log axes say: decades evenly spaced across the frame", () => {
  const root = parseXml(svgPlot(spec({ series: [{ name: "s", points: [{ x: 1, y: 1 }, { x: 10, y: 10 }, { x: 100, y: 100 }] }], marks: undefined })));
  const f = frameOf(root);
  const pts = findAll(root, "polyline")[0]!.attrs.points!.split(" ").map((p) => p.split(",").map(Number));
  // x: 1 -> left edge, 10 -> middle, 100 -> right edge; y grows upwards
  const want = [[f.x, f.y + f.h], [f.x + f.w / 2, f.y + f.h / 2], [f.x + f.w, f.y]];
  pts.forEach((p, i) => {
    assert.ok(Math.abs(p[0]! - want[i]![0]!) <= 0.1 && Math.abs(p[1]! - want[i]![1]!) <= 0.1, `point ${i}: ${p} vs ${want[i]}`);
  });
});

test("svgPlot() rings each marked point, draws open points hollow and explains both in the legend", () => {
  const root = parseXml(svgPlot(spec()));
  const rings = findAll(root, "circle").filter((c) => c.attrs.r === "9");
  assert.is(rings.length, 3, "2 marks + the legend's sample");
  const texts = findAll(root, "text").map((t) => t.text);
  for (const name of ["forward", "reverse", "third", "auto's pick", "open marker: extrapolated, not run"]) assert.ok(texts.includes(name), name);
  const hollow = findAll(root, "rect").filter((r) => r.attrs.fill === "#ffffff" && r.attrs.width === "7.2");
  assert.is(hollow.length, 1, "the one open point of the square-marker series");
});

test("svgPlot() without open points or marks leaves those legend entries out, and prints notes", () => {
  const root = parseXml(svgPlot({ ...spec(), series: [spec().series[0]!], marks: undefined, notes: ["first note", "second note"] }));
  const texts = findAll(root, "text").map((t) => t.text);
  assert.not.ok(texts.some((t) => t.startsWith("open marker")));
  assert.not.ok(texts.includes("auto's pick"));
  assert.ok(texts.includes("first note") && texts.includes("second note"));
});

test("svgPlot() wraps long notes at spaces to fit the width, and grows the picture to hold them", () => {
  const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
  const short = parseXml(svgPlot({ ...spec(), notes: ["short"] }));
  const root = parseXml(svgPlot({ ...spec(), notes: [long] }));
  const lines = findAll(root, "text").filter((t) => t.text.startsWith("word"));
  assert.ok(lines.length >= 3);
  assert.is(lines.map((l) => l.text).join(" "), long);
  assert.ok(lines.every((l) => l.text.length * 6.6 <= 680 - 78), "each line fits");
  assert.is(Number(root.attrs.height) - Number(short.attrs.height), (lines.length - 1) * 17);
  assert.equal(wrap("one two three", 8), ["one two", "three"]);
  assert.equal(wrap("unbreakable-long-word x", 5), ["unbreakable-long-word", "x"]);
});

test("svgPlot() on linear axes includes the values asked for (0) and labels ticks with the given format", () => {
  const root = parseXml(svgPlot({
    ...spec(), xScale: "linear", yScale: "linear", include: { x: [0], y: [0] }, xFormat: (v) => `${v}ops`,
    series: [{ name: "s", points: [{ x: 10, y: 1 }, { x: 20, y: 2 }] }], marks: undefined,
  }));
  const texts = findAll(root, "text").map((t) => t.text);
  assert.ok(texts.includes("0ops") && texts.includes("20ops"));
  const f = frameOf(root);
  const pts = findAll(root, "polyline")[0]!.attrs.points!.split(" ").map((p) => p.split(",").map(Number));
  // x from 0 to 20, y from 0 to 2: (20, 2) is the top-right corner, (10, 1) the centre
  assert.ok(Math.abs(pts[1]![0]! - (f.x + f.w)) < 0.1 && Math.abs(pts[1]![1]! - f.y) < 0.1);
  assert.ok(Math.abs(pts[0]![0]! - (f.x + f.w / 2)) < 0.1 && Math.abs(pts[0]![1]! - (f.y + f.h / 2)) < 0.1);
});

test.run();
