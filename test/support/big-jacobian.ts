/**
 * Child process of test/errors/sizes.test.ts: jacfwd of x => 3x for n
 * inputs (an n x n Jacobian), printed as a checksum. Run with a small
 * --max-old-space-size, it shows that Jacobian rows live off the JS heap.
 */
import { jacfwd, mul, arange, type Tensor } from "../../lib/index.ts";
const n = Number(process.argv[2] ?? 4000);
const J = jacfwd((x: never) => mul(x, 3))(arange(n) as never) as Tensor;
let s = 0; for (let i = 0; i < J.data.length; i++) s += J.data[i]!;
console.log(JSON.stringify({ shape: J.shape, sum: s, diag: J.data[(n - 1) * n + n - 1] }));
