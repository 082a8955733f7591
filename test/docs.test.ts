/**
 * The API reference's promise: every export of the public entry carries a
 * TSDoc `@example` (TypeDoc renders it on the export's page; `npm run docs`
 * fails on warnings, so this test checks the part TypeDoc does not).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import ts from "typescript";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("../lib/index.ts", import.meta.url));

test("every export of lib/index.ts has a TSDoc @example", () => {
  const program = ts.createProgram([entry], {
    allowImportingTsExtensions: true, noEmit: true, target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [],
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const exports = checker.getExportsOfModule(module);
  assert.ok(exports.length > 100, `${exports.length} exports`);
  const missing = exports.filter((e) => {
    const symbol = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
    return !symbol.getJsDocTags(checker).some((tag) => tag.name === "example");
  }).map((e) => e.name);
  assert.equal(missing, []);
});

test.run();
