// Keeping saved routines current: the server says which have newer versions; those are
// downloaded again (all of them after an app change, so saved pages match the app), and
// their changelog lines kept until seen. One check at a time; a forced one asked for
// meanwhile runs right after.
import { updates as keptUpdates } from "./routine-updates-store.js";
import { url } from "./urls.js";

const SYNC_EVERY_MS = 60_000; // unforced checks (boosted navigations) at most this often

export function createSyncCheck({
  store,
  updates = keptUpdates,
  fetch = (...args) => globalThis.fetch(...args),
  online = () => globalThis.navigator?.onLine !== false,
  now = () => Date.now(),
  syncUrl = () => url("sync"),
}) {
  let lastSync = -Infinity;
  let syncing = null;
  let again = false;

  function syncCheck({ force = false } = {}) {
    if (syncing) {
      again ||= force;
      return syncing;
    }
    syncing = check(force).finally(() => {
      syncing = null;
      if (again) {
        again = false;
        syncCheck({ force: true });
      }
    });
    return syncing;
  }

  async function check(force) {
    if (!online()) return;
    if (!force && now() - lastSync < SYNC_EVERY_MS) return;
    lastSync = now();
    const saved = await store.list();
    if (!saved.length) return;
    const query = saved.map((r) => `routine=${encodeURIComponent(`${r.slug}:${r.version}`)}`);
    let answer;
    try {
      const response = await fetch(`${syncUrl()}?${query.join("&")}`, { cache: "no-store" });
      if (!response.ok) return;
      answer = await response.json();
    } catch {
      return; // the network went away meanwhile: try again next time
    }
    // What the patient's clinic changed, kept to say so with no signal (a logged-in
    // patient's sync only; anyone else's is empty).
    await updates.remember(answer.updates ?? []).catch(() => undefined);
    // One notice per change: the clinic's says what changed in a prescribed routine.
    const toldByClinic = new Set(answer.prescribed ?? []);
    for (const routine of answer.routines) {
      const record = saved.find((r) => r.slug === routine.slug);
      if (!record) continue;
      if (!routine.available) {
        await store.put({ ...record, available: false });
        continue;
      }
      if (!routine.updated && record.appVersion === answer.app_version) continue;
      try {
        const fresh = await store.save(routine.offline_manifest);
        if (routine.updated && !toldByClinic.has(routine.slug)) {
          fresh.unseenChanges = [...record.unseenChanges, ...routine.changes];
          await store.put(fresh);
        }
      } catch {
        // Keep the copy we have: an old routine beats none in a gym with no signal.
      }
    }
  }

  return syncCheck;
}
