// The red-flag stop on home and the player ({% triage_gate %}), online or not.
import { store } from "./db.js";
import { currentOwner, outbox } from "./outbox.js";
import { latestToday, localDay, outboxAnswers, triageFor } from "./triage-today.js";
import { url } from "./urls.js";

const kept = store("today");

// Whom the server has logged in (footing_owner cookie): pages are the same for everyone.
function owner() {
  const who = currentOwner();
  return who ? String(who.id) : "";
}

function table() {
  const script = document.getElementById("triage-table");
  return script ? JSON.parse(script.textContent) : null;
}

export async function remember({ date, answered_at, flags, contacts }) {
  const who = owner();
  if (!who) return;
  const before = (await kept.get(who).catch(() => null)) || {};
  await kept
    .put({ owner: who, date, answered_at, flags, contacts: contacts || before.contacts || null })
    .catch(() => undefined);
}

async function fromServer() {
  if (navigator.onLine === false) return null;
  try {
    const response = await fetch(url("today"));
    if (!response.ok) return null;
    const today = await response.json();
    const answer = { date: today.date, answered_at: today.answered_at, flags: today.red_flags };
    await remember({ ...answer, contacts: today.contacts });
    return { ...answer, contacts: today.contacts };
  } catch {
    return null;
  }
}

async function today() {
  const who = owner();
  if (!who) return { answer: null, contacts: null };
  const day = localDay();
  const [server, copy, waiting] = await Promise.all([
    fromServer(),
    kept.get(who).catch(() => null),
    outbox.pending().catch(() => []),
  ]);
  const queued = outboxAnswers(waiting, { checkinsUrl: url("checkins"), owner: who });
  const answer = latestToday(server?.date || day, [server, copy, ...queued]);
  return { answer, contacts: server?.contacts || copy?.contacts || null };
}

async function apply(gate, triage, contacts) {
  const hides = gate.dataset.gateHides ? [...document.querySelectorAll(gate.dataset.gateHides)] : [];
  if (!triage) {
    gate.hidden = true;
    for (const part of hides) delete part.dataset.gated;
    return;
  }
  const { show } = await import("./triage-stop.js");
  show(gate, hides, triage, contacts);
}

const running = new WeakMap();

export function start(gate) {
  if (!running.has(gate)) init(gate);
  return running.get(gate) ?? Promise.resolve();
}

export function init(gate) {
  const words = table();
  if (!words) return undefined;
  const drawn = [...document.querySelectorAll(".triage[data-triage]")];
  if (drawn.some((section) => section.dataset.triage && !gate.contains(section))) return undefined;
  let stopped = false;
  const check = async () => {
    const { answer, contacts } = await today();
    const triage = answer ? triageFor(words, answer.flags) : null;
    if (stopped) return;
    await apply(gate, triage, contacts);
    gate.dataset.gateState = triage ? "stop" : "clear";
  };
  running.set(gate, check());
  outbox.onChange(() => stopped || check());
  window.addEventListener("online", check);
  return () => {
    stopped = true;
    window.removeEventListener("online", check);
  };
}
