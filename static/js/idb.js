// A tiny promise-based IndexedDB helper, after idb-keyval: one database, named stores, get/set/del.
// Used by pages and by the service worker (no DOM here).
(function (global) {
  "use strict";
  const NAME = "cortile";
  const STORES = ["outbox", "meta"]; // outbox: unsent field records and photos; meta: small settings
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(NAME, 1);
        request.onupgradeneeded = () => {
          for (const store of STORES) {
            if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
          }
        };
        request.onsuccess = () => {
          const db = request.result;
          db.onversionchange = () => { db.close(); opening = null; };
          db.onclose = () => { opening = null; };
          resolve(db);
        };
        request.onerror = () => { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  // Run `work(store)` in one transaction; resolves with the last request's result once committed.
  async function transact(store, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = work(tx.objectStore(store));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  global.idb = {
    get: (store, key) => transact(store, "readonly", (s) => s.get(key)),
    set: (store, key, value) => transact(store, "readwrite", (s) => s.put(value, key)),
    del: (store, key) => transact(store, "readwrite", (s) => s.delete(key)),
    values: (store) => transact(store, "readonly", (s) => s.getAll()),
    clear: (store) => transact(store, "readwrite", (s) => s.clear()),
  };
})(self);
