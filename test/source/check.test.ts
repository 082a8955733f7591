/**
 * Every construct outside the accepted language is refused at compile time
 * with a SourceError naming the line, the column, the construct and a fix.
 * Functions are made from exact source text (indirect eval keeps the text
 * that toString returns), so the positions are known.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, SourceError, DualtapeError, sin } from "../../lib/index.ts";

/** A function whose toString() is exactly `text`. */
const fromSource = (text: string): ((...a: never[]) => unknown) => (0, eval)(`(${text})`);

function refused(text: string, message: RegExp, helpers: Record<string, unknown> = {}): SourceError {
  let caught: unknown = null;
  try {
    compile(fromSource(text), { wrt: [0], helpers });
  } catch (e) {
    caught = e;
  }
  assert.instance(caught, SourceError, `expected a SourceError for: ${text}`);
  assert.instance(caught, DualtapeError);
  assert.match((caught as Error).message, /^compile: /);
  assert.match((caught as Error).message, message);
  return caught as SourceError;
}

test("a refusal names line, column and construct: for...in on line 3, column 3", () => {
  const e = refused("function f(x) {\n  let s = 0;\n  for (const k in x) s += x[k];\n  return s;\n}", /line 3, column 3: a for\.\.\.in loop is not in the accepted language/);
  assert.is(e.line, 3);
  assert.is(e.column, 3);
  assert.is(e.construct, "a for...in loop");
});

