// The outbox on pages: the badge, sending field forms as they are submitted, replay rounds and their
// timer, the /outbox page (see, fix, try again or delete), and sign-out. The queue, protocol, retry
// policy and capture are in the outbox-*.js files loaded before this one.
(function (global) {
  "use strict";
  const queue = global.OutboxQueue;
  const capture = global.OutboxCapture;
  const outbox = global.CortileOutbox;
  const policy = global.OutboxRetry;

  const status = () => document.getElementById("outbox-status");
  const strings = () => (status() ? JSON.parse(status().dataset.strings) : {});
  // A counted string comes as {one, other} (Italian and English: "one" is exactly 1).
  const pick = (text, values) => (text && typeof text === "object" ? (Number(values.n) === 1 ? text.one : text.other) : text);
  const say = (key, values = {}) => (pick(strings()[key], values) || key).replace(/\{(\w+)\}/g, (_, k) => values[k]);
  // Who saved what: the signed-in user of this page (empty on the app shell's pages, cached without cookies).
  const signedInUser = () => (status() || { dataset: {} }).dataset.user || null;
  // ... else the last user who signed in on this phone (sign-out forgets them).
  const knownUser = async () => signedInUser() || (await global.idb.get("meta", "user").catch(() => null)) || null;

  function message(text) {
    const node = document.getElementById("outbox-message");
    if (node) node.textContent = text;
  }

  // Badge and list show this user's items only; another user's are a count, never their contents.
  async function refresh() {
    const all = await queue.items();
    const me = await knownUser();
    const mine = all.filter((i) => queue.mine(i, me));
    const badge = document.getElementById("outbox-badge");
    if (badge) {
      badge.textContent = say("badge", { n: queue.toSend(mine) });
      badge.hidden = mine.length === 0;
    }
    document.querySelectorAll("#outbox-status [data-outbox-send]").forEach((b) => { b.hidden = mine.length === 0; });
    if (document.getElementById("outbox-list")) renderList(mine, queue.toSend(all.filter((i) => !queue.mine(i, me))));
    return mine;
  }

  // ---- Submitting a field form ----

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form[data-logout]")) return onSignOut(event, form);
    if (!form.matches("form[data-outbox]") || !global.indexedDB) return;
    // An htmx form (a follow-up's "done" button) swaps its answer in place while there is a network;
    // if its request fails, htmx:sendError below keeps it.
    if (form.hasAttribute("hx-post") && navigator.onLine !== false) return;
    // Ours, not htmx's boost nor the browser's: capture phase, before either sees it.
    event.preventDefault();
    event.stopPropagation();
    if (form.dataset.outboxBusy) return;
    form.dataset.outboxBusy = "1";
    submit(form, event.submitter).finally(() => { delete form.dataset.outboxBusy; });
  }, true);

  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt && event.detail.elt.closest("form[data-outbox]");
    if (form && global.indexedDB && !form.dataset.outboxBusy) {
      form.dataset.outboxBusy = "1";
      submit(form, null).finally(() => { delete form.dataset.outboxBusy; });
    }
  });

  // Leaving the page while a form is being written to the phone would lose it: ask first.
  let capturing = 0;
  global.addEventListener("beforeunload", (event) => { if (capturing) event.preventDefault(); });

  async function submit(form, submitter) {
    let item;
    capturing += 1;
    try {
      item = await capture.capture(form, submitter);
    } catch (error) {
      // No IndexedDB here (storage full, private mode): a plain submit is still better than nothing.
      message(say("noStorage", {}));
      HTMLFormElement.prototype.submit.call(form);
      return;
    } finally {
      capturing -= 1;
    }
    message(say("sending", {}));
    const summary = await outbox.replay({ interactive: item.id });
    const outcome = summary.results[item.id] || { result: summary.stopped || "offline" };
    const remaining = await afterReplay(summary);
    if (outcome.result === "sent") {
      global.location.assign(outcome.location);
    } else if (outcome.result === "rejected" && outcome.form) {
      // Refused while the person waits (422: a field to fix; 409: a newer version): the form comes back with
      // its errors, and that is all. Nothing stays on the phone: the fixed form is a new submit, and the
      // photos it had go back into it.
      const photos = (await queue.items()).filter((i) => i.type === "photo" && i.owner_id === item.id);
      await queue.discard(item.id);
      capture.showPage(outcome.html, null, photos);
      message("");
      await refresh();
    } else if (outcome.result === "rejected") {
      message(say("rejected", { message: outcome.message || outcome.status }));
    } else {
      message(say("saved", { n: queue.toSend(remaining) }));
      // An empty form for the next record: its own uuid, and none of the saved record's photos.
      form.reset();
      form.querySelectorAll("input[name=uuid], input[name=client_created_at]").forEach((i) => { i.value = ""; });
      form.querySelectorAll("input[type=hidden][name=photo_uuid]").forEach((i) => i.remove());
      form.querySelectorAll("[data-photo-previews]").forEach((p) => p.replaceChildren());
      capture.prepareForms(form.parentNode);
      document.dispatchEvent(new CustomEvent("cortile:outbox-saved", { detail: { form, id: item.id } }));
      global.scrollTo(0, 0);
    }
  }

  // ---- Replaying: on load, online, service-worker start, a backoff timer, "Send now" ----

  let running = null;
  let again = false;
  let timer = null;
  let failures = 0;

  function sendNow() {
    if (running) { again = true; return running; }
    clearTimeout(timer);
    running = (async () => {
      let summary;
      do {
        again = false;
        summary = await outbox.replay();
        await afterReplay(summary, true);
      } while (again && !summary.stopped);
      return summary;
    })().finally(() => { running = null; });
    return running;
  }

  // Tell the person what happened and plan the next try; returns this user's items still here.
  async function afterReplay(summary, background) {
    const left = await refresh();
    const banner = document.getElementById("outbox-signin");
    if (banner) {
      banner.hidden = summary.stopped !== "signin" || location.pathname === "/login";
      const link = banner.querySelector("[data-signin-link]");
      link.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    }
    const waiting = left.filter((i) => i.state === "pending").length;
    clearTimeout(timer);
    if ((summary.stopped === "offline" || summary.later) && waiting) {
      failures += 1;
      timer = setTimeout(sendNow, policy.backoff(failures));
      registerBackgroundSync();
    } else {
      failures = 0;
    }
    if (background) {
      const attention = left.filter((i) => i.state !== "pending").length;
      if (attention && (summary.quarantined || summary.toFix)) message(say("needAttention", { n: attention }));
      else if (summary.sent && !left.length) message(say("allSent", {}));
      else if (summary.sent) message(say("someSent", { n: summary.sent }));
    }
    return left;
  }

  function registerBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register(outbox.SYNC_TAG))
      .catch(() => {});
  }

  global.addEventListener("online", () => sendNow());
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-outbox-send]")) sendNow();
  });

  if ("serviceWorker" in navigator) {
    // Once the page has loaded: installing the worker downloads the whole shell, which would compete
    // with the page's own files on a slow connection.
    const register = () => navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    if (document.readyState === "complete") register();
    else global.addEventListener("load", register, { once: true });
    // A page that loaded while the worker was activating is not claimed: ask for it.
    navigator.serviceWorker.ready.then((registration) => {
      if (!navigator.serviceWorker.controller && registration.active) {
        registration.active.postMessage({ type: "cortile:claim" });
      }
    });
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "cortile:sw-started") sendNow();
    });
  }

  // ---- The outbox page: see, fix, try again or delete what is waiting ----

  // Why an item is not waiting any more, in the person's words.
  function reasonOf(item) {
    if (item.state === "tofix") return [say("toFixTitle", {}), item.error || ""];
    if (item.reason === "gone") return [say("goneTitle", {}), item.error || ""];
    if (item.reason === "failing" || item.reason === "timeout") {
      return [say("failingTitle", { n: item.tries }), item.reason === "timeout" ? say("timeout", {}) : say("serverError", { status: item.status })];
    }
    return [say("refusedTitle", {}), item.error || String(item.status || "")];
  }

  function renderList(mine, others) {
    const list = document.getElementById("outbox-list");
    const template = document.getElementById("outbox-item");
    const kinds = document.getElementById("outbox-kinds");
    list.textContent = "";
    document.querySelector("[data-outbox-empty]").hidden = mine.length + others > 0;
    const elsewhere = document.querySelector("[data-outbox-others]");
    elsewhere.hidden = others === 0;
    elsewhere.textContent = say("others", { n: others });
    for (const item of mine) {
      const node = template.content.firstElementChild.cloneNode(true);
      node.dataset.itemId = item.id;
      node.dataset.state = item.state;
      node.querySelector("[data-item-title]").textContent = item.label || item.action;
      node.querySelector("[data-item-kind]").textContent = kinds.content.querySelector(`[data-kind=${item.type}]`).textContent;
      const time = node.querySelector("[data-item-time]");
      time.dateTime = item.created;
      time.textContent = new Date(item.created).toLocaleString(document.documentElement.lang);
      const aside = item.state !== "pending";
      const pending = node.querySelector("[data-item-pending]");
      pending.hidden = aside || Boolean(item.held);
      if (item.tries) pending.textContent = say("tried", { n: item.tries, max: policy.MAX_TRIES });
      node.querySelector("[data-item-held]").hidden = !item.held;
      node.querySelector("[data-item-error]").hidden = !aside;
      if (aside) {
        const [title, text] = reasonOf(item);
        node.querySelector("[data-item-reason]").textContent = title;
        node.querySelector("[data-item-message]").textContent = text;
      }
      node.querySelector("[data-item-reopen]").hidden = !(aside && item.type === "form" && item.reason !== "gone"
                                                          && item.reason !== "failing" && item.reason !== "timeout");
      node.querySelector("[data-item-retry]").hidden = !(aside && (item.reason === "failing" || item.reason === "timeout"));
      if (item.type === "photo" && item.blob) {
        const img = node.querySelector("[data-item-thumb]");
        img.src = URL.createObjectURL(item.blob);
        img.hidden = false;
      }
      list.append(node);
    }
  }

  document.addEventListener("click", async (event) => {
    const row = event.target.closest("#outbox-list [data-item-id]");
    if (!row) return;
    const id = row.dataset.itemId;
    if (event.target.closest("[data-item-delete]")) {
      event.target.hidden = true;
      row.querySelector("[data-item-delete-confirm]").hidden = false;
      row.querySelector("[data-item-delete-confirm]").focus();
    } else if (event.target.closest("[data-item-delete-confirm]")) {
      await queue.discard(id);
      await refresh();
    } else if (event.target.closest("[data-item-retry]")) {
      await queue.retry(id);
      await refresh();
      sendNow();
    } else if (event.target.closest("[data-item-reopen]")) {
      sessionStorage.setItem("cortile:reopen", id);
      const item = await queue.get(id);
      global.location.assign(item.action);
    }
  });

  // ---- Signing out: never drop unsent records without asking; another user's stay ----

  async function onSignOut(event, form) {
    event.preventDefault();
    event.stopPropagation();
    const me = signedInUser();
    const mine = async () => (global.indexedDB ? (await queue.items()).filter((i) => queue.mine(i, me)) : []);
    const all = await mine();
    if (!all.length) return signOut(form, null);
    const panel = document.getElementById("logout-panel");
    panel.querySelector("[data-logout-question]").textContent = say("logoutQuestion", { n: queue.toSend(all) });
    panel.querySelector("[data-logout-drop]").textContent = say("logoutDrop", { n: queue.toSend(all) });
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest" });
    panel.querySelector("h2").focus();
    panel.onclick = async (click) => {
      if (click.target.closest("[data-logout-cancel]")) {
        panel.hidden = true;
      } else if (click.target.closest("[data-logout-drop]")) {
        await signOut(form, me);
      } else if (click.target.closest("[data-logout-send]")) {
        await sendNow();
        const left = await mine();
        if (!left.length) return signOut(form, null);
        panel.querySelector("[data-logout-question]").textContent = say("logoutStill", { n: queue.toSend(left) });
        panel.querySelector("[data-logout-drop]").textContent = say("logoutDrop", { n: queue.toSend(left) });
      }
    };
  }

  // Cached pages and local data go with the session; the app shell (no personal data) stays.
  async function signOut(form, dropFor) {
    try {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => !n.startsWith("cortile-shell-")).map((n) => caches.delete(n)));
      await global.idb.clear("meta");
      if (dropFor) await queue.dropFor(dropFor);
    } finally {
      HTMLFormElement.prototype.submit.call(form);
    }
  }

  // ---- Start ----

  global.CortileOutboxPage = { say, message, signedInUser, knownUser, refresh, sendNow };

  function start(root) {
    capture.prepareForms(root);
    const ready = global.CortileOffline ? global.CortileOffline.forgetOtherUsersPages() : Promise.resolve();
    ready.catch(() => {}).then(refresh).then(() => sendNow());
  }
  // In a task of its own after DOMContentLoaded: the page's first paint and htmx's set-up come first, each a
  // short task, and every deferred script (offline-prepare.js's CortileOffline among them) has run by then.
  const startSoon = () => setTimeout(() => start(document), 0);
  if (document.readyState === "complete") startSoon();
  else document.addEventListener("DOMContentLoaded", startSoon);
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.target === document.body || event.target.contains(status())) start(document);
    else capture.prepareForms(event.target);
  });
})(self);
