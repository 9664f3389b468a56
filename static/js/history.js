// The sessions a runner without an account played: read from this phone's IndexedDB.
"use strict";

(() => {
  const list = document.getElementById("local-sessions");
  if (!list || !("indexedDB" in window)) return;
  const request = indexedDB.open("footing-player", 1);
  request.onupgradeneeded = () => {
    request.result.createObjectStore("progress");
    request.result.createObjectStore("history", { keyPath: "client_id" });
  };
  request.onsuccess = () => {
    const read = request.result.transaction("history").objectStore("history").getAll();
    read.onsuccess = () => show(read.result.sort((a, b) => b.started_at.localeCompare(a.started_at)));
  };

  const REASONS = { hurt: "it hurt", "no-equipment": "no equipment", "no-time": "no time" };

  function show(logs) {
    const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    const week = logs.filter((log) => Date.parse(log.started_at) >= weekAgo).length;
    document.querySelector("#local-week strong").textContent = `${week} session${week === 1 ? "" : "s"}`;
    if (!logs.length) return;
    list.replaceChildren(
      ...logs.slice(0, 30).map((log) => {
        const card = document.createElement("li");
        card.className = "card";
        const title = document.createElement("span");
        title.className = "card-title";
        title.textContent = log.title;
        const when = document.createElement("span");
        when.className = "card-meta";
        when.textContent = new Date(log.started_at).toLocaleString([], {
          weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
        });
        const lines = document.createElement("ul");
        lines.className = "session-lines";
        for (const row of log.exercises) {
          const li = document.createElement("li");
          const name = log.names?.[row.exercise] || row.exercise;
          li.textContent = row.skipped
            ? `${name}: skipped (${REASONS[row.skip_reason] || "skipped"})`
            : `${name}: pain ${row.pain ?? "–"}/10${row.effort ? `, ${row.effort}` : ""}`;
          lines.append(li);
        }
        card.append(title, when, lines);
        return card;
      }),
    );
  }
})();
