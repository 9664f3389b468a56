// "Your routine was updated: <changelog>" with no signal. Home, the routine's page and the
// player's start screen hold a slot ([data-routine-updates]) whose own htmx request brings
// the server's notice when online (and the server marks it seen). Offline that request
// fails and offline.js hands the slot here: the notice comes from what the last sync kept
// (routine-updates-store.js), drawn as the server draws it
// (templates/clinic/_routine_updates.html). Loaded only then.
import { element } from "./dom.js";
import { updates } from "./routine-updates-store.js";

function notice(update, withLink) {
  const title = withLink
    ? element("a", { href: update.url, textContent: update.title })
    : update.title;
  const earlier = update.changes.slice(0, -1);
  return element(
    "section",
    { className: "routine-notice routine-updated", role: "status" },
    element(
      "p",
      { className: "notice-title" },
      "Your routine was updated: ",
      element("span", { className: "notice-changelog", textContent: update.changelog }),
    ),
    earlier.length
      ? element(
          "ul",
          { className: "notice-changes" },
          ...earlier.map((c) =>
            element("li", { textContent: `Earlier, version ${c.version}: ${c.changelog}` }),
          ),
        )
      : null,
    element("p", { className: "meta" }, title, ` · version ${update.version} · from your clinic`),
  );
}

// The request for the slot failed (no signal): show what this phone kept, once.
export async function showKept(slot) {
  const slug = slot.dataset.routine || null;
  const due = await updates.take(slug);
  if (due.length) slot.replaceChildren(...due.map((update) => notice(update, slug === null)));
}

// The server showed a routine's notice itself: the copy kept for offline is old news.
export const forget = (slug) => updates.forget(slug);
