/**
 * Reads the import graph of lib/ and the layer table of the README, and
 * checks one against the other: the pieces of test/architecture.test.ts,
 * kept as pure functions so they can be tried on made-up graphs too.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/** One import statement: the file it names (repo-relative) and whether it exists only for types. */
export interface ImportEdge {
  target: string;
  typeOnly: boolean;
}

/** A layer of the table: its name and the layers it may import. */
export interface Layer {
  name: string;
  mayImport: string[];
}

const SPECIFIER = /(?:^|[\s;])(import|export)\s+(type\s+)?([^;]*?)\s*from\s*"(\.{1,2}\/[^"]+)"|import\s*\(\s*"(\.{1,2}\/[^"]+)"\s*\)|^\s*import\s+"(\.{1,2}\/[^"]+)"|declare\s+module\s+"(\.{1,2}\/[^"]+)"/gm;

/** Whether a clause such as `{ type A, type B }` brings in types only. */
function clauseIsTypeOnly(clause: string): boolean {
  const m = /^\{([^}]*)\}$/.exec(clause.trim());
  if (m === null) return false;
  const names = (m[1] ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  return names.length > 0 && names.every((n) => n.startsWith("type "));
}

/**
 * The relative imports of one source text, resolved against `file` (repo-relative).
 *
 * @example
 * ```ts
 * importsOf("lib/a/x.ts", 'import type { T } from "../b/y.ts";'); // [{ target: "lib/b/y.ts", typeOnly: true }]
 * ```
 */
export function importsOf(file: string, source: string): ImportEdge[] {
  const bare = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: ImportEdge[] = [];
  for (const m of bare.matchAll(SPECIFIER)) {
    const spec = m[4] ?? m[5] ?? m[6] ?? m[7];
    if (spec === undefined) continue;
    const typeOnly = m[2] !== undefined || (m[3] !== undefined && clauseIsTypeOnly(m[3])) || m[7] !== undefined;
    out.push({ target: normalize(join(dirname(file), spec)), typeOnly });
  }
  return out;
}

/** The layer a lib file belongs to: its folder under lib/, or the root file's name. */
export function layerOf(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? (parts[1] ?? "") : (parts[1] ?? "").replace(/\.ts$/, "");
}

/**
 * The layer table between `<!-- layers` and `<!-- /layers -->` in a README:
 * rows bottom up; "—" means nothing, "every row above" means all lower rows.
 *
 * @example
 * ```ts
 * parseLayers(readme)[0]; // { name: "errors", mayImport: [] }
 * ```
 */
export function parseLayers(readme: string): Layer[] {
  const start = readme.indexOf("<!-- layers");
  const end = readme.indexOf("<!-- /layers -->");
  if (start < 0 || end < start) throw new Error("README has no <!-- layers --> table");
  const rows = readme.slice(start, end).split("\n").filter((l) => /^\|\s*`/.test(l));
  const layers: Layer[] = [];
  for (const row of rows) {
    const cells = row.split("|").map((c) => c.trim());
    const name = (cells[1] ?? "").replace(/`/g, "");
    const allowed = cells[3] ?? "";
    const mayImport = allowed === "—" ? [] : allowed === "every row above" ? layers.map((l) => l.name) : allowed.split(",").map((s) => s.trim());
    layers.push({ name, mayImport });
  }
  return layers;
}

/** Problems with the table itself: an allowed import that is not on a lower row (which also rules out cycles). */
export function tableProblems(layers: readonly Layer[]): string[] {
  const problems: string[] = [];
  layers.forEach((layer, row) => {
    for (const dep of layer.mayImport) {
      const at = layers.findIndex((l) => l.name === dep);
      if (at < 0) problems.push(`${layer.name} may import '${dep}', which is not a row of the table`);
      else if (at >= row) problems.push(`${layer.name} may import ${dep}, which is not below it`);
    }
  });
  return problems;
}

/** Imports the table does not allow (type-only imports included), one line each. */
export function importProblems(graph: ReadonlyMap<string, ImportEdge[]>, layers: readonly Layer[]): string[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const problems: string[] = [];
  for (const [file, edges] of graph) {
    const from = byName.get(layerOf(file));
    if (from === undefined) {
      problems.push(`${file}: layer '${layerOf(file)}' is not in the README's table`);
      continue;
    }
    for (const e of edges) {
      const to = layerOf(e.target);
      if (to !== from.name && !from.mayImport.includes(to)) problems.push(`${file} imports ${e.target}: ${from.name} may not import ${to}`);
    }
  }
  return problems;
}

/** Every cycle of run-time imports (type-only edges ignored), each as a list of files. */
export function runtimeCycles(graph: ReadonlyMap<string, ImportEdge[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const e of graph.get(v) ?? []) {
      if (e.typeOnly || !graph.has(e.target)) continue;
      if (!index.has(e.target)) {
        visit(e.target);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(e.target) ?? 0));
      } else if (onStack.has(e.target)) low.set(v, Math.min(low.get(v) ?? 0, index.get(e.target) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const selfLoop = (graph.get(v) ?? []).some((e) => !e.typeOnly && e.target === v);
    if (component.length > 1 || selfLoop) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/**
 * The import graph of every .ts file under `dir` (repo-relative paths).
 *
 * @example
 * ```ts
 * importGraph(root, "lib").get("lib/index.ts"); // the entry's imports
 * ```
 */
export function importGraph(root: string, dir: string): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts")) {
        const file = relative(root, p);
        graph.set(file, importsOf(file, readFileSync(p, "utf8")));
      }
    }
  };
  walk(join(root, dir));
  return graph;
}
