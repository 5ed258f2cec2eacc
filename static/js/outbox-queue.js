// The outbox's queue on the phone (IndexedDB store "outbox", through idb.js). Every write re-reads the
// store inside its own transaction (idb.modify), so a write never brings back an item another tab or
// the service worker deleted or sent meanwhile.
// Items: {id, type: "form"|"photo", seq, state: "pending"|"tofix"|"quarantined", user, label, created,
//         tries, reason, status, error, ...}
//   form:  {action, fields: [[name, value, filename?]...]}   id = the record's uuid
//   photo: {owner, owner_id, role, blob, name, held}          id = the photo's uuid
(function (global) {
  "use strict";
  const idb = global.idb;
  const STORE = "outbox";

  let lastSeq = 0;
  function nextSeq() {
    lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
    return lastSeq;
  }

  const bySeq = (all) => all.sort((a, b) => a.seq - b.seq);
  const items = async () => bySeq(await idb.values(STORE));
  const get = (id) => idb.get(STORE, id);

  // Keep a captured form and its photos. Photos kept from an earlier try (a form sent back for fixing)
  // follow the form that lists their uuids, and leave with it when the fixed form no longer lists them;
  // the item the form replaces (fixed under a new uuid) leaves.
  function save(record, photos, replaces) {
    return idb.modify(STORE, (all) => {
      const listed = new Set(record.fields.filter(([name]) => name === "photo_uuid").map(([, value]) => value));
      const fresh = new Set(photos.map((p) => p.id));
      const put = [[record.id, record], ...photos.map((p) => [p.id, p])];
      const del = [];
      for (const photo of all) {
        if (photo.type !== "photo" || fresh.has(photo.id)) continue;
        const before = photo.owner_id === replaces || (photo.held && photo.owner_id === record.id);
        if (listed.has(photo.id) && (photo.held || before)) {
          put.push([photo.id, { ...photo, owner_id: record.id, held: false, seq: nextSeq() }]);
        } else if (before && replaces) {
          del.push(photo.id); // removed from the form while fixing it
        }
      }
      if (replaces && replaces !== record.id && all.some((i) => i.id === replaces)) del.push(replaces);
      return { put, del, result: record };
    });
  }

  // Change an item only if it is still here: the patch never brings back a deleted or sent item.
  // A form set aside "to fix" holds its photos: they wait for the fixed form.
  function update(id, patch) {
    return idb.modify(STORE, (all) => {
      const item = all.find((i) => i.id === id);
      if (!item) return { result: null };
      const changed = { ...item, ...patch };
      const put = [[id, changed]];
      if (patch.state === "tofix") {
        for (const photo of all) if (photo.type === "photo" && photo.owner_id === id) put.push([photo.id, { ...photo, held: true }]);
      }
      return { put, result: changed };
    });
  }

  const remove = (id) => idb.del(STORE, id);

  // Delete an item for good; a form takes its photos with it.
  function discard(id) {
    return idb.modify(STORE, (all) => ({
      del: all.filter((i) => i.id === id || (i.type === "photo" && i.owner_id === id)).map((i) => i.id),
    }));
  }

  // Put a set-aside item back in the queue with its tries counted from zero ("Try again").
  const retry = (id) => update(id, { state: "pending", tries: 0, reason: null, status: null, error: "" });

  // Sign out and delete: only this user's items; another user's stay for them.
  function dropFor(user) {
    return idb.modify(STORE, (all) => ({ del: all.filter((i) => mine(i, user)).map((i) => i.id) }));
  }

  // Items saved without a user (before items had owners) belong to whoever is signed in; with nobody
  // known on this phone, every owned item is someone else's.
  const mine = (item, user) => !item.user || (Boolean(user) && String(item.user) === String(user));

  // What the person counts as "to send": records, and photos whose record already left.
  function toSend(all) {
    const forms = new Set(all.filter((i) => i.type === "form").map((i) => i.id));
    return all.filter((i) => i.type === "form" || !forms.has(i.owner_id)).length;
  }

  const queue = { STORE, nextSeq, items, get, save, update, remove, discard, retry, dropFor, mine, toSend };
  global.OutboxQueue = queue;
  if (typeof module === "object" && module.exports) module.exports = queue;
})(typeof self !== "undefined" ? self : globalThis);
