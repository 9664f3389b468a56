// The offline outbox: writes made on the phone (check-ins, session logs) wait here, in
// IndexedDB, until the server has them; the pages and the service worker share it.
// - Each carries the client's UUID: the server upserts by it, so a second send of the same
//   item (a retry, two tabs, a lost answer) still makes one row.
// - Network errors and 5xx are retried with backoff; another 4xx (the server refused the
//   content) is kept with the server's reason until the runner discards it.
// - Items belong to whoever the server had logged in (its cookie "<id>:<name>",
//   footing/middleware.py); sent only in their session, named on each write.
// createOutbox takes its storage, fetch and clock, for tests/js/outbox.test.js.
import { csrfToken } from "./csrf.js";
import { store } from "./db.js";
import { url } from "./urls.js";

export const OWNER_HEADER = "X-Footing-Owner";

export function currentOwner(cookie = globalThis.document?.cookie ?? "") {
  const value = cookie.match(/(?:^|;\s*)footing_owner=([^;]*)/)?.[1] ?? "";
  const split = value.indexOf(":");
  if (split < 1) return null;
  let name = "";
  try {
    name = decodeURIComponent(value.slice(split + 1));
  } catch {}
  return { id: value.slice(0, split), name };
}

// Items from before owner ids carry the account's name.
export function madeBy(item, owner) {
  if (!owner || !item.owner) return false;
  if (item.ownerName === undefined) return item.owner === (owner.name ?? owner.username);
  return item.owner === String(owner.id);
}

export const SYNC_TAG = "footing-outbox";
const BASE_DELAY_MS = 2000;
const MAX_DELAY_MS = 10 * 60 * 1000;
const NO_CONNECTION = { status: 0, detail: "No connection", field: "" };

// Server trouble, rate limits, an expired log-in or CSRF token: the moment is wrong, not
// the item.
const retryable = (status) => status >= 500 || [401, 403, 408, 429].includes(status);

export function backoff(attempts, random = Math.random) {
  const delay = Math.min(BASE_DELAY_MS * 2 ** attempts, MAX_DELAY_MS);
  return delay / 2 + random() * (delay / 2); // jitter: phones don't retry in step
}

