// Footing offline, on every page: registers the service worker, keeps saved routines
// current and draws what works with no signal. Started once by app.js; saved-list.js and
// save-offline.js are the page modules of /offline/ and a routine. What only a phone with
// saved routines needs (sync-check.js, routine-notices.js) loads once one is saved; the
// offline "Your routine was updated" (routine-updates.js) only when it is needed.
import { drawNetwork } from "./network-status.js";
import { saved } from "./saved-store.js";
import { drawUpdateBar, watchForUpdates } from "./update-bar.js";
import { url } from "./urls.js";

export const supported = () => "serviceWorker" in navigator && "caches" in window;
const CHECK_APP_EVERY_MS = 60_000; // boosted navigations ask for a new app at most this often

let registration = null;
let appChecked = 0;
let syncer = null;

function draw() {
  drawUpdateBar();
  return Promise.all([drawNotices(), drawNetwork()]);
}

async function drawNotices() {
  const box = document.querySelector("[data-routine-notices]");
  if (!box) return;
  const unseen = (await saved.list()).some((record) => record.unseenChanges?.length);
  if (unseen || box.childElementCount) (await import("./routine-notices.js")).drawNotices();
}

async function syncCheck({ force = false } = {}) {
  if (force || Date.now() - appChecked >= CHECK_APP_EVERY_MS) {
    appChecked = Date.now();
    registration?.update().catch(() => undefined);
  }
  if (!syncer) {
    if (!(await saved.list()).length) return; // nothing saved: nothing to keep current
    const { createSyncCheck } = await import("./sync-check.js");
    syncer ??= createSyncCheck({ store: saved });
  }
  return syncer({ force });
}

// A worker installing asks each open page to say when it has settled (loaded, its page parts
// started: app.js marks them data-ready, then idle) and only then fetches its shell (sw.js):
// the page's own start-up keeps the phone's cores.
const starting = () => document.querySelector("[data-module]:not([data-ready])");

function settled() {
  return new Promise((resolve) => {
    const check = () => {
      if (document.readyState !== "complete" || starting()) return;
      watcher.disconnect();
      window.removeEventListener("load", check);
      if (window.requestIdleCallback) requestIdleCallback(resolve, { timeout: 2000 });
      else setTimeout(resolve);
    };
    const watcher = new MutationObserver(check);
    watcher.observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
    window.addEventListener("load", check);
    check();
  });
}

function answerWhenSettled(worker) {
  settled().then(() => worker?.postMessage({ type: "PAGE_SETTLED" }));
}

export function start() {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "SHELL_WAITS") answerWhenSettled(event.source);
    // A push from the clinic says a routine changed: check now.
    if (event.data?.type === "SYNC") syncCheck({ force: true });
  });
  navigator.serviceWorker.startMessages(); // a worker may ask before the page has parsed
  // A module worker (sw.js says why).
  navigator.serviceWorker
    .register(url("serviceWorker"), { scope: "/", type: "module", updateViaCache: "none" })
    .then((reg) => {
      registration = reg;
      watchForUpdates(reg);
    })
    .catch(() => undefined);

  saved.onChange(drawNotices);
  draw();
  syncCheck({ force: true });
  window.addEventListener("online", () => {
    draw();
    syncCheck({ force: true });
  });
  window.addEventListener("offline", draw);
  // hx-boost swaps the body: draw this page's parts again, and check now and then.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.boosted || event.target === document.body) {
      draw();
      syncCheck();
    }
  });
  // Back and Forward bring a page back without a settle event.
  document.addEventListener("htmx:historyRestore", () => draw());
  // "Your routine was updated" slots: offline, the notice the last sync kept; online, a
  // notice the server showed is not shown again from that copy.
  document.addEventListener("htmx:sendError", (event) => {
    const slot = event.target.closest?.("[data-routine-updates]");
    if (slot) import("./routine-updates.js").then((view) => view.showKept(slot));
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const slot = event.target.closest?.("[data-routine-updates]");
    if (slot && event.detail.xhr?.status === 200 && slot.dataset.routine) {
      import("./routine-updates.js").then((view) => view.forget(slot.dataset.routine));
    }
  });
}

export const savedList = () => saved.list();
export const syncNow = () => syncCheck({ force: true });
