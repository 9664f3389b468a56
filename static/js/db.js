// The one IndexedDB database for everything Footing keeps on the phone: its schema, its
// upgrades and its opener. Every module reads and writes through `store(name)`, so a new
// store or a version bump happens here, once, for the pages and the service worker alike.
//
//   outbox    writes waiting for the server (outbox.js), keyed by the item's UUID
//   progress  the session being played, keyed by routine slug (player.js)
//   history   sessions played on this phone, keyed by the log's client_id (player, history)
import { run } from "./idb.js";

const NAME = "footing";
const VERSION = 1;

// Each version's changes, applied in order from the version the phone has.
const UPGRADES = [
  (db) => {
    db.createObjectStore("outbox", { keyPath: "id" });
    db.createObjectStore("progress");
    db.createObjectStore("history", { keyPath: "client_id" });
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
      await import("./db-legacy.js").then((legacy) => legacy.migrate(db)).catch(() => undefined);
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

// A store as promises. The outbox takes any object with these methods, so its unit tests
// hand it one kept in memory.
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
