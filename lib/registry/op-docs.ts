/**
 * The op reference, generated from the registry: for every registered op,
 * its arity, its kind and its documented conventions (non-smooth points,
 * NaN and Infinity). docs/ops.md is this text, and a test keeps the two equal,
 * so the reference cannot drift from the declarations.
 */
import { allOps, type Op } from "./op.ts";

function domainOf(op: Op): string {
  const d = op.elementwise?.domain;
  if (d === undefined) return "";
  return d.map((r) => (r.integer ? `{${r.lo}, ..., ${r.hi}}` : `[${r.lo}, ${r.hi}]`)).join(" x ");
}

function rowOf(op: Op): string {
  const kind = op.elementwise !== null ? "elementwise" : "structural";
  const arity = op.arity < 0 ? "list" : String(op.arity);
  const notes = (op.elementwise?.notes ?? op.structural?.notes ?? "").replace(/\|/g, "\\|");
  return `| \`${op.name}\` | ${arity} | ${kind} | ${domainOf(op)} | ${notes} |`;
}

/**
 * The markdown op reference for the ops registered now.
 *
 * @example
 * ```ts
 * opReference().includes("| `sqrt` |"); // true
 * ```
 */
export function opReference(): string {
  return [
    "# dualtape ops",
    "",
    "Generated from the op registry (`lib/registry/op-docs.ts`; regenerate with `npm run docs:ops`).",
    "Elementwise ops are declared by their value and partials; structural ops by a linear tangent",
    "map and its transpose. *Test domain* is where the property suite draws arguments.",
    "",
    "| op | arity | kind | test domain | conventions (non-smooth points, NaN, Infinity) |",
    "|---|---|---|---|---|",
    ...allOps().filter((op) => !op.name.startsWith("_")).map(rowOf),
    "",
  ].join("\n");
}
