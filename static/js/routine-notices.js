// "Your routine was updated: <changelog>", on every page, for each saved routine the
// clinic changed since the person last looked, until they tap OK. The saved copy was
// refreshed quietly (sync-check.js); a content publish never asks to update the app.
import { element } from "./dom.js";
import { saved } from "./saved-store.js";

function notice(record) {
  const ok = element("button", { type: "button", className: "notice-ok", textContent: "OK" });
  ok.addEventListener("click", async () => {
    const current = await saved.get(record.slug);
    if (current) await saved.put({ ...current, unseenChanges: [] });
  });
  const [latest, ...earlier] = [...record.unseenChanges].reverse();
  return element(
    "div",
    { className: "routine-notice", role: "status" },
    element("p", { className: "notice-title" }, `Your routine was updated: ${latest.changelog}`),
    element(
      "p",
      { className: "notice-routine" },
      element("a", { href: record.url, textContent: record.title }),
      `, version ${record.version}, saved on this phone`,
    ),
    earlier.length
      ? element(
          "ul",
          { className: "notice-changes" },
          ...earlier.map((c) => element("li", { textContent: `Before that, version ${c.version}: ${c.changelog}` })),
        )
      : null,
    ok,
  );
}

export async function drawNotices() {
  const box = document.querySelector("[data-routine-notices]");
  if (!box) return;
  const changed = (await saved.list()).filter((r) => r.unseenChanges?.length);
  box.replaceChildren(...changed.map(notice));
}
