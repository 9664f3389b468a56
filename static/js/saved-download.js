// Saving a routine for offline (saved-store.js `save`): every file its offline manifest
// lists into the routine's cache, with progress as a share of the bytes; files no longer
// listed are dropped. One failed file fails the save: half a routine is no routine.
const PARALLEL_DOWNLOADS = 4;

export async function download(
  { caches, prefix, fetch, base, now, persist, get, put },
  manifestUrl,
  onProgress = () => {},
) {
  const manifestResponse = await fetch(manifestUrl, { cache: "no-cache" });
  if (!manifestResponse.ok) throw new Error(`offline manifest: ${manifestResponse.status}`);
  const manifest = await manifestResponse.json();
  const cache = await caches.open(prefix + manifest.slug);
  const total = manifest.total_bytes || 1;
  let done = 0;
  let stored = 0;
  const queue = [...manifest.files];
  onProgress(0);

  async function worker() {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const response = await fetch(file.url, { cache: "no-cache", credentials: "same-origin" });
      if (!response.ok) throw new Error(`${file.url}: ${response.status}`);
      // Read, then add: `stored += await …` would add to a stale total.
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
  // Ask not to be evicted when space runs low (the browser may say no).
  persist();
  return record;
}

