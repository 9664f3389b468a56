// Routines saved for offline (static/js/saved-store.js) and keeping them current
// (static/js/sync-check.js), with Cache Storage and the network in memory.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createSavedStore, INDEX, redrawOnChange, SAVED_PREFIX } from "../../static/js/saved-store.js";
import { createSyncCheck } from "../../static/js/sync-check.js";
import { memoryCaches } from "./fakes.js";

const BASE = "https://footing.test/";
const MANIFEST = "/api/v1/routines/heel/offline-manifest";

// The server: an offline manifest per routine and the files it lists.
function server() {
  const routines = new Map();
  const files = new Map();
  const requests = [];
  const down = new Set();
  function publish(slug, { title, version, files: listed }) {
    for (const [url, body] of Object.entries(listed)) files.set(url, body);
    routines.set(slug, {
      slug,
      title,
      version,
      changelog: `v${version}`,
      app_version: "app-1",
      exercises: Object.keys(listed).length - 1,
      total_bytes: Object.values(listed).reduce((sum, body) => sum + body.length, 0),
      files: Object.entries(listed).map(([url, body]) => ({ url, bytes: body.length, kind: "page" })),
    });
  }
  const fetch = async (url) => {
    requests.push(url);
    if (down.has(url)) throw new TypeError("Failed to fetch");
    const manifest = url.match(/^\/api\/v1\/routines\/([^/]+)\/offline-manifest$/);
    if (manifest) {
      const found = routines.get(manifest[1]);
      return found ? new Response(JSON.stringify(found)) : new Response("{}", { status: 404 });
    }
    return files.has(url) ? new Response(files.get(url)) : new Response("missing", { status: 404 });
  };
  return { publish, fetch, requests, down, routines };
}

function storeWith(api, caches = memoryCaches(BASE)) {
  let day = 0;
  const store = createSavedStore({
    caches,
    fetch: api.fetch,
    base: () => BASE,
    now: () => new Date(Date.UTC(2026, 11, 1 + day++)),
    persist: () => undefined,
  });
  return { store, caches };
}

const heel = (version, extra = {}) => ({
  title: "Heel pain: first steps",
  version,
  files: { "/routines/heel/": "<html>routine</html>", "/exercises/calf/": "<html>calf</html>", ...extra },
});

test("saving a routine keeps every listed file in its own cache and records what it is", async () => {
  const api = server();
  api.publish("heel", heel(1, { "/static/calf.webp": "IMAGEDATA" }));
  const { store, caches } = storeWith(api);
  const shares = [];

  const record = await store.save(MANIFEST, (share) => shares.push(share));

  const cache = caches.caches.get(`${SAVED_PREFIX}heel`);
  assert.deepEqual([...cache.entries.keys()].sort(), [
    `${BASE}exercises/calf/`,
    `${BASE}routines/heel/`,
    `${BASE}static/calf.webp`,
  ]);
  assert.equal(await (await cache.match("/static/calf.webp")).text(), "IMAGEDATA");
  assert.equal(record.slug, "heel");
  assert.equal(record.title, "Heel pain: first steps");
  assert.equal(record.version, 1);
  assert.equal(record.url, "/routines/heel/");
  assert.equal(record.bytes, "<html>routine</html><html>calf</html>IMAGEDATA".length);
  assert.equal(record.available, true);
  assert.deepEqual(await store.get("heel"), record);
  // Progress starts at 0, only grows, and ends at 100%.
  assert.equal(shares[0], 0);
  assert.equal(shares.at(-1), 1);
  assert.deepEqual([...shares].sort((a, b) => a - b), shares);
});

test("a refreshed routine drops the files its new version no longer lists", async () => {
  const api = server();
  api.publish("heel", heel(1, { "/exercises/old/": "<html>old</html>" }));
  const { store, caches } = storeWith(api);
  await store.save(MANIFEST);

  api.publish("heel", { ...heel(2), files: { "/routines/heel/": "<html>routine v2</html>" } });
  const record = await store.save(MANIFEST);

  const cache = caches.caches.get(`${SAVED_PREFIX}heel`);
  assert.deepEqual([...cache.entries.keys()], [`${BASE}routines/heel/`]);
  assert.equal(await (await cache.match("/routines/heel/")).text(), "<html>routine v2</html>");
  assert.equal(record.version, 2);
});

