// The check-in page is a shell, the same for everyone: it opens offline for whoever is
// logged in and holds nobody's answers (footing/storable.py). This fills it in for the
// person the server has logged in: their day (in their own time zone), their units,
// and the answers they already gave this morning — from the server when there
// is signal, else from what this phone keeps for them (their answers still in the outbox,
// and the last word from the server, IndexedDB "personal", cleared at log-out).
import { formatDay } from "./dates.js";
import { store } from "./db.js";
import { currentOwner, madeBy, outbox } from "./outbox.js";
import { localDay } from "./triage-today.js";
import { url } from "./urls.js";

// A slow gym connection must not hold the form up: past this, the phone's own copies.
const WAIT_MS = 3000;

export async function fillShell(form, { kmPerMile }) {
  // What the person answers while their morning is still on its way (a slow connection)
  // is theirs to keep: those questions are not drawn over, the others still are.
  const answering = new Set();
  form.addEventListener("input", (event) => answering.add(question(event.target)));
  const owner = currentOwner();
  if (!owner) return askToLogIn(form);
  // Asked at once, side by side: the morning's answers need not wait for the person's day.
  const latest = ask(`${url("checkins")}?page_size=1`);
  const { me, fresh } = await aboutMe(owner);
  // The server's word on the person's day when it just gave it; offline, the phone works it
  // out in the person's zone (their kept copy's `today` may be yesterday's).
  const today = fresh && me.today ? me.today : localDay(new Date(), me?.profile?.time_zone || undefined);
  const unit = me?.profile?.distance_unit || "km";
  form.elements.date.value = today;
  form.dataset.unit = unit;
  for (const slot of form.querySelectorAll('[data-slot="unit"]')) slot.textContent = unit;
  const given =
    (await stillWaiting(owner, today)) ?? (await fromServer(owner, today, latest)) ?? (await kept(owner, today));
  if (given) {
    // Most mornings there are none yet: drawing them in is loaded only when there are.
    // (Offline before this phone ever fetched it, the import fails: the form stays empty.)
    const drawing = await import("./checkin-fill.js").catch(() => null);
    drawing?.fill(form, given, { unit, kmPerMile, answering });
  }
  // Made on the phone: a UUID in the page would be shared by every morning.
  form.elements.client_id.value = given?.client_id || crypto.randomUUID();
  // The server's words for the day when it just gave them; else written as every page writes
  // a day (dates.js), at noon so no zone turns it into another day.
  const day = fresh && me.today_label ? me.today_label : formatDay(`${today}T12:00:00`);
  const line = form.ownerDocument.querySelector('[data-slot="day"]');
  line.textContent = given ? `${day} · ${line.dataset.again}` : day;
}

// The warning signs and "None of these" are one answer; every other input is its own.
function question(input) {
  return input.closest("#warning-signs") ? "warning-signs" : input.name;
}

// The server's word on the person (their day, zone, units), kept for offline mornings.
async function aboutMe(owner) {
  const kept = store("personal");
  const key = `${owner.id}:me`;
  const answer = await ask(url("me"));
  if (answer?.ok) {
    const me = await answer.json();
    await kept.put(me, key);
    return { me, fresh: true };
  }
  return { me: (await kept.get(key).catch(() => null)) ?? null, fresh: false };
}

// This morning's answers not yet on the server: they are the newest.
async function stillWaiting(owner, today) {
  const mine = (await outbox.pending())
    .filter((item) => madeBy(item, owner) && /\/checkins$/.test(item.url) && item.body?.date === today)
    .sort((a, b) => b.created - a.created);
  return mine[0]?.body ?? null;
}

// `latest`: the answer to the newest check-in, asked for by fillShell.
async function fromServer(owner, today, latest) {
  // Newest day first, one a day: this morning's, if any, is the first.
  const answer = await latest;
  if (!answer?.ok) return null;
  const [found] = (await answer.json()).results ?? [];
  if (!found || found.date !== today) return null;
  const given = { ...found, client_id: found.id };
  await keepAnswer(owner, given);
  return given;
}

// The morning's answers as last sent or read, so the form opens filled in offline too.
export async function keepAnswer(owner, given) {
  if (owner) await store("personal").put(given, `${owner.id}:checkin:${given.date}`);
}

async function kept(owner, today) {
  return (await store("personal").get(`${owner.id}:checkin:${today}`).catch(() => null)) ?? null;
}

async function ask(address) {
  try {
    return await fetch(address, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(WAIT_MS),
    });
  } catch {
    return null; // no signal, or too little
  }
}

function askToLogIn(form) {
  const login = `${url("login")}?next=${encodeURIComponent(location.pathname)}`;
  if (navigator.onLine) {
    location.replace(login);
    return;
  }
  form.hidden = true;
  form.ownerDocument.querySelector('[data-slot="day"]').textContent =
    "Log in to check in. You'll need a connection for that; your check-ins then work offline.";
}
