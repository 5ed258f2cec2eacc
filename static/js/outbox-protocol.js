// The outbox's protocol, pure: an item in, a request description out; a server answer in, an outcome out.
// No fetch, no DOM, no IndexedDB here, so the service worker and the Node tests use it as it is.
// The server side: docs/DEVELOPING.md "Field records" and sync/routes.py.
(function (global) {
  "use strict";
  const OFFLINE_HEADER = "X-Cortile-Offline"; // set on answers the service worker made up
  const TIMEOUT_MS = { form: 30000, photo: 120000 }; // a cellar's signal can hang a request forever

  // A saved form as a request: `interactive` when someone waits for the record's page.
  // Files travel with the form only when it has no uuid to hang them on (see outbox-capture.js).
  function formRequest(item, token, interactive) {
    const entries = item.fields.filter(([name]) => name !== "csrf_token");
    entries.push(["csrf_token", token]);
    return {
      url: item.action, entries, timeout: TIMEOUT_MS.form,
      multipart: entries.some(([, value]) => typeof value !== "string"),
      headers: { "X-Cortile-Outbox": interactive ? "1" : "replay" },
    };
  }

  function photoRequest(item, token) {
    return {
      url: "/sync/photos", multipart: true, timeout: TIMEOUT_MS.photo,
      headers: { "X-Cortile-Outbox": "1", "X-CSRFToken": token },
      entries: [["uuid", item.id], ["owner", item.owner], ["owner_id", item.owner_id],
                ["role", item.role || "report"], ["client_created_at", item.created || ""],
                ["file", item.blob, item.name || `${item.id}.jpg`]],
    };
  }

  // What an answer means for the item. `answer`: {status, url, offline, location, contentType, text}
  // or {networkError: true} (no answer at all) or {timedOut: true}.
  function outcomeOf(answer) {
    if (answer.networkError) return { result: "offline" }; // maybe stored, maybe not: the uuid makes a retry safe
    if (answer.timedOut) return { result: "retry", status: 0, reason: "timeout" };
    if (answer.offline) return { result: "offline" };
    let path = "";
    try { path = new URL(answer.url, "http://x").pathname; } catch (error) { /* no URL: not the sign-in page */ }
    if (answer.status === 401 || path === "/login") return { result: "signin" };
    if (answer.status >= 200 && answer.status < 300) return { result: "sent", location: answer.location || answer.url };
    if (answer.status === 408 || answer.status === 429 || answer.status >= 500) {
      return { result: "retry", status: answer.status, reason: "server" };
    }
    const text = answer.text || "";
    return {
      result: "rejected", status: answer.status, html: text,
      reason: answer.status === 404 || answer.status === 410 ? "gone" : "refused",
      form: answer.status === 422 || (answer.status === 409 && /<form[^>]*data-outbox/.test(text)),
      message: serverMessage(text, answer.contentType || ""),
    };
  }

  const clean = (html) => html.replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();

  // The server's own words: a JSON message; or the form's errors (its summary, then each field's); or
  // a conflict's headline; or an error page's message. Never the page's other alerts (the hidden
  // sign-in banner is one), and never the generic summary when the fields say more.
  function serverMessage(text, type) {
    if ((type || "").includes("json")) {
      try { const body = JSON.parse(text); return String(body.message || body.error || ""); } catch (error) { /* HTML */ }
    }
    const words = [];
    const summary = /<div[^>]*data-form-errors[^>]*>([\s\S]*?)<\/div>/.exec(text);
    const fields = [...text.matchAll(/<div class="invalid-feedback[^"]*"[^>]*>([\s\S]*?)<\/div>/g)].map((m) => clean(m[1]));
    if (summary) {
      const own = [...summary[1].matchAll(/<p[^>]*data-form-error[^>]*>([\s\S]*?)<\/p>/g)].map((m) => clean(m[1]));
      words.push(...(own.length || fields.length ? own : [clean(summary[1])]));
    }
    words.push(...fields);
    if (!words.length) {
      for (const pattern of [/data-testid="conflict"[^>]*>\s*<p[^>]*>([\s\S]*?)<\/p>/, /data-testid="error-message"[^>]*>([\s\S]*?)</,
                             /<main[\s\S]*?<h1[^>]*>([\s\S]*?)<\/h1>/]) {
        const match = pattern.exec(text);
        if (match) { words.push(clean(match[1])); break; }
      }
    }
    return [...new Set(words.filter(Boolean))].join(" ");
  }

  const protocol = { OFFLINE_HEADER, TIMEOUT_MS, formRequest, photoRequest, outcomeOf, serverMessage };
  global.OutboxProtocol = protocol;
  if (typeof module === "object" && module.exports) module.exports = protocol;
})(typeof self !== "undefined" ? self : globalThis);
