// The outbox's retry policy, pure: what to do with one item after one try, and when to try again.
// Like Workbox's Queue, each item counts its own tries; an item that keeps failing is set aside
// with its reason after MAX_TRIES, and the round goes on with the next one.
(function (global) {
  "use strict";
  const MAX_TRIES = 5;
  const FIRST_WAIT_MS = 15000;
  const LONGEST_WAIT_MS = 300000;

  // decide(item, outcome, interactive) -> {action, patch?, stopped?}
  //   action "drop":     the server has it; the item leaves the phone.
  //   action "toFix":    the person is looking at the form and gets it back with the server's errors;
  //                      it stays on the phone, with its photos, until fixed or deleted.
  //   action "setAside": refused (or gone, or failing again and again): kept, visible, never retried alone.
  //   action "later":    failed this time (5xx, timeout); counted; the next item goes on.
  //   action "stop":     no network or no session: nothing else can go either.
  function decide(item, outcome, interactive) {
    const when = new Date().toISOString();
    switch (outcome.result) {
      case "sent":
        return { action: "drop" };
      case "rejected":
        return {
          action: interactive && outcome.form ? "toFix" : "setAside",
          patch: { state: interactive && outcome.form ? "tofix" : "quarantined", status: outcome.status,
                   reason: outcome.reason || "refused", error: outcome.message || "", at: when },
        };
      case "retry": {
        const tries = (item.tries || 0) + 1;
        const failing = { status: outcome.status || 0, reason: outcome.reason === "timeout" ? "timeout" : "failing",
                          tries, at: when };
        if (tries >= MAX_TRIES) return { action: "setAside", patch: { ...failing, state: "quarantined", error: "" } };
        return { action: "later", patch: { ...failing, state: "pending" } };
      }
      default:
        return { action: "stop", stopped: outcome.result || "offline" };
    }
  }

  // How long to wait before the next round after `failures` rounds in a row that could not finish.
  function backoff(failures) {
    return Math.min(FIRST_WAIT_MS * 2 ** Math.max(failures - 1, 0), LONGEST_WAIT_MS);
  }

  const retry = { MAX_TRIES, decide, backoff };
  global.OutboxRetry = retry;
  if (typeof module === "object" && module.exports) module.exports = retry;
})(typeof self !== "undefined" ? self : globalThis);
