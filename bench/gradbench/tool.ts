/**
 * The dualtape GradBench tool: JSON messages on stdin, one JSON response
 * line per message on stdout, diagnostics on stderr, exit at end of input.
 *
 *   node --import tsx bench/gradbench/tool.ts          (from the sources)
 *   node bench/gradbench/build.mjs && node bench/gradbench/dist/tool.mjs   (bundled)
 */
import { createInterface } from "node:readline";
import { respondToLine } from "./session.ts";

// Anything printed by accident must not corrupt the protocol stream.
console.log = console.error;
console.info = console.error;

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  process.stdout.write(respondToLine(line) + "\n");
}
