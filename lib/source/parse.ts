/**
 * Reads a function's JavaScript text (`f.toString()`, types already erased)
 * into an ESTree node, with acorn.
 *
 * Why acorn: the run-time path parses in the browser too, so the parser must
 * be small, dependency-free and exact about modern syntax. acorn is the
 * reference ESTree parser (used by Rollup and webpack), about 100 KB
 * unminified, with no dependencies; meriyah is similar in size but less
 * widely used; the TypeScript compiler API (8.7 MB) only fits a build-time
 * path. Types are erased before we see the text, so a JavaScript parser suffices.
 */
import { parse, type Node, type Expression, type Program } from "acorn";
import { refuse } from "./source-error.ts";

/** A function node as acorn gives it (declaration, expression or arrow). */
export type FunctionNode = Node & {
  type: "FunctionExpression" | "ArrowFunctionExpression" | "FunctionDeclaration";
  params: Node[];
  body: Node;
  expression?: boolean;
  async?: boolean;
  generator?: boolean;
};

/**
 * Parses the text of a function into its node; lines and columns are those
 * of `text` (line 1 is the line holding `function` or the arrow's parameters).
 *
 * @example
 * ```ts
 * parseFunction("(x) => x * x").type; // "ArrowFunctionExpression"
 * ```
 */
export function parseFunction(text: string): FunctionNode {
  let program: Program;
  try {
    // Parenthesised so that both `function f() {}` and arrows read as one expression.
    program = parse(`(${text}\n)`, { ecmaVersion: "latest", locations: true });
  } catch (e) {
    const pos = (e as { loc?: { line: number; column: number } }).loc;
    const at = pos === undefined ? null : { loc: { start: { line: pos.line, column: pos.line === 1 ? pos.column - 1 : pos.column } } };
    refuse(at, "the function's text", `does not parse (${(e as Error).message.replace(/ \(\d+:\d+\)$/, "")})`,
      "pass a function declaration, function expression or arrow function (methods and class members are not accepted)");
  }
  const stmt = program.body[0] as Node & { expression?: Expression };
  const fn = stmt?.expression as Node | undefined;
  if (program.body.length !== 1 || fn === undefined || (fn.type !== "FunctionExpression" && fn.type !== "ArrowFunctionExpression")) {
    refuse(null, "the value passed", "is not a function expression", "pass a function declaration, function expression or arrow function");
  }
  shiftFirstLine(fn);
  return fn as FunctionNode;
}

/** Undoes the opening parenthesis on line 1, so columns match `text`. */
function shiftFirstLine(node: unknown): void {
  const seen = new Set<unknown>();
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== "object" || seen.has(n)) return;
    seen.add(n);
    const loc = (n as Node).loc;
    if (loc) {
      if (loc.start.line === 1) loc.start = { ...loc.start, column: loc.start.column - 1 };
      if (loc.end.line === 1) loc.end = { ...loc.end, column: loc.end.column - 1 };
    }
    for (const key of Object.keys(n)) if (key !== "loc") visit((n as Record<string, unknown>)[key]);
  };
  visit(node);
}
