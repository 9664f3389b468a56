// Footing's offline outbox: writes made on the phone (check-ins, session logs) wait here,
// in IndexedDB, until the server has them. One small module shared by every page.
//
// - Each write carries the client's UUID; the server upserts by it, so sending the same
//   item twice (a retry, two tabs, a replay after a lost answer) still makes one row.
// - Replayed on `online`, on app start, when the app comes back to the foreground, and
//   through Background Sync where the browser has it.
// - Network errors and 5xx: kept, retried with exponential backoff.
// - 4xx (the server refused the content): kept, marked, and shown with the server's
//   reason, until the runner discards it. Nothing is dropped silently.
// - Items belong to the account that made them: after a log-out, or with someone else
//   logged in on the same phone, they wait for their owner.
//
// In a page: window.FootingOutbox. The module touches no DOM at load time, so a service
// worker can importScripts() it too and call self.FootingOutbox.replay() from `sync`.
"use strict";

(() => {
  const scope = typeof window !== "undefined" ? window : self;
  const DB_NAME = "footing-outbox";
  const STORE = "items";
  const ME_URL = "/api/v1/me";
  const SYNC_TAG = "footing-outbox";
  const BASE_DELAY_MS = 2000;
  const MAX_DELAY_MS = 10 * 60 * 1000;

  // ---- storage ---------------------------------------------------------------------
  let dbPromise = null;
  function db() {
    dbPromise ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return dbPromise;
  }

  async function tx(name, mode, action) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(name, mode);
      const request = action(transaction.objectStore(name));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const put = (item) => tx(STORE, "readwrite", (s) => s.put(item));
  const remove = (id) => tx(STORE, "readwrite", (s) => s.delete(id));
  const all = () => tx(STORE, "readonly", (s) => s.getAll());

  // ---- who is logged in ------------------------------------------------------------
  // New items are stamped with the account the page shows (data-user on the top bar's
  // badge). Before replaying, the server itself is asked: a page from the phone's cache
  // may show someone who has since logged out.
  function pageOwner() {
    if (typeof document === "undefined") return "";
    return document.querySelector("[data-outbox-count]")?.dataset.user || "";
  }

  async function serverOwner() {
    try {
      const response = await fetch(ME_URL, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return "";
      return (await response.json()).username || "";
    } catch {
      return null; // no connection
    }
  }

  function csrfToken() {
    if (typeof document === "undefined") return "";
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // ---- sending ---------------------------------------------------------------------
  function backoff(attempts) {
    const delay = Math.min(BASE_DELAY_MS * 2 ** attempts, MAX_DELAY_MS);
    return delay / 2 + Math.random() * (delay / 2); // jitter: phones don't retry in step
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
    const token = csrfToken() || item.csrf || "";
    let response;
    try {
      response = await fetch(item.url, {
        method: item.method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
        body: item.body === undefined ? undefined : JSON.stringify(item.body),
      });
    } catch {
      return retryLater(item, { status: 0, detail: "No connection", field: "" });
    }
    if (response.ok) {
      await remove(item.id);
      const data = response.status === 204 ? null : await response.json().catch(() => null);
      return { state: "sent", data };
    }
    const error = await readError(response);
    // Server trouble, rate limits, an expired log-in or CSRF token: the item is fine,
    // the moment is not. Anything else is the server saying no to the content itself.
    if (response.status >= 500 || [401, 403, 408, 429].includes(response.status)) {
      if (response.status === 401 || response.status === 403) {
        error.detail = "Log in again to sync this.";
      }
      return retryLater(item, error);
    }
    await put({ ...item, state: "rejected", error });
    return { state: "rejected", error };
  }

  async function retryLater(item, error) {
    const attempts = (item.attempts || 0) + 1;
    await put({ ...item, state: "pending", attempts, nextAttempt: Date.now() + backoff(attempts), error });
    registerSync();
    schedule();
    return { state: "queued", error };
  }

  function registerSync() {
    if (typeof navigator === "undefined" || !navigator.serviceWorker) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync?.register(SYNC_TAG))
      .catch(() => {}); // no Background Sync here: `online` and app start still replay
  }

  // ---- replay ----------------------------------------------------------------------
  let running = null;
  let timer = null;

  // Which waiting items go now: those due by their backoff; all of them when `force`
  // (the app opening, a person's tap); and, when the phone has just `reconnected`, those
  // that waited only for a connection. Server trouble keeps its backoff even then:
  // Background Sync fires the moment it is registered on a phone that is online, and a
  // server answering 503 should not be asked again at once.
  async function replay({ force = false, reconnected = false } = {}) {
    if (running) return running;
    const run = async () => {
      const waiting = (await all()).filter((item) => item.state === "pending");
      if (!waiting.length) return;
      const owner = await serverOwner();
      if (!owner) return; // offline, or nobody logged in: the items wait
      const now = Date.now();
      const due = waiting
        .filter((item) => item.state === "pending" && item.owner === owner)
        .filter((item) => force || !item.nextAttempt || item.nextAttempt <= now
          || (reconnected && item.error?.status === 0))
        .sort((a, b) => a.created - b.created); // oldest first: the day's latest answer wins
      for (const item of due) {
        const outcome = await attempt(item);
        if (outcome.state === "queued" && outcome.error.status === 0) break; // offline again
      }
    };
    // Two tabs replaying at once would only cost a duplicate request (the server upserts),
    // but a Web Lock avoids even that where the browser has one.
    const locked = typeof navigator !== "undefined" && navigator.locks
      ? navigator.locks.request("footing-outbox", run)
      : run();
    running = locked.finally(() => {
      running = null;
      schedule();
      notify();
    });
    return running;
  }

  async function schedule() {
    if (typeof setTimeout === "undefined") return;
    clearTimeout(timer);
    const pending = (await all()).filter((item) => item.state === "pending");
    if (!pending.length) return;
    const next = Math.min(...pending.map((item) => item.nextAttempt || 0));
    timer = setTimeout(() => replay(), Math.max(next - Date.now(), 500));
  }

  // Send now if possible, otherwise keep it. The item is stored before the request goes
  // out, so a closed tab or a crash mid-request loses nothing. A refused item is kept and
  // shown (badge, list) unless the caller shows the reason itself and lets the runner
  // fix it there (keepRejected: false, as the check-in form does).
  // Resolves to {state: "sent" | "queued" | "rejected", data?, error?}.
  async function deliver({ url, body, method = "POST", id, label = "", keepRejected = true }) {
    const owner = pageOwner();
    const item = {
      id: id || body?.client_id || crypto.randomUUID(),
      url,
      method,
      body,
      label,
      owner,
      csrf: csrfToken(),
      created: Date.now(),
      attempts: 0,
      // Not due for the replay loop while this first attempt is under way.
      nextAttempt: Date.now() + 30_000,
      state: "pending",
    };
    await put(item);
    let outcome;
    if (typeof navigator !== "undefined" && navigator.onLine === false) {
      outcome = await retryLater(item, { status: 0, detail: "No connection", field: "" });
    } else {
      outcome = await attempt(item);
      if (outcome.state === "rejected" && !keepRejected) await remove(item.id);
    }
    notify();
    return outcome;
  }

  // The simple form the session player uses: "sent", "queued" or "rejected".
  const send = async (item) => (await deliver(item)).state;

  async function discard(id) {
    await remove(id);
    notify();
  }

  // ---- what the runner sees ----------------------------------------------------------
  async function notify() {
    if (typeof document === "undefined") return;
    const owner = pageOwner();
    const items = (await all()).filter((item) => item.owner === owner);
    const pending = items.filter((item) => item.state === "pending").length;
    for (const badge of document.querySelectorAll("[data-outbox-count]")) {
      badge.hidden = items.length === 0;
      const rejected = items.length - pending;
      badge.textContent = rejected ? `${items.length} need a look` : `${pending} to sync`;
    }
    for (const list of document.querySelectorAll("[data-outbox-items]")) {
      list.replaceChildren(...items.sort((a, b) => a.created - b.created).map(row));
      const panel = list.closest(".outbox-panel");
      if (panel) panel.hidden = items.length === 0;
    }
    window.dispatchEvent(new CustomEvent("footing:outbox", { detail: { pending, items } }));
  }

  function row(item) {
    const li = document.createElement("li");
    li.className = `outbox-item outbox-${item.state}`;
    const title = document.createElement("strong");
    title.textContent = item.label || item.url;
    const status = document.createElement("span");
    status.className = "outbox-state";
    if (item.state === "rejected") {
      const where = item.error?.field ? ` (${item.error.field})` : "";
      status.textContent = `Not accepted${where}: ${item.error?.detail || "unknown reason"}`;
    } else {
      status.textContent = item.error?.detail && item.error.status
        ? `Will retry: ${item.error.detail}`
        : "Saved on this phone — will sync";
    }
    li.append(title, status);
    if (item.state === "rejected") {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-quiet";
      button.textContent = "Discard";
      button.addEventListener("click", () => discard(item.id));
      li.append(button);
    }
    return li;
  }

  async function clearAll() {
    await tx(STORE, "readwrite", (s) => s.clear());
    notify();
  }

  scope.FootingOutbox = { deliver, send, replay, discard, clearAll, pending: all };

  if (typeof window === "undefined" || typeof document === "undefined") return;

  // ---- page wiring -------------------------------------------------------------------
  function start() {
    // The account was deleted: what waits here belongs to nobody now.
    if (document.querySelector("[data-outbox-clear]")) {
      clearAll();
      return;
    }
    replay({ force: true });
  }
  window.addEventListener("online", () => replay({ reconnected: true }));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") replay();
  });
  // Boosted navigations swap the body (and the badge with it): draw it again.
  document.addEventListener("htmx:afterSettle", () => {
    if (document.querySelector("[data-outbox-clear]")) clearAll();
    else notify();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
