import { test } from "uvu";
import * as assert from "uvu/assert";
import { Tag, withTag } from "../../lib/forward/tag.ts";

test("new Tag(api) is active, names its api, and takes a level above every earlier tag", () => {
  const a = new Tag("jvp");
  const b = new Tag("derivative");
  assert.is(a.api, "jvp");
  assert.ok(a.active);
  assert.ok(b.level > a.level);
});

test("withTag(api, fn) returns fn's result and closes the tag afterwards", () => {
  let seen: Tag | null = null;
  const r = withTag("jacfwd", (tag) => {
    seen = tag;
    assert.ok(tag.active);
    assert.is(tag.api, "jacfwd");
    return 42;
  });
  assert.is(r, 42);
  assert.is(seen!.active, false);
});

test("withTag closes the tag even when fn throws, and rethrows", () => {
  let seen: Tag | null = null;
  assert.throws(() =>
    withTag("jvp", (tag) => {
      seen = tag;
      throw new RangeError("boom");
    }), RangeError);
  assert.is(seen!.active, false);
});

test("nested withTag calls get increasing levels and close innermost first", () => {
  const order: string[] = [];
  withTag("outer", (outer) => {
    withTag("inner", (inner) => {
      assert.ok(inner.level > outer.level);
      order.push("inner body");
    });
    assert.ok(outer.active, "outer still open after inner closes");
    order.push("outer body");
  });
  assert.equal(order, ["inner body", "outer body"]);
});

test.run();
