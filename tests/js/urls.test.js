// The server's URL table as the JavaScript reads it (static/js/urls.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { configureUrls, url } from "../../static/js/urls.js";

test("a page's table is read from #footing-urls, once", () => {
  let reads = 0;
  globalThis.document = {
    getElementById: (id) => {
      reads++;
      assert.equal(id, "footing-urls");
      return { textContent: JSON.stringify({ me: "/api/v1/me", sync: "/api/v1/sync" }) };
    },
  };
  try {
    assert.equal(url("me"), "/api/v1/me");
    assert.equal(url("sync"), "/api/v1/sync");
    assert.equal(reads, 1);
  } finally {
    delete globalThis.document;
  }
});

test("parts are filled in and encoded", () => {
  configureUrls({
    offlineManifest: "/api/v1/routines/{slug}/offline-manifest",
    checkinResult: "/checkin/{day}/",
  });
  assert.equal(url("offlineManifest", { slug: "heel-raise" }), "/api/v1/routines/heel-raise/offline-manifest");
  assert.equal(url("offlineManifest", { slug: "a b/c?" }), "/api/v1/routines/a%20b%2Fc%3F/offline-manifest");
  assert.equal(url("checkinResult", { day: "2026-12-01" }), "/checkin/2026-12-01/");
});

test("an unknown name or a missing part is an error, not a wrong URL", () => {
  configureUrls({ offlineManifest: "/api/v1/routines/{slug}/offline-manifest" });
  assert.throws(() => url("nope"), /No URL named "nope"/);
  assert.throws(() => url("offlineManifest"), /needs a slug/);
});

test("the table handed over is copied: changing the original changes nothing", () => {
  const table = { me: "/api/v1/me" };
  configureUrls(table);
  table.me = "/elsewhere";
  assert.equal(url("me"), "/api/v1/me");
});

test("a page without the table says so", () => {
  globalThis.document = { getElementById: () => null };
  return import(`../../static/js/urls.js?fresh=${Date.now()}`)
    .then((fresh) => assert.throws(() => fresh.url("me"), /no #footing-urls/))
    .finally(() => delete globalThis.document);
});