test("a file that fails to download fails the save: no record of a half-saved routine", async () => {
  const api = server();
  api.publish("heel", heel(1));
  api.down.add("/exercises/calf/");
  const { store } = storeWith(api);

  await assert.rejects(store.save(MANIFEST), /Failed to fetch/);
  assert.equal(await store.get("heel"), null);
  assert.deepEqual(await store.list(), []);
});

test("a manifest the server refuses fails the save with its status", async () => {
  const api = server();
  const { store } = storeWith(api);
  await assert.rejects(store.save(MANIFEST), /offline manifest: 404/);
});

test("the list is in title order; Remove takes the routine's files and its record", async () => {
  const api = server();
  api.publish("heel", heel(1));
  api.publish("arch", { title: "Arch: strength", version: 3, files: { "/routines/arch/": "a" } });
  const { store, caches } = storeWith(api);
  await store.save(MANIFEST);
  await store.save("/api/v1/routines/arch/offline-manifest");

  assert.deepEqual((await store.list()).map((r) => r.title), ["Arch: strength", "Heel pain: first steps"]);

  await store.remove("heel");
  assert.deepEqual((await store.list()).map((r) => r.slug), ["arch"]);
  assert.equal(caches.caches.has(`${SAVED_PREFIX}heel`), false);
  assert.equal(caches.caches.has(INDEX), true);
});

test("listeners hear every change until they stop listening", async () => {
  const api = server();
  api.publish("heel", heel(1));
  const { store } = storeWith(api);
  let heard = 0;
  const stop = store.onChange(() => heard++);
  await store.save(MANIFEST);
  await store.put({ ...(await store.get("heel")), unseenChanges: [] });
  stop();
  await store.remove("heel");
  assert.equal(heard, 2);
});

// ---- keeping saved routines current --------------------------------------------------

function syncServer(api, answer) {
  const asked = [];
  const fetch = async (url, init) => {
    if (url.startsWith("/api/v1/sync?")) {
      asked.push(new URL(url, BASE).searchParams.getAll("routine"));
      return new Response(JSON.stringify(answer()));
    }
    return api.fetch(url, init);
  };
  return { fetch, asked };
}

function checker(store, fetch, { online = () => true, clock = { now: 0 } } = {}) {
  return createSyncCheck({
    store,
    fetch,
    online,
    now: () => clock.now,
    syncUrl: () => "/api/v1/sync",
  });
}

test("a routine the clinic updated is downloaded again and says what changed until seen", async () => {
  const api = server();
  api.publish("heel", heel(1));
  const { store } = storeWith(api);
  await store.save(MANIFEST);
  api.publish("heel", heel(2));
  const sync = syncServer(api, () => ({
    app_version: "app-1",
    routines: [{ slug: "heel", available: true, updated: true, changes: [{ version: 2, changelog: "Slower lowering" }], offline_manifest: MANIFEST }],
  }));

  await checker(store, sync.fetch)({ force: true });

  assert.deepEqual(sync.asked, [["heel:1"]]);
  const record = await store.get("heel");
  assert.equal(record.version, 2);
  assert.deepEqual(record.unseenChanges, [{ version: 2, changelog: "Slower lowering" }]);
});

test("a prescribed routine is refreshed with no notice of its own: the clinic's says what changed", async () => {
  const api = server();
  api.publish("heel", heel(1));
  const { store } = storeWith(api);
  await store.save(MANIFEST);
  api.publish("heel", heel(2));
  const sync = syncServer(api, () => ({
    app_version: "app-1",
    routines: [{ slug: "heel", available: true, updated: true, changes: [{ version: 2, changelog: "Slower lowering" }], offline_manifest: MANIFEST }],
    updates: [],
    prescribed: ["heel"],
  }));

  await checker(store, sync.fetch)({ force: true });

  const record = await store.get("heel");
  assert.equal(record.version, 2);
  assert.deepEqual(record.unseenChanges, []);
});

