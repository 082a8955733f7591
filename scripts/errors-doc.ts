// Writes docs/errors.md from the misuse catalogue (`npm run docs:errors`); with --check,
// only compares and exits 1 when the file is out of date (used by the tests).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { errorReference } from "./errors/reference.ts";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "errors.md");
const text = errorReference();
if (process.argv.includes("--check")) {
  const current = existsSync(out) ? readFileSync(out, "utf8") : "";
  if (current !== text) {
    console.error("docs/errors.md is out of date with the misuse catalogue: run `npm run docs:errors`");
    process.exit(1);
  }
  console.log("docs/errors.md matches the misuse catalogue");
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
