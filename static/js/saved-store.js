// Routines saved for offline: one cache per routine ("footing-saved-<slug>") holding every
// file its offline manifest lists, plus one small JSON record each in "footing-saved-index"
// (title, version, size, date, changes not yet seen). The service worker (sw.js) answers
// from those caches when the network is gone.
//
// `createSavedStore` takes Cache Storage, fetch and the page's address, so the unit tests
// (tests/js/saved-store.test.js) run it in Node; `saved` is the phone's own one.
export const SAVED_PREFIX = "footing-saved-";
export const INDEX = "footing-saved-index";
const PARALLEL_DOWNLOADS = 4;

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
  // What shows saved routines redraws on every change; the returned function stops that.
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

  // Downloads every file the offline manifest lists into the routine's cache, reporting
  // progress as a share of the bytes. Files no longer listed are dropped, so a refresh
  // leaves no leftovers. Any failed file fails the save (a half routine is no routine).
  async function save(manifestUrl, onProgress = () => {}) {
    const manifestResponse = await fetch(manifestUrl, { cache: "no-cache" });
    if (!manifestResponse.ok) throw new Error(`offline manifest: ${manifestResponse.status}`);
    const manifest = await manifestResponse.json();
    const cache = await caches.open(SAVED_PREFIX + manifest.slug);
    const total = manifest.total_bytes || 1;
    let done = 0;
    let stored = 0;
    const queue = [...manifest.files];
    onProgress(0);

    async function worker() {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const response = await fetch(file.url, { cache: "no-cache", credentials: "same-origin" });
        if (!response.ok) throw new Error(`${file.url}: ${response.status}`);
        // Read first, then add: `stored += await …` would add to a stale total when the
        // downloads run side by side.
        const size = (await response.clone().blob()).size;
        await cache.put(file.url, response);
        stored += size;
        done += file.bytes;
        onProgress(Math.min(done / total, 1));
      }
    }
    await Promise.all(Array.from({ length: PARALLEL_DOWNLOADS }, worker));

    const wanted = new Set(manifest.files.map((f) => new URL(f.url, base()).href));
    for (const key of await cache.keys()) {
      if (!wanted.has(key.url)) await cache.delete(key);
    }
    const previous = await get(manifest.slug);
    const record = {
      slug: manifest.slug,
      title: manifest.title,
      url: manifest.files[0]?.url,
      version: manifest.version,
      changelog: manifest.changelog,
      appVersion: manifest.app_version,
      exercises: manifest.exercises,
      bytes: stored,
      savedAt: now().toISOString(),
      unseenChanges: previous?.unseenChanges || [],
      available: true,
    };
    await put(record);
    // Ask the browser not to evict saved routines when space runs low (it may say no).
    persist();
    return record;
  }

  return { list, get, put, remove, save, onChange };
}

export const saved = createSavedStore();
