/** The public API the soak patterns use, plus the optimiser-style leaf update. */
export * from "../lib/index.ts";
export { setLeafValue as setLeaf } from "../lib/reverse/variable.ts";
