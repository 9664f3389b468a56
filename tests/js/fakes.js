// In-memory stand-ins for the browser's storage, for the modules that take theirs injected.

// An IndexedDB store (db.js `store(name)`): values are copied in and out, as IndexedDB's
// structured clone does, so a test cannot pass by mutating what it stored.
export function memoryStore(keyPath) {
  const map = new Map();
  return {
    map,
    get: async (key) => structuredClone(map.get(key)),
    getAll: async () => [...map.values()].map((value) => structuredClone(value)),
    put: async (value, key) => {
      map.set(keyPath ? value[keyPath] : key, structuredClone(value));
    },
    delete: async (key) => {
      map.delete(key);
    },
    clear: async () => map.clear(),
  };
}

// Cache Storage, keyed by absolute URL as the browser's is.
export function memoryCaches(base) {
  const caches = new Map();
  const href = (request) => new URL(typeof request === "string" ? request : request.url, base).href;

  function cache() {
    const entries = new Map();
    return {
      entries,
      put: async (request, response) => {
        entries.set(href(request), response.clone());
      },
      match: async (request) => entries.get(href(request))?.clone(),
      keys: async () => [...entries.keys()].map((url) => new Request(url)),
      delete: async (request) => entries.delete(href(request)),
    };
  }

  return {
    caches,
    open: async (name) => {
      if (!caches.has(name)) caches.set(name, cache());
      return caches.get(name);
    },
    delete: async (name) => caches.delete(name),
    keys: async () => [...caches.keys()],
    has: async (name) => caches.has(name),
  };
}
