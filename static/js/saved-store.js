// Routines saved for offline: a cache per routine ("footing-saved-<slug>") with every file
// its offline manifest lists, and a JSON record each in "footing-saved-index". The service
// worker answers from them offline. Cache Storage and fetch are injectable for tests.
export const SAVED_PREFIX = "footing-saved-";
export const INDEX = "footing-saved-index";

export function createSavedStore({
  caches = globalThis.caches,
  fetch = (...args) => globalThis.fetch(...args),
  base = () => globalThis.location.href,
  now = () => new Date(),
  persist = () => globalThis.navigator?.storage?.persist?.().catch(() => false),
} = {}) {
  const indexKey = (slug) => `/offline/saved/${encodeURIComponent(slug)}`;
  const listeners = new Set();
  const changed = () => listeners.forEach((listener) => listener());
  const onChange = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  async function list() {
    const index = await caches.open(INDEX);
    const records = await Promise.all((await index.keys()).map(async (key) => (await index.match(key)).json()));
    return records.sort((a, b) => a.title.localeCompare(b.title));
  }

  async function get(slug) {
    const hit = await (await caches.open(INDEX)).match(indexKey(slug));
    return hit ? hit.json() : null;
  }

  async function put(record) {
    const headers = { "Content-Type": "application/json" };
    await (await caches.open(INDEX)).put(indexKey(record.slug), new Response(JSON.stringify(record), { headers }));
    changed();
  }

  async function remove(slug) {
    await caches.delete(SAVED_PREFIX + slug);
    await (await caches.open(INDEX)).delete(indexKey(slug));
    changed();
  }

  // Downloading is loaded only when a routine is saved or refreshed (saved-download.js).
  const save = async (manifestUrl, onProgress) =>
    (await import("./saved-download.js")).download(
      { caches, prefix: SAVED_PREFIX, fetch, base, now, persist, get, put },
      manifestUrl,
      onProgress,
    );

  return { list, get, put, remove, save, onChange };
}

export const saved = createSavedStore();

// A view of saved routines redraws when one is saved or removed, and when the phone goes
// on- or offline; returns the function that stops it (a page module's clean-up).
export function redrawOnChange(draw, { store = saved, target = globalThis } = {}) {
  const stop = store.onChange(draw);
  target.addEventListener("online", draw);
  target.addEventListener("offline", draw);
  draw();
  return () => {
    stop();
    target.removeEventListener("online", draw);
    target.removeEventListener("offline", draw);
  };
}
