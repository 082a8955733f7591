#!/usr/bin/env node
// Replays the GradBench golden cases kept in bench/gradbench/cases/ against a tool
// command over the protocol (one JSON message per line on the tool's stdin, one
// response per line on its stdout), the way the GradBench runner drives a tool:
// per eval one fresh process, `start`, `define`, then for each case `evaluate`
// and an `analysis` message carrying the verdict.
//
//   node bench/gradbench/golden.mjs [--evals llsq,lse] [--timeout 600] -- <tool command...>
//
// Verdict per case: the output has the expected structure and every number agrees
// under GradBench's rule |x - y| / max(1, |x| + |y|) <= 1e-4 (hello: within
// 1e-8 + 1e-5 |expected|); every eval but hello must also report `evaluate` timings.
// Prints one line per case and ends with "gradbench: N passed, M failed"; exits 1
// if any case failed. Needs nothing outside the repository.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const casesDir = join(dirname(fileURLToPath(import.meta.url)), "cases");

function parseArgs(argv) {
  const dash = argv.indexOf("--");
  if (dash < 0 || dash === argv.length - 1) {
    process.stderr.write("usage: golden.mjs [--evals a,b] [--timeout seconds] -- <tool command...>\n");
    process.exit(2);
  }
  const flags = new Map();
  for (let i = 0; i < dash; i += 2) flags.set(argv[i], argv[i + 1]);
  return {
    command: argv.slice(dash + 1),
    timeoutMs: 1000 * Number(flags.get("--timeout") ?? 300),
    evals: flags.get("--evals")?.split(",") ?? null,
  };
}

/** Where `actual` departs from `expected`: a list of readable differences (empty when they agree). */
function differences(expected, actual, at = "output") {
  if (typeof expected === "number") {
    if (typeof actual !== "number") return [`${at}: expected a number, got ${JSON.stringify(actual)?.slice(0, 60)}`];
    const gap = Math.abs(expected - actual) / Math.max(1, Math.abs(expected) + Math.abs(actual));
    return gap <= 1e-4 ? [] : [`${at}: expected ${expected}, got ${actual}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array of ${expected.length}`];
    if (actual.length !== expected.length) return [`${at}: expected length ${expected.length}, got ${actual.length}`];
    return expected.flatMap((e, i) => differences(e, actual[i], `${at}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${at}: expected an object`];
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    return keys.flatMap((k) =>
      !(k in actual) ? [`${at}.${k}: missing`] : !(k in expected) ? [`${at}.${k}: not expected`] : differences(expected[k], actual[k], `${at}.${k}`));
  }
  return expected === actual ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)?.slice(0, 60)}`];
}

/** A running tool: `ask(message)` sends one message and resolves with its parsed response. */
class Tool {
  constructor(command, timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.child = spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "inherit"] });
    this.child.stdin.on("error", () => {});
    this.pending = "";
    this.lines = [];
    this.waiter = null;
    this.ended = null;
    this.nextId = 0;
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk) => this.take(chunk));
    this.child.on("exit", (code, signal) => {
      this.ended = `the tool exited (${signal ?? code})`;
      this.wake();
    });
  }

  take(chunk) {
    this.pending += chunk;
    let nl;
    while ((nl = this.pending.indexOf("\n")) >= 0) {
      this.lines.push(this.pending.slice(0, nl));
      this.pending = this.pending.slice(nl + 1);
    }
    this.wake();
  }

  wake() {
    if (this.waiter) this.waiter();
  }

  line() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response within ${this.timeoutMs / 1000} s`)), this.timeoutMs);
      const check = () => {
        if (this.lines.length > 0) {
          clearTimeout(timer);
          this.waiter = null;
          resolve(this.lines.shift());
        } else if (this.ended) {
          clearTimeout(timer);
          this.waiter = null;
          reject(new Error(this.ended));
        }
      };
      this.waiter = check;
      check();
    });
  }

  async ask(message) {
    const id = this.nextId++;
    this.child.stdin.write(`${JSON.stringify({ id, ...message })}\n`);
    const text = await this.line();
    let response;
    try {
      response = JSON.parse(text);
    } catch {
      throw new Error(`the response is not JSON: ${text.slice(0, 100)}`);
    }
    if (response.id !== id) throw new Error(`the response has id ${response.id}, expected ${id}`);
    return response;
  }

  close() {
    return new Promise((resolve) => {
      if (this.ended) return resolve();
      const kill = setTimeout(() => { this.child.kill("SIGKILL"); resolve(); }, 5000);
      this.child.on("exit", () => { clearTimeout(kill); resolve(); });
      this.child.stdin.end();
    });
  }
}

/** Judges one evaluate response: a list of problems (empty when the case passes). */
function judge(evalName, goldenCase, response) {
  if (!response.success) return [`tool error: ${String(response.error).split("\n")[0]}`];
  if (evalName === "hello") {
    const ok = typeof response.output === "number" &&
      Math.abs(response.output - goldenCase.expected) <= 1e-8 + 1e-5 * Math.abs(goldenCase.expected);
    return ok ? [] : [`expected ${goldenCase.expected}, got ${response.output}`];
  }
  const problems = differences(goldenCase.expected, response.output);
  const timed = Array.isArray(response.timings) && response.timings.some((t) => t.name === "evaluate");
  return timed ? problems : [...problems, "no 'evaluate' timings"];
}

async function runEval(evalName, options, tally) {
  const cases = readFileSync(join(casesDir, `${evalName}.jsonl`), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  const tool = new Tool(options.command, options.timeoutMs);
  let judged = 0;
  try {
    await tool.ask({ kind: "start", eval: evalName });
    const defined = await tool.ask({ kind: "define", module: cases[0].module });
    if (!defined.success) throw new Error(`define failed: ${defined.error ?? "no reason given"}`);
    for (const c of cases) {
      const label = `${evalName} ${c.function} ${c.description ?? ""}`.trim();
      const response = await tool.ask({ kind: "evaluate", module: c.module, function: c.function, input: c.input, description: c.description });
      judged++;
      const problems = judge(evalName, c, response);
      if (problems.length === 0) tally.passed++;
      else tally.failed++;
      console.log(problems.length === 0 ? `ok   ${label}` : `FAIL ${label}: ${problems.length} problem(s); first: ${problems[0]}`);
      if (response.success) await tool.ask({ kind: "analysis", of: response.id, valid: problems.length === 0, ...(problems.length ? { error: problems.join("\n") } : {}) });
    }
  } catch (e) {
    tally.failed += cases.length - judged;
    console.log(`FAIL ${evalName}: ${e.message} (${cases.length - judged} case(s) not judged)`);
  } finally {
    await tool.close();
  }
}

const options = parseArgs(process.argv.slice(2));
const evals = readdirSync(casesDir).filter((f) => f.endsWith(".jsonl")).map((f) => f.slice(0, -".jsonl".length))
  .filter((e) => options.evals === null || options.evals.includes(e)).sort();
const tally = { passed: 0, failed: 0 };
for (const e of evals) await runEval(e, options, tally);
console.log(`gradbench: ${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed === 0 ? 0 : 1);