const cases: [string, string, RegExp, Record<string, unknown>?][] = [
  ["an async function", "async function f(x) { return x; }", /an async or generator function is not in the accepted language/],
  ["a default that is not a number written out", "function f(a, x = a + 1) { return x; }", /the default of 'x' is not a number written out; give the parameter a number as its default \(k = 2\), or pass the value/],
  ["a number default for an array parameter", "function f(x = 1) { return x[0]; }", /the parameter 'x' has a number as its default, and f indexes it; give an array parameter no default/],
  ["a rest parameter", "function f(...x) { return x[0]; }", /this parameter is not a plain name; take each argument as a plain parameter \(a number default is accepted; no rest or destructuring\)/],
  ["var", "function f(x) { var y = x; return y; }", /a var declaration is not in the accepted language; declare with let or const/],
  ["object destructuring of a local", "function f(x) { const y = x * 2; const { a } = y; return a; }", /a destructuring declaration is not in the accepted language; declare one name at a time, or destructure an array/],
  ["k++ where k is read again in the statement", "function f(x) { let k = 0; return x[k++] + x[k]; }", /\+\+ on 'k' inside an expression is not the only use of 'k' in this statement, so the order of its reads and writes would matter; step 'k' in a statement of its own/],
  ["k++ in an if's test", "function f(x) { let k = 0; if (x[k++] > 0) return 1; return x[k]; }", /\+\+\/-- inside this expression is only accepted in assignments, declarations and returns; step the counter in a statement of its own/],
  ["k++ in a statement that calls a function of f", "function f(x) { let k = 0; const g = () => k; return x[k++] * g(); }", /\+\+\/-- inside an expression is in a statement that calls a function declared inside f, which may read the name/],
  ["k++ under ?:", "function f(x, n) { let k = 0; return n > 0 ? x[k++] : 0; }", /\+\+\/-- under &&, \|\| or \?: may not run; step the counter in a statement of its own/],
  ["k++ under &&", "function f(x, n) { let k = 0; return n > 0 && x[k++] > 0 ? 1 : 0; }", /\+\+\/-- under &&, \|\| or \?: may not run/],
  ["++ on an element inside an expression", "function f(x) { let k = 0; return x[x[k]++]; }", /\+\+\/-- on an element inside an expression is not accepted; step the element in a statement of its own/],
  ["++ on a const inside an expression", "function f(x) { const k = 0; return x[k++]; }", /the const 'k' is assigned; declare it with let/],
  ["an object parameter used as a value", "function f(p, q) { return p.a + g(p); }", /the object parameter 'p' is used as a value; read its fields \(p\.field\); pass a field to a helper, not the object/, { g: (v: number) => v }],
  ["an object parameter also indexed", "function f(p) { return p.a + p[0]; }", /'p' is read as an object \(p\.field\) and also indexed or asked its length; pass the array as a parameter of its own/],
  ["a field read as a value and as an object", "function f(p) { return p.a * 2 + p.a.b; }", /p\.a is read as a value, and as an object in p\.a\.b; read it one way/],
  ["an object parameter declared again", "function f(p) { const g = (p) => p * 2; return g(p.a); }", /'p' is declared again inside f, and f reads fields of the parameter of that name; rename one of them/],
  ["destructuring an object parameter in a block", "function f(p) { if (p.a > 0) { const { b } = p; return b; } return 0; }", /destructuring the object parameter 'p' is not at the top level of the function body/],
  ["destructuring an object parameter with let", "function f(p) { let { a } = p; return a; }", /destructuring the object parameter 'p' is declared with let; declare it with const/],
  ["a destructured field assigned", "function f(p) { const { a } = p; a = 2; return a; }", /'a' is destructured from 'p' with const, and assigned; copy it into a let first: let v = p\.a/],
  ["a field assigned beside its destructured name", "function f(p) { const { a } = p; p.a = 3; return a; }", /the field p\.a is assigned, and also read through a name destructured from it/],
  ["a destructured name used before", "function f(p) { const s = a * 2; const { a } = p; return s; }", /'a' is used before it is destructured from 'p'; destructure first/],
  ["a destructured name declared twice", "function f(p) { const { a } = p; const g = (a) => a; return g(a); }", /'a', destructured from 'p', is declared more than once in f; give it a name of its own/],
  ["an array of objects also indexed as numbers", "function f(a) { return a[0].x + a[1]; }", /the array of objects 'a' is used other than as a\[i\]\.field, a\.length, a for\.\.\.of loop or a destructured element; read fields of its elements/],
  ["an array of objects passed to a helper", "function f(a) { return g(a) + a[0].x; }", /the array of objects 'a' is used other than as a\[i\]\.field, a\.length/, { g: (v: number) => v }],
  ["an element of a loop over an array of objects used as a value", "function f(a) { let s = 0; for (const p of a) s += p.x * g(p); return s; }", /the element 'p' of the array of objects 'a' is used other than as p\.field; read its fields \(p\.x\)/, { g: (v: number) => v }],
  ["an element destructured at an index with effects", "function f(a) { let k = 0; const { x, y } = a[k++]; return x * y; }", /the index of this element of 'a' has effects, and destructuring reads it once per field; compute the index into a local first/],
  ["a loop element declared again", "function f(a) { let s = 0; for (const p of a) s += p.x; const g = (p) => p; return g(s); }", /'p', the element of the loop over 'a', is declared more than once in f; give it a name of its own/],
  ["a field of an element read as an array", "function f(a) { return a[0].w[1]; }", /a\[\.\.\.\]\.w read as an array or an object is not accepted \(the fields of an array of objects are numbers\); pass each element's w in an array of its own/],
  ["reduce without an initial value", "function f(x) { return x.reduce((s, v) => s + v); }", /the call of x\.reduce has 1 arguments; pass a function and the initial value: a\.reduce\(\(acc, v\) => \.\.\., 0\)/],
  ["a reduce function that writes a name from outside it", "function f(x) { let t = 0; const s = x.reduce((a, v) => { t = v; return a + v; }, 0); return s + t; }", /the function passed to x\.reduce writes 't', declared outside it; return the value instead, or loop with forEach or for/],
  ["map inside a block", "function f(x) { let s = 0; for (let i = 0; i < 2; i++) { const y = x.map((v) => v * i); s += y[0]; } return s; }", /the call of x\.map is inside a block; make the array with map at the top level of the function body/],
  ["map inside an expression", "function f(x) { return x.map((v) => v)[0]; }", /this member access is not an element or the length/],
  ["map as a value", "function f(x) { let s = 0; s = s + g(x.map((v) => v)); return s; }", /the call of map is inside an expression; declare the array it makes: const b = a\.map/, { g: (v: number) => v }],
  ["forEach as a value", "function f(x) { const s = x.forEach((v) => v); return s; }", /the call of forEach is used as a value; call forEach as a statement of its own/],
  ["another array method", "function f(x) { return x[0] + x.indexOf(1); }", /the array method 'indexOf' is not in the accepted language; use reduce, forEach or map with a function written in place, or a loop/],
  ["a reduce function that is not a function", "function f(x) { const g = 3; return x.reduce(g, 0); }", /the function passed to x\.reduce is neither written in place nor declared inside f; write it in place: x\.reduce\(\(acc, v\) => \.\.\., 0\)/],
  ["reduce in a loop condition", "function f(x) { let s = 0; while (s < x.reduce((a, v) => a + v, 0)) s += 1; return s; }", /the call of reduce is in a loop condition or an index; compute it into a local first/],
  ["a spread of something other than an array name", "function f(x, y) { return Math.max(...[y]) + x[0]; }", /this spread is not of an array name; spread a flat array parameter or local array: Math\.max\(\.\.\.a\)/],
  ["a spread among other arguments", "function f(x, y) { return Math.max(y, ...x); }", /a spread argument is not in the accepted language; pass arguments one by one/],
  ["an element of an array of objects named with let", "function f(a) { let p = a[0]; return p.x; }", /'p', an element of the array of objects 'a', is declared with let; declare it with const/],
  ["a named element used as a value", "function f(a) { const p = a[0]; return g(p) + p.x; }", /the element 'p' of the array of objects 'a' is used other than as p\.field; read its fields \(p\.x\)/, { g: (v: number) => v }],
  ["entries() into one name", "function f(x) { let s = 0; for (const e of x.entries()) s += 1; return s + x[0]; }", /the target of this for\.\.\.of loop is not a pair of names; write for \(const \[i, v\] of a\.entries\(\)\)/],
  ["entries() of a matrix", "function f(w) { let s = 0; for (const [i, r] of w.entries()) s += i; return s + w[0][0]; }", /'w' is not a flat array parameter or local array, whose entries\(\) a for\.\.\.of loop runs over/],
  ["a local object used as a value", "function f(x) { const o = { a: x }; return g(o); }", /the object 'o' is used as a value; read and write its fields \(o\.field\)/, { g: (v: number) => v }],
  ["a field a local object does not have", "function f(x) { const o = { a: x }; return o.b; }", /the field o\.b is not in the object literal of 'o'; give 'o' the field where it is written: \{ b: \.\.\. \}/],
  ["a spread in a local object", "function f(x) { const o = { ...x }; return 1; }", /this part of the object 'o' is not a field written out \(a spread, a computed key, a method or an accessor\); write each field as key: value/],
  ["an array field of a local object destructured", "function f(x) { const o = { w: [x] }; const { w } = o; return w[0]; }", /the array field o\.w is destructured \(a second name for an array\); read it as o\.w\[i\]/],
  ["a local object declared beside another name", "function f(x) { const o = { a: x }, y = 2; return o.a * y; }", /the object 'o' is declared beside other names, or outside a block's statements; declare it in a const statement of its own/],
  ["a function passed where a helper indexes an array", "function f(x) { const g = (v) => v; return h(g); }", /argument 1 of helper 'h' is a function, but the helper indexes it; pass an array there/, { h: (a: number[]) => a[0]! }],
  ["a function passed in and returned as a value", "function f(x) { const g = (v) => v; const k = (fn) => fn; const y = k(g); return y * x; }", /the function 'fn' is used as a value; call it where its value is needed: fn\(\.\.\.\)/],
  ["a copy of an array inside a block", "function f(x) { let s = 0; for (let i = 0; i < 2; i++) { const y = x.slice(); s += y[0]; } return s; }", /the copy 'y' of 'x' is made inside a block; copy the array at the top level of the function body/],
  ["a copy of a number", "function f(x) { const n = x * 2; const y = [...n]; return y[0]; }", /'n' is not a flat array parameter or local array to copy; copy a flat array by name: a\.slice\(\)/],
  ["a rest in destructuring an object parameter", "function f(p) { const { a, ...r } = p; return a; }", /this part of destructuring 'p' is not a plain field/],
  ["a rest element", "function f(x) { const [a, ...r] = x; return a; }", /a rest element, default or nested pattern in a destructuring is not in the accepted language/],
  ["a default in a destructuring", "function f(x) { const [a = 1] = x; return a; }", /a rest element, default or nested pattern in a destructuring/],
  ["destructuring a number", "function f(x) { const y = x * 2; const [a] = y; return a; }", /'y' is not an array name or an array literal to destructure/],
  ["destructuring a matrix", "function f(w) { const [r] = w; return w[0][0]; }", /'w' is not an array name or an array literal to destructure/],

  ["a local array in a loop sized by the counter", "function f(x) { let s = 0; for (let i = 0; i < 2; i++) { const a = new Float64Array(i + 1); s += a[0]; } return s + x; }", /the local array 'a' is created inside a block with a size that may change; give it a size of numbers and parameters the function never assigns/],
  ["a local array in a branch sized by an element", "function f(x) { let s = 0; if (x[0] > 0) { const a = new Float64Array(x[1]); s += a[0]; } return s; }", /the local array 'a' is created inside a block with a size that may change/],
  ["an assigned parameter sizing a local array in a loop", "function f(x, n) { let s = 0; for (let i = 0; i < 2; i++) { const a = new Float64Array(n); s += a[0]; } n = 3; return s + x; }", /the parameter 'n' sizes a local array created in a block, and is assigned; copy it into a local before changing it/],
  ["for...of over a literal", "function f(x) { let s = 0; for (const v of [1, 2]) s += v * x; return s; }", /an array literal here is not an array parameter or local array, which for\.\.\.of loops run over; loop over an array by name/],
  ["for...of over a number", "function f(x) { let s = 0; const m = 3; for (const v of m) s += v; return s + x; }", /'m' is not an array parameter or local array, which for\.\.\.of loops run over/],
  ["for...of onto an existing name", "function f(x) { let s = 0; let v = 0; for (v of x) s += v; return s; }", /the target of this for\.\.\.of loop is not one const or let name; write for \(const v of a\)/],
  ["a matrix's row as a number", "function f(w) { return w[0][1] + w[0]; }", /the row w\[\.\.\.\] of the matrix 'w' is used where a number is expected; read an element \(w\[i\]\[j\]\)/],
  ["assigning a matrix's row", "function f(w) { w[0] = 2; return w[0][0]; }", /the row w\[\.\.\.\] of a matrix is assigned; write its elements/],
  ["a property of a matrix's row", "function f(w) { return w[0][0] * w[0].size; }", /the property \.size is not in the accepted language; only \.length is read from a matrix's rows/],
  ["for...of over a matrix", "function f(w) { let s = 0; for (const r of w) s += 1; return s + w[0][0]; }", /the matrix 'w' has rows, not numbers, for a for\.\.\.of loop; index it/],
  ["a matrix passed where a helper indexes once", "function f(w) { return h(w) + w[0][0]; }", /argument 1 of helper 'h' is a matrix, but the helper indexes it once; pass a matrix where the helper reads m\[i\]\[j\]/, { h: (a: number[]) => a[0]! }],
  ["a parameter a helper indexes twice, read once", "function f(x) { return h(x) + x[0]; }", /the row x\[\.\.\.\] of the matrix 'x' is used where a number is expected/, { h: (m: number[][]) => m[0]![0]! }],
  ["a local array passed where a helper indexes twice", "function f(x) { const a = new Float64Array(2); a[0] = x; return h(a); }", /argument 1 of helper 'h' is not a matrix, but the helper indexes it twice/, { h: (m: number[][]) => m[0]![0]! }],
  ["a Number property that is not a constant", "function f(x) { return x * Number.TAU; }", /Number\.TAU is not a Number constant; use one of EPSILON, MAX_VALUE/],
  ["a Number function other than the tests", "function f(x) { return Number.parseFloat(x); }", /Number\.parseFloat is not in the accepted language; call Number\.isNaN, Number\.isFinite or Number\.isInteger/],
  ["a number test with two arguments", "function f(x) { return isNaN(x, 1) ? 0 : x; }", /the call of isNaN has 2 arguments; pass 1/],
  ["for...of with destructuring", "function f(x) { let s = 0; for (const [a] of x) s += a; return s; }", /the target of this for\.\.\.of loop is not one const or let name/],
  ["new of another class", "function f(x) { const a = new Map(); return x; }", /this new expression is not in the accepted language; create local arrays with new Float64Array\(length\), new Array\(length\)\.fill\(v\) or an array literal/],
  ["a fill of part of an array", "function f(x) { const a = new Array(2).fill(0, 1); return a[0] + x; }", /this fill has 2 arguments; fill the whole array with one value, and write parts of it in a loop/],
  ["a let array", "function f(x) { let a = new Float64Array(2); return x; }", /the local array 'a' is declared with let; declare arrays with const/],
  ["an array alias", "function f(x) { const y = x; return y[0] + x[0]; }", /the array 'x' cannot be given another name/],
  ["a call statement", "function f(x) { Math.sin(x); return x; }", /an expression statement has no effect/],
  ["assigning a free variable", "function f(x) { z = x; return x; }", /the free variable 'z' is assigned/],
  ["reassigning an array", "function f(x) { const a = new Float64Array(2); a = 1; return x[0]; }", /the array .a. is reassigned; write its elements instead/],
  ["assigning a const", "function f(x) { const y = 1; y = x; return y; }", /the const 'y' is assigned; declare it with let/],
  ["a logical assignment", "function f(x) { let y = 1; y ||= 2; return x + y; }", /the operator \|\|= is not in the accepted language; use = and the compound assignments of the arithmetic and bitwise operators/],
  ["a labeled loop", "function f(x) { outer: for (;;) { break outer; } return x; }", /a labeled statement is not in the accepted language/],
  ["return without a value", "function f(x) { if (x > 0) return; return x; }", /a return without a value is not accepted/],
  ["no final return", "function f(x) { if (x > 0) { return x; } }", /the end of the function is reached without a return/],
  ["mixed returns", "function f(x) { if (x > 0) return [x]; return x; }", /returns a different kind of value than the first return/],
  ["returning a parameter", "function f(x) { x[0] = 1; return x; }", /returning the parameter 'x' is not accepted; return a local array/],
  ["a name with $", "function f(x) { const $a = x; return $a; }", /the name '\$a' contains \$/],
  ["a string", "function f(x) { return x + 'a'; }", /the literal 'a' is not a number/],
  ["a free variable", "function f(x) { return x * k; }", /the free variable 'k' is not a parameter, a local or a helper; pass 'k' as an argument/],
  ["an array as a number", "function f(x) { return x[0] + x; }", /the array 'x' is used where a number is expected/],
  ["Math.random", "function f(x) { return x * Math.random(); }", /Math\.random has no counterpart in the op registry/],
  ["Math.foo as a constant", "function f(x) { return x * Math.TAU; }", /Math\.TAU is not a Math constant/],
  ["a property of a local number", "function f(x) { const y = x * 2; return y.value; }", /this member access is not an element or the length/],
  ["a property of an array", "function f(x) { const a = [x]; return a[0] + a.size; }", /the property \.size is not in the accepted language; only \.length/],
  ["in", "function f(x) { return (0 in x) ? 1 : x[0]; }", /the operator in is not in the accepted language; use \+ - \* \/ % \*\*, the bitwise operators and comparisons/],
  ["void", "function f(x) { return void x; }", /the operator void is not in the accepted language; use unary -, \+, ! and ~ only/],
  ["??", "function f(x) { return x ?? 0; }", /the \?\? operator is not in the accepted language/],
  ["typeof", "function f(x) { return typeof x === 'number' ? x : 0; }", /the operator typeof is not in the accepted language/],
  ["a helper that is not a function", "function f(x) { return g(x); }", /the helper .g. is not an elementwise registry op; pass registry ops or plain functions in helpers/, { g: 3 }],
  ["a helper call in a loop condition", "function f(x) { let s = x; while (g(s) < 3) s = s * 2; return s; }", /the call of helper .g. is in a loop condition or an index; compute it into a local first/, { g: (v: number) => v }],
  ["an unknown call", "function f(x) { return g(x); }", /this call is not a Math function or a helper/],
  ["a wrong argument count", "function f(x) { return Math.sin(x, 2); }", /the call of sin has 2 arguments; pass 1/],
  ["try", "function f(x) { try { return x; } catch (e) { return 0; } }", /a try statement is not in the accepted language/],
  ["a case that falls through", "function f(x) { let y = x; switch (x > 0 ? 1 : 2) { case 1: y = y * 2; case 2: y = y + 1; break; } return y; }", /a case that runs on into the next is not accepted; end each case with break, return or continue/],
  ["a break before the end of a case", "function f(x) { let y = x; switch (1) { case 1: if (x > 0) break; y = y * 2; break; } return y; }", /a break before the end of a case is not accepted; end the case with its break/],
  ["a function as an argument", "function f(x) { const g = (y) => y; return Math.max(x, g); }", /the function 'g' is used as a value; call it where its value is needed: g\(\.\.\.\)/],
  ["a function expression as a value", "function f(x) { return [1].map((y) => y * x)[0]; }", /this member access is not an element or the length/],
  ["an arrow function in an expression", "function f(x) { const h = 2 * ((y) => y); return x; }", /a nested function is not in the accepted language/],
  ["assigning a local function", "function f(x) { const g = (y) => y; g = 2; return x; }", /the function 'g' is assigned; declare another function instead/],
  ["a local function that writes an outer name, called inside an expression", "function f(x) { let acc = 0; const bump = (v) => { acc += v; return v; }; acc += bump(x); return acc; }", /the call of function 'bump' writes 'acc', declared outside it, inside an expression; call it as a statement/],
  ["a helper that writes its array argument, called inside an expression", "function f(x) { const a = [x]; const s = a[0] + h(a); return s; }", /the call of helper 'h' writes 'a', declared outside it, inside an expression; call it as a statement/, { h: (b: number[]) => { b[0] = 2 * b[0]!; return 1; } }],
  ["a local function called with too many arguments", "function f(x) { const g = (y) => y * 2; return g(x, 1); }", /the call of function 'g' has 2 arguments; pass 1/],
  ["a recursive local function", "function f(x) { function g(n) { return n < 1 ? 0 : g(n - 1); } return g(x); }", /the call of function 'g' is recursive; write the recursion as a loop/],
  ["a local function called in a loop condition", "function f(x) { const g = (y) => y; let s = x; while (g(s) < 3) s = s * 2; return s; }", /the call of function 'g' is in a loop condition or an index; compute it into a local first/],
  ["an object literal inside an expression", "function f(x) { return g({ a: x }); }", /an object literal is not in the accepted language/, { g: (v: number) => v }],
  ["a template string", "function f(x) { const s = `${x}`; return x; }", /a template string is not in the accepted language/],
  ["an assignment inside an expression", "function f(x) { let y = 0; const z = (y = x) * 2; return z; }", /an assignment inside an expression is not in the accepted language/],
  ["this", "function f(x) { return this.k * x; }", /this member access is not an element or the length/],
];

for (const [what, text, message, helpers] of cases) {
  test(`compile refuses ${what}`, () => {
    refused(text, message, helpers);
  });
}

test("compile refuses text that does not parse, naming acorn's reason", () => {
  const f = Object.assign((x: number) => x, { toString: () => "function (x) { return x +; }" });
  assert.throws(() => compile(f, { wrt: [0] }), (e: unknown) => e instanceof SourceError && /line 1, column 26: the function's text does not parse \(Unexpected token\)/.test((e as Error).message));
});

test("compile refuses a value that is not a function, and a missing wrt", () => {
  assert.throws(() => compile(3 as never, { wrt: [0] }), (e: unknown) => e instanceof DualtapeError && /compile: f is number 3; pass a function/.test((e as Error).message));
  assert.throws(() => compile(((x: number) => x) as never, undefined as never), (e: unknown) => e instanceof DualtapeError && /options\.wrt is missing/.test((e as Error).message));
  assert.throws(() => compile((x: number) => x, { wrt: [0, 0] }), (e: unknown) => e instanceof DualtapeError && /wrt lists argument 0 twice/.test((e as Error).message));
});

test("a registry op passed in helpers is accepted; Math constants read as numbers", () => {
  const C = compile(fromSource("function f(x) { return s(x) * Math.PI; }"), { wrt: [0], helpers: { s: sin } });
  assert.ok(Math.abs((C.grad(0) as number) - Math.PI) < 1e-15);
});

test.run();
