// What a log-out leaves on a shared phone: nothing of the person who leaves. Called by
// logout.js once the server has ended the session (the server's `Clear-Site-Data:
// "cache"` empties the HTTP cache at the same time).
// - The outbox: their waiting items go, or stay for them alone if they chose to keep
//   them (they are sent only in their session: outbox.js); nobody else's are touched.
// - Their player progress, sessions played, own doses, routine notices, this morning's
//   answer (the red-flag stop's copy), a self-check result kept for sign-up: gone.
// - Routines saved from their clinic (only its people may have them) are removed;
//   library routines are public content and stay.
// - Every cached answer the server did not mark public goes. The service worker keeps
//   only public ones, but a copy made before that rule (or a saved page fetched then)
//   may linger; what is public stays, so the phone still opens offline for the next one.
import { store } from "./db.js";
import { madeBy, outbox } from "./outbox.js";
import { INDEX, saved } from "./saved-store.js";
import { forgetIt as forgetSelfCheck } from "./selfcheck-on-phone.js";

const isPublic = (response) => /\bpublic\b/.test(response.headers.get("Cache-Control") || "");

export async function forget(owner, { keepWaiting }) {
  if (!keepWaiting) {
    for (const item of await outbox.pending()) {
      if (madeBy(item, owner)) await outbox.discard(item.id);
    }
  }
  await Promise.all(["progress", "history", "personal", "updates", "today"].map((name) => store(name).clear()));
  forgetSelfCheck(); // a self-check result kept on the phone to offer at sign-up
  if (!("caches" in globalThis)) return;
  for (const record of await saved.list()) {
    if (record.audience === "clinic") await saved.remove(record.slug);
  }
  for (const name of await caches.keys()) {
    if (!name.startsWith("footing-") || name === INDEX) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      if (response && !isPublic(response)) await cache.delete(request);
    }
  }
}

// "2 check-ins and 1 session": what an owner's waiting items are, in words.
export function describe(items) {
  const count = (kind) => items.filter((item) => kindOf(item) === kind).length;
  const parts = [
    [count("checkin"), "check-in", "check-ins"],
    [count("session"), "session", "sessions"],
    [count("other"), "change", "changes"],
  ]
    .filter(([n]) => n)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts[0] || "";
}

function kindOf(item) {
  if (/\/checkins(\/|$)/.test(item.url)) return "checkin";
  if (/\/sessions(\/|$)/.test(item.url)) return "session";
  return "other";
}
