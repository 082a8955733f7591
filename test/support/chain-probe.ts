// Entry point for the chain-memory probes of test/bench/chain-memory.test.ts (bench/modes.ts
// plays this role in `npm run bench`): with probe arguments it measures and prints, otherwise
// (e.g. when a test runner imports it) it does nothing.
import { runProbe } from "../../bench/lib/chain-memory.ts";

runProbe(process.argv);
