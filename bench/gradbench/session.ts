/**
 * The tool's side of the GradBench protocol, one message at a time:
 * `start` -> `{id, tool}`, `define` -> whether the module exists,
 * `evaluate` -> output and timings or `success: false` with an error,
 * anything else (`analysis`, unknown kinds) -> `{id}`. Never throws: every
 * problem becomes an answer.
 */
import { execute } from "./runs.ts";
import { modules } from "./modules/index.ts";

type Message = Record<string, unknown>;

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

function define(id: unknown, msg: Message): object {
  const name = msg.module;
  if (typeof name === "string" && Object.hasOwn(modules, name)) return { id, success: true };
  return { id, success: false, error: `module ${JSON.stringify(name)} is not implemented by this tool` };
}

function evaluate(id: unknown, msg: Message): object {
  const { module: mod, function: fn } = msg;
  if (typeof mod !== "string" || !Object.hasOwn(modules, mod)) {
    return { id, success: false, error: `module ${JSON.stringify(mod)} is not implemented by this tool` };
  }
  const functions = modules[mod]!;
  if (typeof fn !== "string" || !Object.hasOwn(functions, fn)) {
    return { id, success: false, error: `module ${mod} has no function ${JSON.stringify(fn)} (has: ${Object.keys(functions).join(", ")})` };
  }
  try {
    const { output, timings } = execute(functions[fn]!, msg.input);
    const bad = nonFinite(output, "output");
    // JSON has no NaN or Infinity (JSON.stringify writes null): say so instead of answering success with a null.
    if (bad !== null) return { id, success: false, error: `the result is not finite: ${bad.path} is ${bad.value}; JSON cannot carry it`, timings };
    return { id, success: true, output, timings };
  } catch (e) {
    return { id, success: false, error: errorText(e) };
  }
}

/**
 * The first NaN or ±Infinity inside a result (numbers, arrays, typed arrays,
 * plain objects), with its path; null when every number is finite.
 *
 * @example
 * ```ts
 * nonFinite({ x: [1, Infinity] }, "output"); // { path: "output.x[1]", value: Infinity }
 * ```
 */
export function nonFinite(v: unknown, path: string): { path: string; value: number } | null {
  if (typeof v === "number") return Number.isFinite(v) ? null : { path, value: v };
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const xs = v as ArrayLike<unknown>;
    for (let i = 0; i < xs.length; i++) {
      const r = nonFinite(xs[i], `${path}[${i}]`);
      if (r !== null) return r;
    }
    return null;
  }
  if (v !== null && typeof v === "object") {
    for (const [k, e] of Object.entries(v)) {
      const r = nonFinite(e, `${path}.${k}`);
      if (r !== null) return r;
    }
  }
  return null;
}

/**
 * The response to one message (already parsed from JSON).
 *
 * @example
 * ```ts
 * respond({ id: 0, kind: "start" }); // { id: 0, tool: "dualtape" }
 * ```
 */
export function respond(message: unknown): object {
  if (message === null || typeof message !== "object" || Array.isArray(message)) {
    return { id: null, success: false, error: "a message must be a JSON object with an id and a kind" };
  }
  const msg = message as Message;
  const id = msg.id ?? null;
  switch (msg.kind) {
    case "start":
      return { id, tool: "dualtape" };
    case "define":
      return define(id, msg);
    case "evaluate":
      return evaluate(id, msg);
    default:
      return { id };
  }
}

/**
 * The response line to one input line (a line that is not JSON gets an error answer).
 *
 * @example
 * ```ts
 * respondToLine('{"id":1,"kind":"analysis"}'); // '{"id":1}'
 * ```
 */
export function respondToLine(line: string): string {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch (e) {
    return JSON.stringify({ id: null, success: false, error: `the line is not JSON: ${errorText(e)}` });
  }
  let response: object;
  try {
    response = respond(message);
  } catch (e) {
    response = { id: (message as Message)?.id ?? null, success: false, error: errorText(e) };
  }
  return JSON.stringify(response);
}
