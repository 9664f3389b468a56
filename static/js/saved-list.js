// "My routines" on /offline/ ([data-module="saved-list"]): what is saved on this phone,
// with sizes, dates and Remove, and how much room it takes. With data-compact (home, the
// Routines tab: templates/pwa/_saved_routines.html) the same list, one tap away, without
// Remove or the storage figures, and nothing at all when nothing is saved.
import { formatDayMonth } from "./dates.js";
import { element, formatBytes } from "./dom.js";
import { redrawOnChange, saved } from "./saved-store.js";
import { url } from "./urls.js";

// The tab of the page asked for: the offline page stands in for it at its address. Each
// tab owns the paths under its own link, plus these (the tabs' links are in the page).
const ALSO = { "/exercises/": "/conditions/", "/history/": "/progress/", "/offline/": "/routines/", "/self-check/": "/" };

export function tabFor(path, tabPaths) {
  const alias = Object.keys(ALSO).find((prefix) => path.startsWith(prefix));
  const wanted = alias ? ALSO[alias] : path;
  const owners = tabPaths.filter((tab) => (tab === "/" ? wanted === "/" : wanted.startsWith(tab)));
  return owners.sort((a, b) => b.length - a.length)[0] ?? null;
}

function lightTab(path) {
  const tabs = [...document.querySelectorAll(".tabbar a")];
  const owner = tabFor(path, tabs.map((tab) => new URL(tab.href).pathname));
  for (const tab of tabs) {
    if (new URL(tab.href).pathname === owner) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
}

export function init(root) {
  const list = root.querySelector("[data-saved-list]");
  const compact = root.hasAttribute("data-compact");
  if (!compact && location.pathname !== url("offline")) lightTab(location.pathname);

  function item(record) {
    const facts = [
      `${record.exercises} exercises`,
      formatBytes(record.bytes),
      `saved ${formatDayMonth(record.savedAt)}`,
      `version ${record.version}`,
    ];
    let remove = null;
    if (!compact) {
      remove = element("button", { type: "button", className: "remove-button", textContent: "Remove" });
      remove.setAttribute("aria-label", `Remove ${record.title}`);
      remove.addEventListener("click", () => saved.remove(record.slug));
    }
    return element(
      "li",
      { className: "saved-item" },
      element(
        "a",
        { className: "card", href: record.url },
        element("span", { className: "card-title", textContent: record.title }),
        element("span", { className: "card-text", textContent: facts.join(" · ") }),
        record.available
          ? null
          : element("span", { className: "card-text", textContent: "The clinic no longer offers this routine." }),
      ),
      remove,
    );
  }

  async function storageText(records) {
    const total = records.reduce((sum, r) => sum + r.bytes, 0);
    const parts = [`Saved routines take ${formatBytes(total)} on this phone.`];
    const storage = navigator.storage;
    if (storage?.estimate) {
      const { usage, quota } = await storage.estimate();
      parts.push(`Footing uses ${formatBytes(usage)} of the ${formatBytes(quota)} it may use.`);
    }
    if (storage?.persisted && (await storage.persisted())) {
      parts.push("They stay until you remove them.");
    } else if (records.length) {
      parts.push("If the phone runs very low on space, it may clear them.");
    }
    return parts.join(" ");
  }

  async function draw() {
    const records = await saved.list();
    if (compact) root.hidden = records.length === 0;
    else root.querySelector("[data-saved-empty]").hidden = records.length > 0;
    list.replaceChildren(...records.map(item));
    // Shown when this page stands in for one that isn't saved.
    const note = root.querySelector("[data-offline-note]");
    if (note) note.hidden = navigator.onLine || location.pathname === url("offline");
    const estimate = root.querySelector("[data-storage-estimate]");
    if (estimate) estimate.textContent = await storageText(records);
  }

  // A form that could not be sent was redirected here by the worker (sw.js notSent):
  // say so, and offer the way back to the form and its answers.
  const notSent = root.querySelector("[data-not-sent-note]");
  if (notSent && new URLSearchParams(location.search).has("not-sent")) {
    notSent.hidden = false;
    notSent.querySelector("[data-back]").addEventListener("click", () => history.back());
  }

  return redrawOnChange(draw);
}
