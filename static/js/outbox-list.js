// "Waiting on this phone" on the check-in page ([data-module="outbox-list"] on its panel):
// each waiting write, why it waits, and Discard for one the server refused.
import { outbox } from "./outbox.js";
import { draw } from "./outbox-view.js";

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

export function init(panel) {
  const list = panel.querySelector("[data-outbox-items]");
  const show = (event) => {
    const items = [...event.detail.items].sort((a, b) => a.created - b.created);
    list.replaceChildren(...items.map(row));
    panel.hidden = items.length === 0;
  };
  window.addEventListener("footing:outbox", show);
  draw();
  return () => window.removeEventListener("footing:outbox", show);
}
