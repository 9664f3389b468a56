// The offline outbox (static/js/outbox.js) with its storage and fetch in memory.
import assert from "node:assert/strict";
import { test } from "node:test";

import { backoff, createOutbox } from "../../static/js/outbox.js";
import { memoryStore } from "./fakes.js";

const ME = "/api/v1/me";
const CHECKINS = "/api/v1/checkins";

// The accounts of the tests, as the server knows them ({id, username}) and as the
// owner cookie gives them to the page ({id, name}).
const ACCOUNTS = { ana: 7, ben: 8 };
const asOwner = (username) => (username ? { id: String(ACCOUNTS[username]), name: username } : null);

// A server: who is logged in, and how it answers each write (a function of the request).
function server({ username = "ana", answer = () => json(201, { ok: true }) } = {}) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    calls.push({ url, ...init });
    if (url === ME) {
      if (username === null) throw new TypeError("Failed to fetch");
      if (username === "") return json(401, { detail: "Not logged in" });
      return json(200, { id: ACCOUNTS[username], username });
    }
    return answer({ url, ...init, body: init.body && JSON.parse(init.body) });
  };
  return { fetch, calls, writes: () => calls.filter((c) => c.url !== ME) };
}

function json(status, body) {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

function outboxWith({ items = memoryStore("id"), fetch, owner = "ana", online = true, clock = { now: 1000 } }) {
  let ids = 0;
  return createOutbox({
    items,
    fetch,
    meUrl: () => ME,
    pageOwner: () => asOwner(owner),
    csrf: () => "token-1",
    online: () => online,
    now: () => clock.now,
    random: () => 0.5,
    newId: () => `id-${++ids}`,
    setTimer: () => 0,
    clearTimer: () => undefined,
  });
}

const checkin = (id, extra = {}) => ({ url: CHECKINS, body: { client_id: id, first_step_pain: 3 }, ...extra });

test("a write sent online reaches the server once and leaves nothing behind", async () => {
  const items = memoryStore("id");
  const api = server({ answer: ({ body }) => json(201, { date: "2026-12-01", id: body.client_id }) });
  const outbox = outboxWith({ items, fetch: api.fetch });

  const outcome = await outbox.deliver(checkin("c-1"));

  assert.equal(outcome.state, "sent");
  assert.deepEqual(outcome.data, { date: "2026-12-01", id: "c-1" });
  const [write] = api.writes();
  assert.equal(write.method, "POST");
  assert.equal(write.headers["X-CSRFToken"], "token-1");
  assert.equal(write.headers["Content-Type"], "application/json");
  assert.deepEqual(JSON.parse(write.body), { client_id: "c-1", first_step_pain: 3 });
  assert.equal(items.map.size, 0);
});

test("an item is stored before its request goes out, keyed by the client's UUID", async () => {
  const items = memoryStore("id");
  let seen = null;
  const api = server({
    answer: () => {
      seen = [...items.map.values()];
      return json(201, {});
    },
  });
  await outboxWith({ items, fetch: api.fetch }).deliver(checkin("c-9", { label: "Check-in" }));

  assert.equal(seen.length, 1);
  assert.equal(seen[0].id, "c-9");
  assert.equal(seen[0].owner, "7");
  assert.equal(seen[0].ownerName, "ana");
  assert.equal(seen[0].label, "Check-in");
});

test("offline, a write is kept without a request and waits for a connection", async () => {
  const items = memoryStore("id");
  const api = server();
  const outbox = outboxWith({ items, fetch: api.fetch, online: false });

  const outcome = await outbox.deliver(checkin("c-1"));

  assert.equal(outcome.state, "queued");
  assert.equal(api.calls.length, 0);
  const [kept] = items.map.values();
  assert.equal(kept.state, "pending");
  assert.equal(kept.attempts, 1);
  assert.equal(kept.error.status, 0);
});

test("a dropped connection, server trouble, an expired log-in or a rate limit keep the item for a retry", async () => {
  for (const status of [0, 500, 502, 503, 401, 403, 408, 429]) {
    const items = memoryStore("id");
    const api = server({
      answer: () => {
        if (status === 0) throw new TypeError("Failed to fetch");
        return json(status, { detail: "Not now" });
      },
    });
    const outcome = await outboxWith({ items, fetch: api.fetch }).deliver(checkin("c-1"));

    assert.equal(outcome.state, "queued", `status ${status}`);
    const [kept] = items.map.values();
    assert.equal(kept.state, "pending", `status ${status}`);
    assert.equal(kept.error.status, status);
    if (status === 401 || status === 403) assert.equal(kept.error.detail, "Log in again to sync this.");
  }
});

test("a write the server refuses is kept with its reason and field until discarded", async () => {
  const items = memoryStore("id");
  const api = server({ answer: () => json(422, { detail: "Too far for one run.", field: "distance_km" }) });
  const outbox = outboxWith({ items, fetch: api.fetch });

  const outcome = await outbox.deliver(checkin("c-1"));

  assert.equal(outcome.state, "rejected");
  assert.deepEqual(outcome.error, { status: 422, detail: "Too far for one run.", field: "distance_km" });
  const [kept] = items.map.values();
  assert.equal(kept.state, "rejected");
  // Refused content is not retried: replays leave it alone.
  await outbox.replay({ force: true });
  assert.equal(api.writes().length, 1);
  await outbox.discard("c-1");
  assert.equal(items.map.size, 0);
});

test("a refused write the form shows itself is not kept (keepRejected: false)", async () => {
  const items = memoryStore("id");
  const api = server({ answer: () => json(400, { detail: "Bad date", field: "date" }) });

  const outcome = await outboxWith({ items, fetch: api.fetch }).deliver(checkin("c-1", { keepRejected: false }));

  assert.equal(outcome.state, "rejected");
  assert.equal(items.map.size, 0);
});

test("backoff doubles from 2 s with jitter in its upper half and stops at 10 minutes", () => {
  for (let attempts = 0; attempts < 20; attempts++) {
    const full = Math.min(2000 * 2 ** attempts, 600_000);
    assert.equal(backoff(attempts, () => 0), full / 2);
    assert.equal(backoff(attempts, () => 0.999999) <= full, true);
    assert.equal(backoff(attempts, () => 0.999999) > full * 0.99, true);
  }
});

test("a retry waits for its backoff, unless forced, or the phone just reconnected after no connection", async () => {
  const clock = { now: 1000 };
  const items = memoryStore("id");
  let down = true;
  const api = server({
    answer: () => {
      if (down) throw new TypeError("Failed to fetch");
      return json(201, {});
    },
  });
  const outbox = outboxWith({ items, fetch: api.fetch, clock });
  await outbox.deliver(checkin("c-1"));
  const [kept] = items.map.values();
  assert.equal(kept.nextAttempt, 1000 + backoff(1, () => 0.5));

  down = false;
  await outbox.replay();
  assert.equal(api.writes().length, 1, "not due yet: not sent");
  await outbox.replay({ reconnected: true });
  assert.equal(api.writes().length, 2, "waited only for a connection: sent on reconnect");
  assert.equal(items.map.size, 0);
});

test("server trouble keeps its backoff even when the phone reconnects; a due or forced replay sends it", async () => {
  const clock = { now: 1000 };
  const items = memoryStore("id");
  let status = 503;
  const api = server({ answer: () => json(status, { detail: "Down" }) });
  const outbox = outboxWith({ items, fetch: api.fetch, clock });
  await outbox.deliver(checkin("c-1"));

  await outbox.replay({ reconnected: true });
  assert.equal(api.writes().length, 1);

  status = 201;
  clock.now = [...items.map.values()][0].nextAttempt;
  await outbox.replay();
  assert.equal(api.writes().length, 2);
  assert.equal(items.map.size, 0);
});

test("each attempt's backoff grows with the attempts", async () => {
  const clock = { now: 0 };
  const items = memoryStore("id");
  const api = server({ answer: () => json(503, {}) });
  const outbox = outboxWith({ items, fetch: api.fetch, clock });
  await outbox.deliver(checkin("c-1"));
  const waits = [];
  for (let i = 0; i < 6; i++) {
    const item = [...items.map.values()][0];
    waits.push(item.nextAttempt - clock.now);
    clock.now = item.nextAttempt;
    await outbox.replay();
  }
  assert.deepEqual(waits, [1, 2, 3, 4, 5, 6].map((attempts) => backoff(attempts, () => 0.5)));
});

test("a replay sends only the logged-in person's items; nobody logged in, or offline, sends none", async () => {
  const items = memoryStore("id");
  const offline = server();
  const ana = outboxWith({ items, fetch: offline.fetch, owner: "ana", online: false });
  const ben = outboxWith({ items, fetch: offline.fetch, owner: "ben", online: false });
  await ana.deliver(checkin("a-1"));
  await ben.deliver(checkin("b-1"));

  for (const username of ["", null]) {
    const nobody = server({ username });
    await outboxWith({ items, fetch: nobody.fetch }).replay({ force: true });
    assert.equal(nobody.writes().length, 0);
  }

  const asBen = server({ username: "ben" });
  await outboxWith({ items, fetch: asBen.fetch, owner: "ana" }).replay({ force: true });
  assert.deepEqual(asBen.writes().map((w) => JSON.parse(w.body).client_id), ["b-1"]);
  assert.deepEqual([...items.map.keys()], ["a-1"]);
});

test("replays running at once send each item once; a sent item is never sent again", async () => {
  const items = memoryStore("id");
  const offline = server();
  const queue = outboxWith({ items, fetch: offline.fetch, online: false });
  for (const id of ["c-1", "c-2", "c-3"]) await queue.deliver(checkin(id));

  const api = server();
  const outbox = outboxWith({ items, fetch: api.fetch });
  const first = outbox.replay({ force: true });
  const second = outbox.replay({ force: true });
  assert.equal(first, second);
  await Promise.all([first, second]);
  await outbox.replay({ force: true });

  assert.deepEqual(
    api.writes().map((w) => JSON.parse(w.body).client_id),
    ["c-1", "c-2", "c-3"],
  );
  assert.equal(items.map.size, 0);
});

test("a replay goes oldest first and stops when the connection drops again", async () => {
  const clock = { now: 0 };
  const items = memoryStore("id");
  const queue = outboxWith({ items, fetch: server().fetch, online: false, clock });
  for (const id of ["late", "early", "middle"]) {
    clock.now = { early: 1, middle: 2, late: 3 }[id];
    await queue.deliver(checkin(id));
  }
  let sent = 0;
  const api = server({
    answer: () => {
      if (++sent > 1) throw new TypeError("Failed to fetch");
      return json(201, {});
    },
  });
  await outboxWith({ items, fetch: api.fetch, clock }).replay({ force: true });

  assert.deepEqual(
    api.writes().map((w) => JSON.parse(w.body).client_id),
    ["early", "middle"],
  );
  assert.deepEqual([...items.map.keys()].sort(), ["late", "middle"]);
});

test("property: whatever the network does, every write is sent successfully at most once and never lost", async () => {
  let seed = 20261201;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let run = 0; run < 40; run++) {
    const clock = { now: 0 };
    const items = memoryStore("id");
    const accepted = new Map(); // id -> successful POSTs
    const refused = new Set();
    const api = server({
      answer: ({ body }) => {
        const roll = random();
        if (roll < 0.25) throw new TypeError("Failed to fetch");
        if (roll < 0.45) return json(503, { detail: "Down" });
        if (roll < 0.5 && !accepted.has(body.client_id)) {
          refused.add(body.client_id);
          return json(422, { detail: "No", field: "first_step_pain" });
        }
        accepted.set(body.client_id, (accepted.get(body.client_id) || 0) + 1);
        return json(201, {});
      },
    });
    const outbox = outboxWith({ items, fetch: api.fetch, clock, online: random() > 0.3 });
    const ids = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => `r${run}-${i}`);
    for (const id of ids) await outbox.deliver(checkin(id));
    for (let step = 0; step < 30; step++) {
      clock.now += 700_000; // every backoff is due
      await outbox.replay({ force: random() < 0.3, reconnected: random() < 0.3 });
    }

    for (const id of ids) {
      const kept = items.map.get(id);
      const times = accepted.get(id) || 0;
      assert.ok(times <= 1, `${id} accepted ${times} times`);
      assert.ok((times === 1) !== Boolean(kept), `${id}: sent once or kept, never both, never neither`);
      if (kept) assert.ok(refused.has(id) && kept.state === "rejected", `${id} kept: only when refused`);
    }
  }
});

