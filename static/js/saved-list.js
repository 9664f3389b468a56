// "My routines" on /offline/ ([data-module="saved-list"]): what is saved on this phone,
// with sizes, dates and Remove, and how much room it takes.
import { element, formatBytes, formatDate } from "./dom.js";
import { redrawOnChange, saved } from "./saved-store.js";
import { url } from "./urls.js";

export function init(root) {
  const list = root.querySelector("[data-saved-list]");

  function item(record) {
    const facts = [
      `${record.exercises} exercises`,
      formatBytes(record.bytes),
      `saved ${formatDate(record.savedAt)}`,
      `version ${record.version}`,
    ];
    const remove = element("button", { type: "button", className: "remove-button", textContent: "Remove" });
    remove.setAttribute("aria-label", `Remove ${record.title}`);
    remove.addEventListener("click", () => saved.remove(record.slug));
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
    root.querySelector("[data-saved-empty]").hidden = records.length > 0;
    list.replaceChildren(...records.map(item));
    // Shown when this page stands in for one that isn't saved.
    const note = root.querySelector("[data-offline-note]");
    if (note) note.hidden = navigator.onLine || location.pathname === url("offline");
    const estimate = root.querySelector("[data-storage-estimate]");
    if (estimate) estimate.textContent = await storageText(records);
  }

  return redrawOnChange(draw);
}
