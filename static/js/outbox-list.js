// "Waiting on this phone" on the check-in page (its panel, #outbox-list): each waiting
// write, why it waits, and Discard for one the server refused. Drawn by outbox-view.js,
// which loads this only when something waits: most mornings nothing does.
import { outbox } from "./outbox.js";

function row(item) {
  const li = document.createElement("li");
  li.className = `outbox-item outbox-${item.state}`;
  const title = document.createElement("strong");
  title.textContent = item.label || item.url;
  const status = document.createElement("span");
  status.className = "outbox-state";
  if (item.state === "rejected") {
    const field = item.error?.field;
    const where = field ? ` (${field})` : "";
    // The API's detail names the field too ("date: …"): say it once.
    const detail = (item.error?.detail || "unknown reason").replace(`${field}: `, "");
    status.textContent = `Not accepted${where}: ${detail}`;
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

export function show(panel, items) {
  const rows = [...items].sort((a, b) => a.created - b.created).map(row);
  panel.querySelector("[data-outbox-items]").replaceChildren(...rows);
  panel.hidden = items.length === 0;
}
