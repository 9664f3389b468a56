// The one IndexedDB database of everything kept on the phone: its schema, upgrades and
// opener, for the pages and the worker. A new store or version is added here, once.
//   outbox    writes waiting for the server (outbox.js), by the item's UUID
//   progress  the session being played (player.js), by routine slug
//   history   sessions played on this phone (player.js, history.js), by client_id
//   updates   "Your routine was updated" kept for offline (routine-updates-store.js), by
//             routine slug: one person's, cleared at log-out
//   today     this morning's answer as last known, per person (triage-gate.js), by owner
//   personal  the server's word on the person, by "<owner id>:…"
const NAME = "footing";
const VERSION = 4;

// Each version's changes, applied in order from the version the phone has.
const UPGRADES = [
  (db) => {
    db.createObjectStore("outbox", { keyPath: "id" });
    db.createObjectStore("progress");
    db.createObjectStore("history", { keyPath: "client_id" });
  },
  (db) => {
    db.createObjectStore("updates", { keyPath: "slug" });
  },
  (db) => {
    db.createObjectStore("today", { keyPath: "owner" });
  },
  (db) => {
    db.createObjectStore("personal");
  },
];

// The databases Footing used before this one; db-legacy.js moves their records here.
const LEGACY = ["footing-outbox", "footing-player"];

let opening = null;

export function database() {
  opening ??= openCurrent().then(async (db) => {
    // Loaded only on a phone that still has one (or cannot list its databases).
    const names = indexedDB.databases ? (await indexedDB.databases()).map((info) => info.name) : LEGACY;
    if (LEGACY.some((name) => names.includes(name))) {
      await import("./db-legacy.js").then((legacy) => legacy.migrate(db, run)).catch(() => undefined);
    }
    return db;
  });
  opening.catch(() => (opening = null)); // a failed open (private mode, full disk) retries
  return opening;
}

function openCurrent() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = (event) => {
      for (const upgrade of UPGRADES.slice(event.oldVersion)) upgrade(request.result);
    };
    request.onsuccess = () => {
      const db = request.result;
      // A newer tab wants to upgrade: step aside, and open afresh on the next use.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => undefined; // an older tab closes on its versionchange
  });
}

function run(db, name, mode, action) {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(name, mode);
    const request = action(transaction.objectStore(name));
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

// A store as promises (tests hand the outbox one kept in memory).
export function store(name) {
  const on = async (mode, action) => run(await database(), name, mode, action);
  return {
    get: (key) => on("readonly", (s) => s.get(key)),
    getAll: () => on("readonly", (s) => s.getAll()),
    put: (value, key) => on("readwrite", (s) => (key === undefined ? s.put(value) : s.put(value, key))),
    delete: (key) => on("readwrite", (s) => s.delete(key)),
    clear: () => on("readwrite", (s) => s.clear()),
  };
}
