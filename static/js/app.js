// Footing's one entry point: the only <script type="module"> a page loads (_base.html).
// Native ES modules, no build step (docs/architecture.md, "JavaScript").
//
// htmx boosts navigations: it swaps the body and keeps the document, and a module runs
// once per document, not per page shown. So no module acts when imported:
// - whole-document parts (offline, outbox-view, reminder) start once, here, and find what
//   they draw afresh after each swap;
// - a page part is an element with data-module="<name>" (names space-separated): when it
//   first appears (the first load, or content htmx swaps in: htmx:load), ./<name>.js is
//   loaded and its `init(element)` called, once per element. What init returns, if a
//   function, runs when htmx removes the element (timers, window listeners).
// A new page module: export init(root) from ./<name>.js, add it to PAGE_MODULES (a literal
// import(), so collectstatic points it at the hashed file), and mark its element.
import { csrfToken } from "./csrf.js";
import * as offline from "./offline.js";
import { outbox } from "./outbox.js";
import * as outboxView from "./outbox-view.js";
import * as reminder from "./reminder.js";

const PAGE_MODULES = {
  accounts: () => import("./accounts.js"),
  checkin: () => import("./checkin.js"),
  history: () => import("./history.js"),
  player: () => import("./player.js"),
  push: () => import("./push.js"),
  "save-offline": () => import("./save-offline.js"),
  "saved-list": () => import("./saved-list.js"),
  selfcheck: () => import("./selfcheck.js"),
};

const started = new WeakSet();
const cleanups = new WeakMap();

async function initOne(element) {
  if (started.has(element)) return;
  started.add(element);
  const stops = [];
  for (const name of element.dataset.module.split(/\s+/).filter(Boolean)) {
    const load = PAGE_MODULES[name];
    if (!load) {
      console.error(`No page module "${name}" (app.js PAGE_MODULES)`);
      continue;
    }
    const stop = (await load()).init(element);
    if (typeof stop === "function") stops.push(stop);
  }
  if (stops.length) cleanups.set(element, stops);
}

function initWithin(root) {
  const found = root.matches?.("[data-module]") ? [root] : [];
  found.push(...(root.querySelectorAll?.("[data-module]") ?? []));
  return Promise.all(found.map(initOne));
}

document.addEventListener("htmx:load", (event) => initWithin(event.target));
document.addEventListener("htmx:beforeCleanupElement", (event) => {
  for (const stop of cleanups.get(event.target) ?? []) stop();
  cleanups.delete(event.target);
});

// Django's CSRF token on every htmx write.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb !== "get") event.detail.headers["X-CSRFToken"] = csrfToken();
});

// After a boosted navigation, move focus to the new page's content so screen readers and
// keyboard users start at the top of what changed.
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.boosted) {
    document.getElementById("main")?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
});

// For the tests and the console: the outbox and the saved routines.
window.FootingOutbox = outbox;
window.footingOffline = { savedList: offline.savedList, syncCheck: offline.syncNow };

if (offline.supported()) offline.start();
outboxView.start();
reminder.start();
// Module scripts run after the document is parsed: the first page's parts are all there.
// (htmx's own first htmx:load comes later; elements already started are skipped.)
initWithin(document.body);
