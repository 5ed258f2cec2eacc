// The outbox's replay: oldest first, one item at a time for the whole origin (tabs and the service
// worker take turns under a Web Lock). Each item follows the retry policy (outbox-retry.js): one bad
// item is set aside or tried again later, and the others go on. Runs in pages and in the service worker.
(function (global) {
  "use strict";
  const queue = global.OutboxQueue;
  const protocol = global.OutboxProtocol;
  const policy = global.OutboxRetry;
  const SYNC_TAG = "cortile-outbox";

  let localTurn = Promise.resolve();
  function exclusively(work) {
    if (global.navigator && global.navigator.locks) return global.navigator.locks.request("cortile-outbox", work);
    const turn = localTurn.then(work, work);
    localTurn = turn.catch(() => {});
    return turn;
  }

  // Returns {sent, quarantined, toFix, later, stopped: null|"offline"|"signin", results: {id: outcome}}.
  function replay(options) {
    const interactive = (options || {}).interactive;
    return exclusively(async () => {
      const summary = { sent: 0, quarantined: 0, toFix: 0, later: 0, stopped: null, results: {} };
      const pending = (await queue.items()).filter((item) => item.state === "pending");
      if (!pending.length) return summary;
      if (global.navigator && global.navigator.onLine === false) return { ...summary, stopped: "offline" };
      const session = await freshSession();
      if (session.stopped) return { ...summary, stopped: session.stopped };
      for (const listed of pending) {
        if (!queue.mine(listed, session.user)) continue; // another user's: it waits for them
        const item = await queue.get(listed.id); // deleted or changed since the round began?
        if (!item || item.state !== "pending") continue;
        if (item.type === "photo" && (item.held || await unsentForm(item.owner_id))) continue;
        const request = item.type === "photo" ? protocol.photoRequest(item, session.token)
          : protocol.formRequest(item, session.token, item.id === interactive);
        const outcome = await send(request);
        summary.results[item.id] = outcome;
        const decision = policy.decide(item, outcome, item.id === interactive);
        if (decision.action === "drop") {
          await queue.remove(item.id);
          summary.sent += 1;
        } else if (decision.action === "stop") {
          summary.stopped = decision.stopped;
          break;
        } else {
          await queue.update(item.id, decision.patch);
          if (decision.action === "setAside") summary.quarantined += 1;
          else if (decision.action === "toFix") summary.toFix += 1;
          else summary.later += 1;
        }
      }
      return summary;
    });
  }

  async function unsentForm(id) {
    const form = await queue.get(id);
    return Boolean(form && form.type === "form");
  }

  // A fresh CSRF token (the one saved with a form belongs to an older page) and who is signed in.
  async function freshSession() {
    let response;
    try {
      response = await fetch("/sync/token", { credentials: "same-origin", cache: "no-store" });
    } catch (error) {
      return { stopped: "offline" };
    }
    if (response.headers.get(protocol.OFFLINE_HEADER)) return { stopped: "offline" };
    if (response.status === 401) return { stopped: "signin" };
    if (!response.ok) return { stopped: "offline" };
    const body = await response.json();
    return { token: body.csrf_token, user: body.user };
  }

  // One request as described by the protocol; its answer as an outcome (fetch followed any redirect).
  async function send(request) {
    const body = request.multipart ? new FormData() : new URLSearchParams();
    for (const [name, value, filename] of request.entries) {
      if (typeof value === "string") body.append(name, value);
      else body.append(name, value, filename || "photo.jpg");
    }
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; abort.abort(); }, request.timeout);
    try {
      const response = await fetch(request.url, {
        method: "POST", body, credentials: "same-origin", signal: abort.signal,
        headers: { "X-Cortile-Outbox": "1", ...request.headers },
      });
      const failed = !response.ok && !response.headers.get(protocol.OFFLINE_HEADER);
      return protocol.outcomeOf({
        status: response.status, url: response.url, offline: Boolean(response.headers.get(protocol.OFFLINE_HEADER)),
        location: response.headers.get("X-Cortile-Location"), contentType: response.headers.get("Content-Type") || "",
        text: failed ? await response.text() : "",
      });
    } catch (error) {
      return protocol.outcomeOf(timedOut ? { timedOut: true } : { networkError: true });
    } finally {
      clearTimeout(timer);
    }
  }

  global.CortileOutbox = { SYNC_TAG, items: queue.items, replay, discard: queue.discard, toSend: queue.toSend };
})(typeof self !== "undefined" ? self : globalThis);
