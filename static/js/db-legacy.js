// Moving records from the databases Footing used before db.js's one database. Loaded by
// db.js only on a phone that has one; `run` is db.js's transaction helper (an import of
// db.js here would make a cycle, which collectstatic cannot hash).
// Before this database the outbox and the player opened one each ("footing-outbox" v1 and
// "footing-player" v1). Their records move here on open. The old databases are emptied,
// never deleted: a tab still running the old code may hold them open and write to them,
// and a deletion would wait for it and then take that write with it. What such a tab
// writes later moves over on the next open.
const LEGACY = [
  { name: "footing-outbox", stores: { items: "outbox" } },
  { name: "footing-player", stores: { progress: "progress", history: "history" } },
];

// Opens a database only if it exists: an upgrade event means it did not, so it is undone.
function openExisting(name) {
  return new Promise((resolve) => {
    const request = indexedDB.open(name);
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
}

export function migrate(db, run) {
  return Promise.all(LEGACY.map((legacy) => migrateOne(db, run, legacy).catch(() => undefined)));
}

async function migrateOne(db, run, legacy) {
  const old = await openExisting(legacy.name);
  if (!old) return;
  try {
    for (const [from, to] of Object.entries(legacy.stores)) {
      if (!old.objectStoreNames.contains(from)) continue;
      const records = await entries(old, from);
      if (!records.length) continue;
      await run(db, to, "readwrite", (target) => {
        for (const { key, value } of records) {
          // Keep what is already here: it is newer than the old copy.
          const add = target.keyPath ? target.add(value) : target.add(value, key);
          add.onerror = (event) => {
            event.preventDefault(); // a ConstraintError must not abort the others
            event.stopPropagation();
          };
        }
      });
      await run(old, from, "readwrite", (source) => {
        for (const { key } of records) source.delete(key);
      });
    }
  } finally {
    old.close();
  }
}

function entries(db, name) {
  return new Promise((resolve, reject) => {
    const found = [];
    const cursor = db.transaction(name).objectStore(name).openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return resolve(found);
      found.push({ key: at.primaryKey, value: at.value });
      at.continue();
    };
    cursor.onerror = () => reject(cursor.error);
  });
}
