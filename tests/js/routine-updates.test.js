// "Your routine was updated" kept for offline (static/js/routine-updates-store.js): shown
// once, told to the server at the next sync, never shown again once seen anywhere.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createUpdatesStore } from "../../static/js/routine-updates-store.js";
import { memoryStore } from "./fakes.js";

const SEEN = "/api/v1/me/routine-updates/seen";

function update(slug, version, changelog = `v${version}`) {
  return { slug, version, changelog, title: slug, url: `/routines/${slug}/`, changes: [] };
}

function phone({ online = true } = {}) {
  const items = memoryStore("slug");
  const told = [];
  const state = { online };
  const fetch = async (url, options) => {
    if (!state.online) throw new TypeError("Failed to fetch");
    assert.equal(url, SEEN);
    assert.equal(options.method, "POST");
    assert.equal(options.headers["X-CSRFToken"], "token");
    told.push(JSON.parse(options.body));
    return new Response(JSON.stringify({ seen: 1 }));
  };
  const updates = createUpdatesStore({ items, fetch, csrf: () => "token", seenUrl: () => SEEN });
  return { items, told, state, updates };
}

test("a notice the sync brought shows once, for its routine or on home", async () => {
  const { updates } = phone();
  await updates.remember([update("heel", 2), update("arch", 4)]);

  assert.deepEqual((await updates.take("heel")).map((u) => u.slug), ["heel"]);
  assert.deepEqual(await updates.take("heel"), []);
  assert.deepEqual((await updates.take(null)).map((u) => u.slug), ["arch"]);
  assert.deepEqual(await updates.take(null), []);
});

test("what was shown offline is told at the next sync, then gone", async () => {
  const { updates, told, state, items } = phone();
  await updates.remember([update("heel", 2)]);
  state.online = false;
  await updates.take("heel");

  // A sync that cannot reach the seen route keeps it, to tell next time.
  await updates.remember([update("heel", 2)]);
  assert.deepEqual(told, []);
  assert.equal((await items.getAll()).length, 1);
  assert.deepEqual(await updates.take("heel"), []); // and does not show it again

  state.online = true;
  await updates.remember([update("heel", 2)]); // the server did not know yet
  assert.deepEqual(told, [{ routine: "heel", version: 2 }]);
  assert.deepEqual(await items.getAll(), []);
  assert.deepEqual(await updates.take(null), []);
});

test("a newer version is news again, even before the older one was told", async () => {
  const { updates, state } = phone({ online: false });
  await updates.remember([update("heel", 2)]);
  await updates.take("heel");

  await updates.remember([update("heel", 3, "Back to three sets")]);

  assert.deepEqual((await updates.take("heel")).map((u) => u.changelog), ["Back to three sets"]);
  state.online = true;
});

test("the server's list replaces the old one; a notice shown online is forgotten", async () => {
  const { updates } = phone();
  await updates.remember([update("heel", 2), update("arch", 4)]);
  await updates.remember([update("arch", 4)]); // heel was seen elsewhere meanwhile
  await updates.forget("arch"); // the server just showed it on this page

  assert.deepEqual(await updates.take(null), []);
});
