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

export function start() {
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
  // A push from the clinic says a routine changed: check now.
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "SYNC") syncCheck({ force: true });
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
