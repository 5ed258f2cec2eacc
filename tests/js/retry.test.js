// The outbox's retry policy (static/js/outbox-retry.js): per-item tries, set aside after MAX_TRIES.
const test = require("node:test");
const assert = require("node:assert/strict");
const policy = require("../../static/js/outbox-retry.js");

test("an item failing with 5xx is tried again, then set aside with its reason", () => {
  let item = { id: "a", state: "pending", tries: 0 };
  for (let i = 1; i < policy.MAX_TRIES; i++) {
    const decision = policy.decide(item, { result: "retry", status: 500, reason: "server" }, false);
    assert.equal(decision.action, "later");
    assert.equal(decision.patch.tries, i);
    item = { ...item, ...decision.patch };
  }
  const last = policy.decide(item, { result: "retry", status: 500, reason: "server" }, false);
  assert.equal(last.action, "setAside");
  assert.deepEqual([last.patch.state, last.patch.reason, last.patch.status, last.patch.tries],
                   ["quarantined", "failing", 500, policy.MAX_TRIES]);
});

test("a timeout counts as a try, with its own reason", () => {
  const decision = policy.decide({ tries: policy.MAX_TRIES - 1 }, { result: "retry", status: 0, reason: "timeout" }, false);
  assert.equal(decision.action, "setAside");
  assert.equal(decision.patch.reason, "timeout");
});

test("a refusal while the person waits is 'to fix'; in the background it is set aside", () => {
  const refused = { result: "rejected", status: 422, form: true, reason: "refused", message: "Indica una scadenza." };
  const waiting = policy.decide({}, refused, true);
  assert.deepEqual([waiting.action, waiting.patch.state, waiting.patch.error], ["toFix", "tofix", "Indica una scadenza."]);
  const background = policy.decide({}, refused, false);
  assert.deepEqual([background.action, background.patch.state], ["setAside", "quarantined"]);
  const gone = policy.decide({}, { result: "rejected", status: 404, form: false, reason: "gone", message: "No report" }, true);
  assert.deepEqual([gone.action, gone.patch.reason], ["setAside", "gone"]);
});

test("no network or no session stops the round; a sent item leaves", () => {
  assert.deepEqual(policy.decide({}, { result: "offline" }, false), { action: "stop", stopped: "offline" });
  assert.deepEqual(policy.decide({}, { result: "signin" }, false), { action: "stop", stopped: "signin" });
  assert.deepEqual(policy.decide({}, { result: "sent", location: "/x" }, false), { action: "drop" });
});

test("the wait between rounds doubles, up to five minutes", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 10].map(policy.backoff), [15000, 30000, 60000, 120000, 240000, 300000, 300000]);
});
