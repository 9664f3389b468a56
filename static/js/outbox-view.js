// What the runner sees of the outbox: the top bar's badge and the "Waiting on this phone"
// list on the check-in page, and when the outbox replays. Started once per document by
// app.js; the badge and list are found afresh on each draw, since hx-boost swaps the body.
import { outbox } from "./outbox.js";

const ownerOnPage = () => document.querySelector("[data-outbox-count]")?.dataset.user || "";

async function draw() {
  const owner = ownerOnPage();
  const items = (await outbox.pending()).filter((item) => item.owner === owner);
  const pending = items.filter((item) => item.state === "pending").length;
  for (const badge of document.querySelectorAll("[data-outbox-count]")) {
    badge.hidden = items.length === 0;
    const rejected = items.length - pending;
    badge.textContent = rejected ? `${items.length} need a look` : `${pending} to sync`;
  }
  for (const list of document.querySelectorAll("[data-outbox-items]")) {
    list.replaceChildren(...items.sort((a, b) => a.created - b.created).map(row));
    const panel = list.closest(".outbox-panel");
    if (panel) panel.hidden = items.length === 0;
  }
  window.dispatchEvent(new CustomEvent("footing:outbox", { detail: { pending, items } }));
}

function row(item) {
  const li = document.createElement("li");
  li.className = `outbox-item outbox-${item.state}`;
  const title = document.createElement("strong");
  title.textContent = item.label || item.url;
  const status = document.createElement("span");
  status.className = "outbox-state";
  if (item.state === "rejected") {
    const where = item.error?.field ? ` (${item.error.field})` : "";
    status.textContent = `Not accepted${where}: ${item.error?.detail || "unknown reason"}`;
  } else {
    status.textContent =
      item.error?.detail && item.error.status ? `Will retry: ${item.error.detail}` : "Saved on this phone — will sync";
  }
  li.append(title, status);
  if (item.state === "rejected") {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-quiet";
    button.textContent = "Discard";
    button.addEventListener("click", () => outbox.discard(item.id));
    li.append(button);
  }
  return li;
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
