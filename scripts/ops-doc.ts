// Writes docs/ops.md from the op registry (`npm run docs:ops`); with --check,
// only compares and exits 1 when the file is out of date (used by the tests).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import "../lib/index.ts";
import { opReference } from "../lib/registry/op-docs.ts";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "ops.md");
const text = opReference();
if (process.argv.includes("--check")) {
  const current = readFileSync(out, "utf8");
  if (current !== text) {
    console.error("docs/ops.md is out of date with the op registry: run `npm run docs:ops`");
    process.exit(1);
  }
  console.log("docs/ops.md matches the op registry");
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
