// "Updated: …" notices, on every page, for saved routines the clinic changed since the
// person last looked, until they tap OK.
import { element } from "./dom.js";
import { saved } from "./saved-store.js";

function notice(record) {
  const ok = element("button", { type: "button", className: "notice-ok", textContent: "OK" });
  ok.addEventListener("click", async () => {
    const current = await saved.get(record.slug);
    if (current) await saved.put({ ...current, unseenChanges: [] });
  });
  return element(
    "div",
    { className: "routine-notice", role: "status" },
    element(
      "p",
      { className: "notice-title" },
      "Updated: ",
      element("a", { href: record.url, textContent: record.title }),
      ` (version ${record.version})`,
    ),
    element(
      "ul",
      { className: "notice-changes" },
      ...record.unseenChanges.map((c) => element("li", { textContent: `Version ${c.version}: ${c.changelog}` })),
    ),
    ok,
  );
}

export async function drawNotices() {
  const box = document.querySelector("[data-routine-notices]");
  if (!box) return;
  const changed = (await saved.list()).filter((r) => r.unseenChanges?.length);
  box.replaceChildren(...changed.map(notice));
}
