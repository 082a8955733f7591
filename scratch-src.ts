import { compile } from "./lib/index.ts";
import { llsqSource } from "./bench/gradbench/modules/llsq.ts";
const E = compile(llsqSource, { wrt: [0] });
console.log(E.source);
