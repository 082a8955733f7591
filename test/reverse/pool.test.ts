import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tape, Var } from "../../lib/index.ts";
import { acquireTape, releaseTape, withTape } from "../../lib/reverse/pool.ts";

/** Empties the pool (at most 8 tapes are kept), returning what it took. */
function drain(): Tape[] {
  const taken: Tape[] = [];
  for (let k = 0; k < 20; k++) taken.push(acquireTape());
  return taken;
}

test("acquireTape() gives an empty tape at a level above every earlier one", () => {
  const a = acquireTape();
  const b = acquireTape();
  assert.instance(a, Tape);
  assert.is(a.length, 0);
  assert.ok(b.level > a.level);
  releaseTape(b);
  releaseTape(a);
});

test("releaseTape clears the tape (new generation) and the next acquire reuses it at a fresh level", () => {
  drain();
  const t = acquireTape();
  const x = new Var(2, t, -1, -1, true);
  t.registerLeaf(x);
  const gen = t.gen;
  const level = t.level;
  releaseTape(t);
  assert.is(t.length, 0);
  assert.is(t.gen, gen + 1);
  const again = acquireTape();
  assert.is(again, t);
  assert.ok(again.level > level, "a reused tape never shares a level with its earlier use");
  releaseTape(again);
});

test("the pool keeps at most 8 tapes", () => {
  drain();
  const mine = Array.from({ length: 10 }, () => acquireTape());
  for (const t of mine) releaseTape(t);
  const back = Array.from({ length: 9 }, () => acquireTape());
  const reused = back.filter((t) => mine.includes(t));
  assert.is(reused.length, 8);
  assert.not.ok(mine.includes(back[8]!));
  for (const t of back) releaseTape(t);
});

test("a tape grown past 2^20 entries gives its arrays back when released to the pool", () => {
  drain();
  const big = acquireTape();
  const leaf = new Var(1, big, -1, -1, true);
  big.registerLeaf(leaf);
  for (let i = 0; i < (1 << 20) + 1; i++) big.push1(0, 0, 1);
  assert.ok(big.capacity > 1 << 20);
  releaseTape(big);
  assert.ok(big.capacity <= 1024, `capacity ${big.capacity}`);
});

test("withTape(fn) returns fn's result and releases the tape", () => {
  let seen: Tape | null = null;
  const r = withTape("grad", (t) => {
    seen = t;
    t.registerLeaf(new Var(1, t, -1, -1, true));
    return t.length;
  });
  assert.is(r, 1);
  assert.is(seen!.length, 0);
});

test("withTape releases the tape when fn throws, and rethrows", () => {
  let seen: Tape | null = null;
  assert.throws(() =>
    withTape("grad", (t) => {
      seen = t;
      t.registerLeaf(new Var(1, t, -1, -1, true));
      throw new SyntaxError("boom");
    }), SyntaxError);
  assert.is(seen!.length, 0);
  assert.is(acquireTape(), seen);
  releaseTape(seen!);
});

test.run();
