import { compile } from "./lib/index.ts";
import * as P from "./bench/source/programs.ts";
const name = process.argv[2] ?? "energy";
const E = compile((P as any)[name], { wrt: [0] });
const s = E.source;
console.log(s.slice(s.indexOf("function sweep")));
