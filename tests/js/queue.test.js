// The outbox's queue (static/js/outbox-queue.js) on fake-indexeddb: writes re-read inside their
// transaction, so nothing deleted or sent ever comes back; photos follow their form.
require("fake-indexeddb/auto");
const test = require("node:test");
const assert = require("node:assert/strict");
const idb = require("../../static/js/idb.js");
const queue = require("../../static/js/outbox-queue.js");

const form = (id, extra = {}) => ({ id, type: "form", seq: queue.nextSeq(), state: "pending", user: "7",
                                     action: "http://x/f", fields: [["uuid", id]], ...extra });
const photo = (id, owner, extra = {}) => ({ id, type: "photo", seq: queue.nextSeq(), state: "pending", user: "7",
                                            owner: "report", owner_id: owner, blob: "jpeg", held: false, ...extra });
const ids = async () => (await queue.items()).map((i) => i.id);

test.beforeEach(() => idb.clear("outbox"));

test("a form and its photos are saved together, oldest first", async () => {
  await queue.save(form("r1", { fields: [["uuid", "r1"], ["photo_uuid", "p1"]] }), [photo("p1", "r1")]);
  await queue.save(form("v1"), []);
  assert.deepEqual(await ids(), ["r1", "p1", "v1"]);
  assert.equal(queue.toSend(await queue.items()), 2, "a photo of an unsent record is not counted apart");
});

test("an update never brings back an item deleted meanwhile", async () => {
  await queue.save(form("v1"), []);
  const stale = (await queue.items())[0];
  await queue.discard("v1"); // another tab deletes it while a replay holds the old copy
  assert.equal(await queue.update(stale.id, { state: "quarantined", error: "x" }), null);
  assert.deepEqual(await ids(), []);
  await queue.save(form("v2"), []);
  await queue.remove("v2"); // sent
  await queue.update("v2", { tries: 1 });
  assert.deepEqual(await ids(), [], "a sent item never comes back");
});

test("a form to fix holds its photos; fixed, they follow it; removed ones leave", async () => {
  const fields = [["uuid", "r1"], ["photo_uuid", "p1"], ["photo_uuid", "p2"]];
  await queue.save(form("r1", { fields }), [photo("p1", "r1"), photo("p2", "r1")]);
  await queue.update("r1", { state: "tofix", error: "Scegli lo stabile." });
  const held = await queue.items();
  assert.deepEqual(held.map((i) => [i.id, i.state, Boolean(i.held)]),
                   [["r1", "tofix", false], ["p1", "pending", true], ["p2", "pending", true]]);
  // The person fixes the form and keeps only the first photo.
  await queue.save(form("r1", { fields: [["uuid", "r1"], ["photo_uuid", "p1"]] }), [], "r1");
  const fixed = await queue.items();
  assert.deepEqual(fixed.map((i) => [i.id, i.state, Boolean(i.held), i.owner_id || null]),
                   [["r1", "pending", false, null], ["p1", "pending", false, "r1"]]);
});

test("a form fixed under a new uuid replaces the old item and takes its photos", async () => {
  await queue.save(form("old", { fields: [["uuid", "old"], ["photo_uuid", "p1"]], state: "quarantined" }), [photo("p1", "old")]);
  await queue.save(form("new", { fields: [["uuid", "new"], ["photo_uuid", "p1"]] }), [], "old");
  const all = await queue.items();
  assert.deepEqual(all.map((i) => [i.id, i.owner_id || null]), [["new", null], ["p1", "new"]]);
});

test("discard takes a form's photos; sign-out drops only this user's items", async () => {
  await queue.save(form("r1"), [photo("p1", "r1")]);
  await queue.save(form("x1", { user: "9" }), []);
  await queue.discard("r1");
  assert.deepEqual(await ids(), ["x1"]);
  await queue.save(form("r2"), []);
  await queue.dropFor("7");
  assert.deepEqual(await ids(), ["x1"], "another user's record stays for them");
});

test("an item belongs to its user; with nobody known, every owned item is someone else's", () => {
  assert.equal(queue.mine({ user: "7" }, "7"), true);
  assert.equal(queue.mine({ user: "7" }, 7), true);
  assert.equal(queue.mine({ user: "7" }, "9"), false);
  assert.equal(queue.mine({ user: "7" }, null), false);
  assert.equal(queue.mine({}, "9"), true, "items saved before items had owners");
});

test("try again puts a set-aside item back with its tries from zero", async () => {
  await queue.save(form("v1"), []);
  await queue.update("v1", { state: "quarantined", reason: "failing", tries: 5, status: 500 });
  await queue.retry("v1");
  const [item] = await queue.items();
  assert.deepEqual([item.state, item.tries, item.reason], ["pending", 0, null]);
});
