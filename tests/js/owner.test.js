// Who the server has logged in, from its cookie (static/js/outbox.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { currentOwner, madeBy } from "../../static/js/outbox.js";

test("the owner cookie gives the account's id and name", () => {
  const cookie = "csrftoken=abc; footing_owner=12:ann%40example.org; other=1";
  assert.deepEqual(currentOwner(cookie), { id: "12", name: "ann@example.org" });
});

test("no cookie, or a broken one, is nobody", () => {
  for (const cookie of ["", "csrftoken=abc", "footing_owner=", "footing_owner=:x", "xfooting_owner=1:a"]) {
    assert.equal(currentOwner(cookie), null, cookie);
  }
});

test("a name that does not decode still gives the id", () => {
  assert.deepEqual(currentOwner("footing_owner=3:%E0%A4%A"), { id: "3", name: "" });
});

test("an item is made by the owner whose id it carries, never by a namesake", () => {
  const ann = { id: "12", name: "ann" };
  assert.equal(madeBy({ owner: "12", ownerName: "ann" }, ann), true);
  assert.equal(madeBy({ owner: "13", ownerName: "ann" }, ann), false);
  assert.equal(madeBy({ owner: "ann", ownerName: "ann" }, ann), false);
  assert.equal(madeBy({ owner: "12", ownerName: "ann" }, null), false);
  assert.equal(madeBy({ owner: "", ownerName: "" }, { id: "", name: "" }), false);
  // Kept before ids: the name it was made under.
  assert.equal(madeBy({ owner: "ann" }, ann), true);
  assert.equal(madeBy({ owner: "ann" }, { id: "12", username: "ann" }), true);
});