export function createOutbox({
  items = store("outbox"),
  fetch = (...args) => globalThis.fetch(...args),
  meUrl = () => url("me"),
  pageOwner = () => null,
  csrf = () => csrfToken(),
  online = () => globalThis.navigator?.onLine !== false,
  now = () => Date.now(),
  random = Math.random,
  newId = () => crypto.randomUUID(),
  registerSync = () => undefined,
  lock = (run) => run(),
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (timer) => clearTimeout(timer),
} = {}) {
  const listeners = new Set();
  let running = null;
  let timer = null;

  // Asked before replaying: {id, username}; "" for nobody; null offline.
  async function serverOwner() {
    try {
      const response = await fetch(meUrl(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return "";
      const me = await response.json();
      return me.id === undefined ? "" : { id: String(me.id), username: me.username || "" };
    } catch {
      return null;
    }
  }

  async function readError(response) {
    try {
      const data = await response.json();
      return { status: response.status, detail: data.detail || response.statusText, field: data.field || "" };
    } catch {
      return { status: response.status, detail: response.statusText || `Error ${response.status}`, field: "" };
    }
  }

  // One try. Returns {state, data?, error?}; the item in the store is updated to match.
  async function attempt(item) {
    let response;
    try {
      response = await fetch(item.url, {
        method: item.method,
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrf() || item.csrf || "",
          ...(item.ownerName !== undefined ? { [OWNER_HEADER]: item.owner } : {}),
        },
        body: item.body === undefined ? undefined : JSON.stringify(item.body),
      });
    } catch {
      return retryLater(item, NO_CONNECTION);
    }
    if (response.ok) {
      await items.delete(item.id);
      const data = response.status === 204 ? null : await response.json().catch(() => null);
      return { state: "sent", data };
    }
    const error = await readError(response);
    if (retryable(response.status)) {
      if (response.status === 401 || response.status === 403) error.detail = "Log in again to sync this.";
      return retryLater(item, error);
    }
    await items.put({ ...item, state: "rejected", error });
    return { state: "rejected", error };
  }

  async function retryLater(item, error) {
    const attempts = (item.attempts || 0) + 1;
    await items.put({ ...item, state: "pending", attempts, nextAttempt: now() + backoff(attempts, random), error });
    registerSync();
    schedule();
    return { state: "queued", error };
  }

  // Which items go now: those due by their backoff; all when `force` (app start, a tap);
  // when just `reconnected`, also those that waited only for a connection. Server trouble
  // keeps its backoff even then: Background Sync fires the moment it is registered on an
  // online phone, and a server that answered 503 is not asked again at once.
  function replay({ force = false, reconnected = false } = {}) {
    if (running) return running;
    const run = async () => {
      const waiting = (await items.getAll()).filter((item) => item.state === "pending");
      if (!waiting.length) return;
      const owner = await serverOwner();
      if (!owner) return; // offline, or nobody logged in: the items wait
      const at = now();
      const due = waiting
        .filter((item) => madeBy(item, owner))
        .filter(
          (item) =>
            force || !item.nextAttempt || item.nextAttempt <= at || (reconnected && item.error?.status === 0),
        )
        .sort((a, b) => a.created - b.created); // oldest first: the day's latest answer wins
      for (const item of due) {
        const outcome = await attempt(item);
        if (outcome.state === "queued" && outcome.error.status === 0) break; // offline again
      }
    };
    // Two tabs at once would only send a duplicate (upserted); a Web Lock avoids even that.
    running = Promise.resolve(lock(run)).finally(() => {
      running = null;
      schedule();
      changed();
    });
    return running;
  }

  async function schedule() {
    clearTimer(timer);
    const pending = (await items.getAll()).filter((item) => item.state === "pending");
    if (!pending.length) return;
    const next = Math.min(...pending.map((item) => item.nextAttempt || 0));
    timer = setTimer(() => replay(), Math.max(next - now(), 500));
  }

  // Send now if possible, else keep it; stored before the request goes out, so a crash
  // mid-request loses nothing. A refused item is kept and shown unless the caller shows
  // the reason itself (keepRejected: false, the check-in form). -> {state, data?, error?}
  async function deliver({ url: target, body, method = "POST", id, label = "", keepRejected = true }) {
    const owner = pageOwner();
    const item = {
      id: id || body?.client_id || newId(),
      url: target,
      method,
      body,
      label,
      owner: owner?.id ?? "",
      ownerName: owner?.name ?? "",
      csrf: csrf(),
      created: now(),
      attempts: 0,
      nextAttempt: now() + 30_000, // not due for the replay loop while this first try runs
      state: "pending",
    };
    await items.put(item);
    let outcome;
    if (!online()) {
      outcome = await retryLater(item, NO_CONNECTION);
    } else {
      outcome = await attempt(item);
      if (outcome.state === "rejected" && !keepRejected) await items.delete(item.id);
    }
    changed();
    return outcome;
  }

  const send = async (item) => (await deliver(item)).state;

  async function discard(id) {
    await items.delete(id);
    changed();
  }

  async function clearAll() {
    await items.clear();
    changed();
  }

  function changed() {
    for (const listener of listeners) listener();
  }
  const onChange = (listener) => listeners.add(listener);

  return { deliver, send, replay, discard, clearAll, pending: () => items.getAll(), onChange };
}

// The phone's outbox; the service worker only replays.
export const outbox = createOutbox({
  pageOwner: () => currentOwner(),
  registerSync: () => {
    globalThis.navigator?.serviceWorker?.ready
      .then((registration) => registration.sync?.register(SYNC_TAG))
      .catch(() => undefined); // no Background Sync: `online` and app start still replay
  },
  lock: (run) => (globalThis.navigator?.locks ? navigator.locks.request("footing-outbox", run) : run()),
});
