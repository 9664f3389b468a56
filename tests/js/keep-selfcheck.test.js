// The stranger's last self-check result on the phone (static/js/selfcheck-on-phone.js) and
// its offer at sign-up (static/js/keep-selfcheck.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { offerText, uploadBody } from "../../static/js/keep-selfcheck.js";
import { forgetIt, KEY, recalled, record, remember } from "../../static/js/selfcheck-on-phone.js";

function memoryStorage() {
  const map = new Map();
  return {
    map,
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => map.set(key, String(value)),
    removeItem: (key) => map.delete(key),
  };
}

const SAID = { answers: { "heel-pain": "yes", "morning-hobble": "yes" }, pointed_to: "Plantar fasciitis", urgency: "" };

test("only the newest result is kept, each with an id of its own", () => {
  const storage = memoryStorage();
  remember(SAID, storage);
  const first = recalled(storage);
  remember({ ...SAID, pointed_to: "Heel fat pad syndrome" }, storage);
  const second = recalled(storage);

  assert.equal(storage.map.size, 1);
  assert.equal(second.pointed_to, "Heel fat pad syndrome");
  assert.notEqual(first.client_id, second.client_id);
  assert.match(second.client_id, /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(second.taken_at)));
});

test("keeping or log-out leaves nothing; what this module did not write is not offered", () => {
  const storage = memoryStorage();
  remember(SAID, storage);
  forgetIt(storage);
  assert.equal(recalled(storage), null);

  for (const junk of ["not json", "null", "{}", '{"client_id":"x","taken_at":"y"}', "[1,2]"]) {
    storage.setItem(KEY, junk);
    assert.equal(recalled(storage), null, junk);
  }
});

test("the upload is the id, the answers and when: never what the phone said it meant", () => {
  const kept = record(SAID, { now: new Date("2026-11-30T07:55:00Z"), id: "6a1c0c0e-8c51-4d55-9a3b-0c1d2e3f4a5b" });
  assert.deepEqual(uploadBody(kept), {
    client_id: "6a1c0c0e-8c51-4d55-9a3b-0c1d2e3f4a5b",
    answers: SAID.answers,
    taken_at: "2026-11-30T07:55:00.000Z",
  });
});

test("the offer says when, and what it pointed to, in plain words", () => {
  const at = "2026-11-30T07:55:00Z";
  assert.equal(offerText({ ...SAID, taken_at: at }), "On Mon 30 Nov your self-check pointed to Plantar fasciitis.");
  assert.equal(
    offerText({ ...SAID, urgency: "emergency", taken_at: at }),
    "On Mon 30 Nov your self-check found a warning sign that needs a doctor.",
  );
  assert.equal(
    offerText({ ...SAID, pointed_to: "", taken_at: at }),
    "On Mon 30 Nov your self-check did not point clearly to one condition.",
  );
});
