// What every page shows of the outbox (the top bar's badge), and when it replays. Started
// once by app.js; the badge is found afresh on each draw, since hx-boost swaps the body.
// Each draw tells the page too ("footing:outbox") and fills the check-in's list of them.
import { currentOwner, madeBy, outbox } from "./outbox.js";

// Only what the person logged in now made: another account's items are never shown.
export async function draw() {
  const owner = currentOwner();
  const items = (await outbox.pending()).filter((item) => madeBy(item, owner));
  const pending = items.filter((item) => item.state === "pending").length;
  for (const badge of document.querySelectorAll("[data-outbox-count]")) {
    badge.hidden = items.length === 0;
    const rejected = items.length - pending;
    badge.textContent = rejected ? `${items.length} need a look` : `${pending} to sync`;
  }
  window.dispatchEvent(new CustomEvent("footing:outbox", { detail: { pending, items } }));
  // Its drawing (outbox-list.js) is loaded only once something waits.
  const panel = document.getElementById("outbox-list");
  if (panel && (items.length || !panel.hidden)) {
    (await import("./outbox-list.js").catch(() => null))?.show(panel, items);
  }
}

// The account was deleted: what waits here belongs to nobody now.
const accountGone = () => document.querySelector("[data-outbox-clear]") !== null;

export function start() {
  outbox.onChange(draw);
  if (accountGone()) outbox.clearAll();
  else outbox.replay({ force: true });
  window.addEventListener("online", () => outbox.replay({ reconnected: true }));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") outbox.replay();
  });
  // Boosted navigations swap the body (and the badge with it): draw it again.
  document.addEventListener("htmx:afterSettle", () => (accountGone() ? outbox.clearAll() : draw()));
}
