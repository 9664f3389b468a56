// "Your routine was updated" kept on the phone, so a patient who was offline when their
// clinic published still sees it, with no signal, on the player's start screen, the
// routine's page or home: the notices the last sync brought (sync-check.js), which of
// them this phone showed, and telling the server about those at the next sync, after
// which they are not news anywhere. One person's data: log-out clears the store.
// createUpdatesStore takes its storage and fetch, for tests/js/routine-updates.test.js.
import { csrfToken } from "./csrf.js";
import { store } from "./db.js";
import { url } from "./urls.js";

export function createUpdatesStore({
  items = store("updates"),
  fetch = (...args) => globalThis.fetch(...args),
  csrf = () => csrfToken(),
  seenUrl = () => url("routineUpdatesSeen"),
} = {}) {
  async function tellSeen(update) {
    try {
      const response = await fetch(seenUrl(), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ routine: update.slug, version: update.version }),
      });
      return response.ok;
    } catch {
      return false; // no signal after all: the next sync tries again
    }
  }

  // After a sync: first tell the server what this phone showed meanwhile, then keep what
  // is still news. The server's list replaces the old one: what it no longer lists was
  // seen elsewhere (online, on another page). A notice shown here but not yet told stays
  // for the next sync; a newer version of it is news again.
  async function remember(updates) {
    const shown = (await items.getAll()).filter((kept) => kept.shown);
    const untold = [];
    for (const kept of shown) if (!(await tellSeen(kept))) untold.push(kept);
    await items.clear();
    for (const kept of untold) await items.put(kept);
    for (const update of updates) {
      if (shown.some((k) => k.slug === update.slug && k.version >= update.version)) continue;
      await items.put({ ...update, shown: false });
    }
  }

  // The notices to show now (one routine's, or all), marked shown: each shows once.
  async function take(slug = null) {
    const due = (await items.getAll()).filter((k) => !k.shown && (slug === null || k.slug === slug));
    for (const update of due) await items.put({ ...update, shown: true });
    return due;
  }

  // The server just showed this routine's notice itself: the kept copy is not news.
  async function forget(slug) {
    for (const kept of await items.getAll()) {
      if (kept.slug === slug && !kept.shown) await items.delete(kept.slug);
    }
  }

  return { remember, take, forget };
}

export const updates = createUpdatesStore();
