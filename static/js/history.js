// The sessions a runner without an account played ([data-module="history"] on the list):
// read from this phone's IndexedDB, where the player keeps them.
import { store } from "./db.js";
import { formatMoment } from "./dates.js";

// The words for skip reasons and efforts, from the server (training.models choices).
function card(log, labels) {
  const item = document.createElement("li");
  item.className = "card";
  const title = document.createElement("span");
  title.className = "card-title";
  title.textContent = log.title;
  const when = document.createElement("span");
  when.className = "card-meta";
  when.textContent = `${formatMoment(log.started_at)} · version ${log.version}`;
  const lines = document.createElement("ul");
  lines.className = "session-lines";
  for (const row of log.exercises) {
    const li = document.createElement("li");
    const name = log.names?.[row.exercise] || row.exercise;
    li.textContent = row.skipped
      ? `${name}: skipped (${labels.skip_reasons[row.skip_reason] || "no reason given"})`
      : `${name}: pain ${row.pain ?? "–"}/10${row.effort ? `, ${labels.efforts[row.effort]} effort` : ""}`;
    lines.append(li);
  }
  item.append(title, when, lines);
  return item;
}

export async function init(list) {
  if (!("indexedDB" in window)) return;
  const logs = (await store("history").getAll()).sort((a, b) => b.started_at.localeCompare(a.started_at));
  const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
  const week = logs.filter((log) => Date.parse(log.started_at) >= weekAgo).length;
  document.querySelector("#local-week strong").textContent = `${week} session${week === 1 ? "" : "s"}`;
  const labels = JSON.parse(document.getElementById("session-labels").textContent);
  if (logs.length) list.replaceChildren(...logs.slice(0, 30).map((log) => card(log, labels)));
}
