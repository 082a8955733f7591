/**
 * `dualtape/esbuild`: an esbuild plugin that precompiles `compile(f, {...})`
 * calls at build time. Each call on dualtape's `compile` is replaced by the
 * generated derivative code, so the bundle neither parses `f` nor calls
 * `new Function` when it runs (it works under a Content Security Policy
 * without 'unsafe-eval'), and module-level number constants used by `f`
 * resolve (the run-time `compile` refuses free variables).
 *
 * Parser: esbuild itself erases the TypeScript types (the `transform` API of
 * the esbuild running the plugin), and acorn, which the run-time compiler
 * already uses, reads the JavaScript. The TypeScript compiler API would add
 * a peer dependency of several megabytes to see types the compiler does not
 * need: argument kinds come from `wrt` and from how f indexes its arguments.
 */
import type { Plugin } from "esbuild";
import * as library from "./index.ts";
import { precompileModule } from "./source/plugin/precompile.ts";

/** Options of the plugin. */
export interface DualtapePluginOptions {
  /** Import specifiers that mean dualtape (default: "dualtape"); a test may add a path. */
  library?: (specifier: string) => boolean;
  /** Files to look at (default: .ts/.tsx/.js/.jsx/.mts/.mjs outside node_modules). */
  filter?: RegExp;
}

/** Node's readFile, typed here so the declarations need no Node types (the library itself is platform neutral). */
async function readText(path: string): Promise<string> {
  const fs = (await import("node:fs/promises" as string)) as { readFile(path: string, encoding: "utf8"): Promise<string> };
  return fs.readFile(path, "utf8");
}

const LOADERS: Record<string, "ts" | "tsx" | "js" | "jsx"> = { ts: "ts", mts: "ts", cts: "ts", tsx: "tsx", js: "js", mjs: "js", cjs: "js", jsx: "jsx" };

/**
 * The plugin.
 *
 * @example
 * ```ts
 * import { build } from "esbuild";
 * import { dualtape } from "dualtape/esbuild";
 * await build({ entryPoints: ["app.ts"], bundle: true, outfile: "app.js", plugins: [dualtape()] });
 * ```
 */
export function dualtape(options: DualtapePluginOptions = {}): Plugin {
  const isLibrary = options.library ?? ((s: string) => s === "dualtape");
  return {
    name: "dualtape",
    setup(build) {
      build.onLoad({ filter: options.filter ?? /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.path.includes("/node_modules/")) return undefined;
        const text = await readText(args.path);
        if (!text.includes("compile")) return undefined;
        const ext = args.path.slice(args.path.lastIndexOf(".") + 1);
        const js = (await build.esbuild.transform(text, { loader: LOADERS[ext] ?? "js", format: "esm", target: "esnext", sourcefile: args.path })).code;
        // The library's exports, read by name against the module scope; their types do not matter here.
        const out = precompileModule(js, args.path, isLibrary, library as unknown as Record<string, unknown>);
        return out === null ? undefined : { contents: out, loader: "js", resolveDir: args.path.slice(0, args.path.lastIndexOf("/")) };
      });
    },
  };
}

export default dualtape;
