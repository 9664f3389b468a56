// Footing offline, on every page: registers the service worker, keeps saved routines
// current (sync-check.js) and draws what works with no signal. Started once by app.js;
// saved-list.js and save-offline.js are the page modules of /offline/ and a routine.
import { drawNetwork } from "./network-status.js";
import { drawNotices } from "./routine-notices.js";
import { saved } from "./saved-store.js";
import { createSyncCheck } from "./sync-check.js";
import { drawUpdateBar, watchForUpdates } from "./update-bar.js";
import { url } from "./urls.js";

export const supported = () => "serviceWorker" in navigator && "caches" in window;

let registration = null;

function draw() {
  drawUpdateBar();
  return Promise.all([drawNotices(), drawNetwork()]);
}

const syncCheck = createSyncCheck({
  store: saved,
  beforeCheck: () => registration?.update().catch(() => undefined),
});

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
}

export const savedList = () => saved.list();
export const syncNow = () => syncCheck({ force: true });
