// Footing's one entry point: the one <script type="module"> of _base.html.
// htmx swaps the body and keeps the document, and a module runs once per document, so no
// module acts when imported (docs/architecture.md, "JavaScript"): whole-document parts
// start once, here; a page part is an element with data-module="<name>", whose module
// ./<name>.js is loaded when it first appears (first load, htmx:load) and init(element)
// called once per element. What init returns, if a function, runs when htmx removes it.
import { csrfToken } from "./csrf.js";
import * as installOffer from "./install-offer.js";
import * as offline from "./offline.js";
import { currentOwner, outbox } from "./outbox.js";
import * as outboxView from "./outbox-view.js";

const PAGE_MODULES = {
  accounts: () => import("./accounts.js"),
  appearance: () => import("./appearance.js"),
  checkin: () => import("./checkin.js"),
  history: () => import("./history.js"),
  install: () => import("./install.js"),
  "keep-selfcheck": () => import("./keep-selfcheck.js"),
  "invite-share": () => import("./invite-share.js"),
  "keep-sessions": () => import("./keep-sessions.js"),
  logout: () => import("./logout.js"),
  player: () => import("./player.js"),
  push: () => import("./push.js"),
  "save-offline": () => import("./save-offline.js"),
  "saved-list": () => import("./saved-list.js"),
  selfcheck: () => import("./selfcheck.js"),
  share: () => import("./share.js"),
  "triage-gate": () => import("./triage-gate.js"),
};

// Parts start after the page has loaded, each in its own task, so none holds up its first
// paint; at once only the red-flag stop (safety first) and the player (it is the page).
const AT_ONCE = new Set(["triage-gate", "player"]);

const started = new WeakSet();
const done = new WeakSet(); // started, or failed to
const held = new WeakMap();
const cleanups = new WeakMap();
const names = (element) => element.dataset.module.split(/\s+/).filter(Boolean);
const start = (element) => initOne(element).catch((error) => console.error(error));

async function initOne(element) {
  if (started.has(element)) return;
  started.add(element);
  const stops = [];
  try {
    for (const name of names(element)) {
      const load = PAGE_MODULES[name];
      if (!load) {
        console.error(`No page module "${name}" (app.js PAGE_MODULES)`);
        continue;
      }
      const stop = (await load()).init(element);
      if (typeof stop === "function") stops.push(stop);
    }
    // Started: its handlers are in place (the e2e journeys wait for this before a tap).
    element.dataset.ready = "";
  } finally {
    if (stops.length) cleanups.set(element, stops);
    done.add(element);
    for (const tapped of held.get(element) ?? []) tapped.click();
  }
}

// A tap on a part not started yet starts it now and is held until it has; then each held
// tap is done again, in order: a Save tapped offline reaches the outbox (or, failing to
// start, the plain form's post).
document.addEventListener(
  "click",
  (event) => {
    const part = event.target.closest?.("[data-module]");
    if (!part || done.has(part)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    held.set(part, [...(held.get(part) ?? []), event.target]);
    start(part);
  },
  true,
);

// After load, or a second after parsing if a picture is slow to come.
let loaded = false;
const later = [];
const startLater = (element) =>
  loaded ? setTimeout(() => element.isConnected && start(element)) : later.push(element);
const afterLoad = () => {
  loaded = true;
  later.splice(0).forEach(startLater);
};
window.addEventListener("load", afterLoad);
document.addEventListener("DOMContentLoaded", () => setTimeout(afterLoad, 1000));

function initWithin(root) {
  const found = root.matches?.("[data-module]") ? [root] : [];
  found.push(...(root.querySelectorAll?.("[data-module]") ?? []));
  for (const element of found) {
    if (names(element).some((name) => AT_ONCE.has(name))) start(element);
    else startLater(element);
  }
}

document.addEventListener("htmx:load", (event) => initWithin(event.target));
document.addEventListener("htmx:beforeCleanupElement", (event) => {
  for (const stop of cleanups.get(event.target) ?? []) stop();
  cleanups.delete(event.target);
});

document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb === "get") return;
  event.detail.headers["X-CSRFToken"] = csrfToken();
  // A cached page's form token may be stale: send only the cookie's.
  delete event.detail.parameters.csrfmiddlewaretoken;
});

// After a boosted navigation, screen readers and keyboards start at the new content.
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.boosted) {
    document.getElementById("main")?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
});

// Who is logged in, for the CSS (.for-member / .for-visitor): pages are the same for
// everyone. Again after each swap: the session may have ended meanwhile.
const markWho = () => (document.documentElement.dataset.who = currentOwner() ? "member" : "visitor");
markWho();
document.addEventListener("htmx:afterSettle", markWho);

// For the tests and the console: the outbox and the saved routines.
window.FootingOutbox = outbox;
window.footingOffline = { savedList: offline.savedList, syncCheck: offline.syncNow };

installOffer.listen();
if (offline.supported()) offline.start();
outboxView.start();
// The morning reminder comes from the server by Web Push (push.js, sw.js), app or no app;
// an older version's timer kept its time and the last check-in's day here.
localStorage.removeItem("footing-reminder");
localStorage.removeItem("footing-last-checkin");
// The parsed first page (htmx's own first htmx:load comes later: started ones are skipped).
initWithin(document.body);
