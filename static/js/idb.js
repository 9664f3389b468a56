// An IndexedDB transaction as a promise: `action` makes a request on the store, and the
// promise settles with its result once the transaction is done.
export function run(db, name, mode, action) {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(name, mode);
    const request = action(transaction.objectStore(name));
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}