test("listeners hear about every change", async () => {
  let changes = 0;
  const outbox = outboxWith({ fetch: server().fetch, online: false });
  outbox.onChange(() => changes++);
  await outbox.deliver(checkin("c-1"));
  await outbox.discard("c-1");
  await outbox.clearAll();
  assert.equal(changes, 3);
});

test("each write names its owner, so the server can refuse it under anyone else's session", async () => {
  const api = server();
  await outboxWith({ fetch: api.fetch }).deliver(checkin("c-1"));
  assert.equal(api.writes()[0].headers["X-Footing-Owner"], "7");
});

test("a refusal for another account keeps the item for its owner", async () => {
  const items = memoryStore("id");
  const offline = server();
  await outboxWith({ items, fetch: offline.fetch, online: false }).deliver(checkin("a-1"));
  // The server says this session is not the item's owner (a log-in in another tab).
  const refusing = server({ answer: () => json(403, { detail: "saved by another account" }) });
  await outboxWith({ items, fetch: refusing.fetch }).replay({ force: true });

  const [kept] = [...items.map.values()];
  assert.equal(kept.state, "pending");
  assert.equal(kept.owner, "7");
});

test("items kept before owners had ids still go to the account named on them", async () => {
  const items = memoryStore("id");
  await items.put({ id: "old-1", url: CHECKINS, method: "POST", body: { client_id: "old-1" },
    owner: "ana", created: 1, attempts: 0, state: "pending" });
  const asBen = server({ username: "ben" });
  await outboxWith({ items, fetch: asBen.fetch }).replay({ force: true });
  assert.equal(asBen.writes().length, 0);

  const asAna = server({ username: "ana" });
  await outboxWith({ items, fetch: asAna.fetch }).replay({ force: true });
  assert.deepEqual(asAna.writes().map((w) => JSON.parse(w.body).client_id), ["old-1"]);
  assert.equal(asAna.writes()[0].headers["X-Footing-Owner"], undefined);
});
