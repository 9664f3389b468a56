// The sign-up offer of a stranger's sessions (static/js/keep-sessions.js): which are
// offered, what is sent, and how the outcome reads.
import assert from "node:assert/strict";
import { test } from "node:test";

import { offerTitle, outcomeText, unclaimed, uploadBody } from "../../static/js/keep-sessions.js";

const record = (id, started, anonymous) => ({
  client_id: id,
  routine: "plantar-fasciitis-pain-management",
  version: 1,
  started_at: started,
  ended_at: started,
  exercises: [],
  title: "Calm the pain",
  names: { "towel-scrunches": "Towel scrunches" },
  ...(anonymous === undefined ? {} : { anonymous }),
});

test("only sessions played without an account are offered, oldest first", () => {
  const records = [
    record("b", "2026-11-30T07:00:00Z", true),
    record("a", "2026-11-29T07:00:00Z", true),
    record("c", "2026-11-28T07:00:00Z", false), // a logged-in person's
    record("d", "2026-11-27T07:00:00Z"), // from before the mark existed: not known to be the stranger's
  ];
  assert.deepEqual(
    unclaimed(records).map((r) => r.client_id),
    ["a", "b"],
  );
});

test("the upload is the session log alone, with its own UUID", () => {
  const body = uploadBody(record("a", "2026-11-29T07:00:00Z", true));
  assert.deepEqual(Object.keys(body).sort(), ["client_id", "ended_at", "exercises", "routine", "started_at", "version"]);
  assert.equal(body.client_id, "a");
});

test("the offer and the outcome in plain words", () => {
  assert.equal(offerTitle(1), "Keep the session you did on this phone?");
  assert.equal(offerTitle(3), "Keep the 3 sessions you did on this phone?");
  assert.equal(outcomeText([{ state: "sent" }, { state: "sent" }]), "2 saved to your account.");
  assert.equal(
    outcomeText([{ state: "sent" }, { state: "queued" }]),
    "1 saved to your account, 1 will sync when you have signal.",
  );
});
