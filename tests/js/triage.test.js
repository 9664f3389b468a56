// Does a red flag stop training today? (static/js/triage-today.js)
import assert from "node:assert/strict";
import { test } from "node:test";

import { latestToday, localDay, outboxAnswers, triageFor } from "../../static/js/triage-today.js";

const TABLE = {
  titles: { emergency: "Get emergency care now", today: "See a doctor today" },
  do: { emergency: "Call your local emergency number now.", today: "Call your doctor this morning." },
  flags: [
    { field: "chest_symptoms", urgency: "emergency", reason: "Chest pain can be a clot." },
    { field: "numbness", urgency: "today", reason: "Numbness can be a nerve." },
    { field: "rest_pain", urgency: "today", reason: "Rest pain can be a bone." },
  ],
};
const CHECKINS = "/api/v1/checkins";

test("the triage uses the server's words, most urgent first, with what to do", () => {
  assert.deepEqual(triageFor(TABLE, ["rest_pain", "chest_symptoms"]), {
    urgency: "emergency",
    title: "Get emergency care now",
    reasons: ["Chest pain can be a clot.", "Rest pain can be a bone."],
    do: "Call your local emergency number now.",
  });
  assert.equal(triageFor(TABLE, ["numbness"]).do, "Call your doctor this morning.");
  assert.equal(triageFor(TABLE, []), null);
});

test("the newest answer for today wins; other days never count", () => {
  const flagged = { date: "2026-12-01", answered_at: "2026-12-01T06:10:00Z", flags: ["numbness"] };
  const changed = { date: "2026-12-01", answered_at: "2026-12-01T06:20:00Z", flags: [] };
  const yesterday = { date: "2026-11-30", answered_at: "2026-11-30T06:00:00Z", flags: ["numbness"] };
  assert.equal(latestToday("2026-12-01", [flagged, null, changed]), changed);
  assert.equal(latestToday("2026-12-01", [changed, flagged].reverse()), changed);
  assert.equal(latestToday("2026-12-01", [yesterday, null]), null);
  assert.equal(latestToday("2026-12-01", [flagged, yesterday]), flagged);
});

test("a check-in waiting in the outbox counts, only the person's own and only check-ins", () => {
  const body = { date: "2026-12-01", answered_at: "2026-12-01T06:00:00Z", red_flags: ["rest_pain"] };
  const items = [
    { url: CHECKINS, method: "POST", owner: "ana", state: "pending", body },
    { url: CHECKINS, method: "POST", owner: "ben", state: "pending", body },
    { url: "/api/v1/sessions", method: "POST", owner: "ana", state: "pending", body },
    { url: CHECKINS, method: "POST", owner: "ana", state: "rejected", body },
  ];
  assert.deepEqual(outboxAnswers(items, { checkinsUrl: CHECKINS, owner: "ana" }), [
    { date: "2026-12-01", answered_at: "2026-12-01T06:00:00Z", flags: ["rest_pain"] },
  ]);
});

test("the phone's day is YYYY-MM-DD in the zone asked for", () => {
  const late = new Date("2026-12-01T23:30:00Z");
  assert.equal(localDay(late, "UTC"), "2026-12-01");
  assert.equal(localDay(late, "Pacific/Auckland"), "2026-12-02");
});

test("the phone's own day (no zone named) is the day Intl gives in the phone's zone", () => {
  // Written with Date's getters, not Intl (whose first use is a long task): the same day for
  // every moment, in zones on both sides of UTC, with and without daylight saving.
  const before = process.env.TZ;
  try {
    for (const zone of ["UTC", "Europe/London", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata", "Pacific/Chatham"]) {
      process.env.TZ = zone; // Node reads it again on assignment
      const intl = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" });
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 3); t += 37 * 60 * 1000) {
        const moment = new Date(t);
        assert.equal(localDay(moment), intl.format(moment), `${zone} ${moment.toISOString()}`);
      }
    }
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
});