test("a routine the clinic withdrew stays on the phone, marked as no longer offered", async () => {
  const api = server();
  api.publish("heel", heel(1));
  const { store } = storeWith(api);
  await store.save(MANIFEST);
  const sync = syncServer(api, () => ({
    app_version: "app-1",
    routines: [{ slug: "heel", available: false, updated: false, changes: [], offline_manifest: null }],
  }));

  await checker(store, sync.fetch)({ force: true });

  const record = await store.get("heel");
  assert.equal(record.available, false);
  assert.equal(record.version, 1);
});

test("a current routine is left alone; a new app version refreshes it without a notice", async () => {
  const api = server();
  api.publish("heel", heel(1));
  const { store } = storeWith(api);
  await store.save(MANIFEST);
  let app = "app-1";
  const sync = syncServer(api, () => ({
    app_version: app,
    routines: [{ slug: "heel", available: true, updated: false, changes: [], offline_manifest: MANIFEST }],
  }));
  const check = checker(store, sync.fetch);

  const before = api.requests.length;
  await check({ force: true });
  assert.equal(api.requests.length, before, "nothing downloaded");

  app = "app-2";
  api.routines.get("heel").app_version = "app-2";
  await check({ force: true });
  assert.equal((await store.get("heel")).appVersion, "app-2");
  assert.deepEqual((await store.get("heel")).unseenChanges, []);
});

test("a refresh that fails keeps the copy the phone has", async () => {
  const api = server();
  api.publish("heel", heel(1));
  const { store } = storeWith(api);
  const saved = await store.save(MANIFEST);
  api.publish("heel", heel(2));
  api.down.add("/exercises/calf/");
  const sync = syncServer(api, () => ({
    app_version: "app-1",
    routines: [{ slug: "heel", available: true, updated: true, changes: [{ version: 2, changelog: "x" }], offline_manifest: MANIFEST }],
  }));

  await checker(store, sync.fetch)({ force: true });

  assert.deepEqual(await store.get("heel"), saved);
});

test("checks happen at most once a minute unless forced, never offline, one at a time", async () => {
  const api = server();
  api.publish("heel", heel(1));
  const { store } = storeWith(api);
  await store.save(MANIFEST);
  const sync = syncServer(api, () => ({ app_version: "app-1", routines: [] }));
  const clock = { now: 0 };
  let online = false;
  const check = checker(store, sync.fetch, { online: () => online, clock });

  await check({ force: true });
  assert.equal(sync.asked.length, 0, "offline: not asked");

  online = true;
  await check();
  clock.now = 59_000;
  await check();
  assert.equal(sync.asked.length, 1, "a second check within the minute is skipped");
  clock.now = 60_000;
  await check();
  assert.equal(sync.asked.length, 2);

  // Asked for while one runs: the same check answers, and a forced one runs right after.
  const first = check({ force: true });
  const second = check({ force: true });
  assert.equal(first, second);
  await first;
  for (const deadline = Date.now() + 2000; sync.asked.length < 4 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  assert.equal(sync.asked.length, 4);
});

test("a view of saved routines redraws on a save, a removal and the network, until stopped", async () => {
  const store = createSavedStore({ caches: memoryCaches(BASE), base: () => BASE, persist: async () => true });
  const target = new EventTarget();
  let draws = 0;
  const stop = redrawOnChange(() => draws++, { store, target });
  assert.equal(draws, 1, "drawn at once");
  await store.put({ slug: "heel", title: "Heel" });
  target.dispatchEvent(new Event("offline"));
  target.dispatchEvent(new Event("online"));
  await store.remove("heel");
  assert.equal(draws, 5);
  stop();
  await store.put({ slug: "heel", title: "Heel" });
  target.dispatchEvent(new Event("online"));
  assert.equal(draws, 5, "nothing after the stop");
});
