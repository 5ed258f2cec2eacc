// A tiny promise-based IndexedDB helper, after idb-keyval: one database, named stores, get/set/del,
// and modify(): read and write in ONE transaction, so a write never brings back what another tab deleted.
// Used by pages, the service worker and the Node tests (no DOM here).
(function (global) {
  "use strict";
  const NAME = "cortile";
  const STORES = ["outbox", "meta"]; // outbox: unsent field records and photos; meta: small settings
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = global.indexedDB.open(NAME, 1);
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

  // Read every value of `store` and apply change(values) -> {put: [[key, value]...], del: [key...], result}
  // inside the same readwrite transaction (callbacks only: an await would let the transaction commit).
  async function modify(store, change) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(store, "readwrite");
      const objects = tx.objectStore(store);
      let outcome;
      const read = objects.getAll();
      read.onsuccess = () => {
        try {
          outcome = change(read.result) || {};
        } catch (error) {
          tx.abort();
          reject(error);
          return;
        }
        for (const [key, value] of outcome.put || []) objects.put(value, key);
        for (const key of outcome.del || []) objects.delete(key);
      };
      tx.oncomplete = () => resolve(outcome && outcome.result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  const idb = {
    get: (store, key) => transact(store, "readonly", (s) => s.get(key)),
    set: (store, key, value) => transact(store, "readwrite", (s) => s.put(value, key)),
    del: (store, key) => transact(store, "readwrite", (s) => s.delete(key)),
    values: (store) => transact(store, "readonly", (s) => s.getAll()),
    clear: (store) => transact(store, "readwrite", (s) => s.clear()),
    modify,
  };
  global.idb = idb;
  if (typeof module === "object" && module.exports) module.exports = idb;
})(typeof self !== "undefined" ? self : globalThis);
