// The outbox: field records (and their photos) kept on this phone until the server confirms them.
// The first half (the queue and its replay) also runs in the service worker, for Background Sync;
// the second half wires up pages: form[data-outbox], the badge, the outbox page, sign-out, "prepare".
// Protocol: docs/DEVELOPING.md "Field records" and sync/routes.py.
(function (global) {
  "use strict";
  const idb = global.idb;
  const STORE = "outbox";
  const SYNC_TAG = "cortile-outbox";
  const OFFLINE_HEADER = "X-Cortile-Offline"; // set on answers the service worker made up
  const TIMEOUT_MS = { form: 30000, photo: 120000 }; // a cellar's signal can hang a request forever

  // ---- The queue ------------------------------------------------------------------------------
  // Items: {id, type: "form"|"photo", seq, state: "pending"|"quarantined", user, label, created, ...}
  //   form:  {action, fields: [[name, value]...]}          id = the record's uuid
  //   photo: {owner, owner_id, role, blob, name, held}     id = the photo's uuid

  let lastSeq = 0;
  function nextSeq() {
    lastSeq = Math.max(Date.now() * 1000, lastSeq + 1);
    return lastSeq;
  }

  async function items() {
    return (await idb.values(STORE)).sort((a, b) => a.seq - b.seq);
  }

  // One item at a time for the whole origin: tabs and the service worker take turns.
  let localTurn = Promise.resolve();
  function exclusively(work) {
    if (global.navigator.locks) return global.navigator.locks.request("cortile-outbox", work);
    const turn = localTurn.then(work, work);
    localTurn = turn.catch(() => {});
    return turn;
  }

  // Replay: oldest first; a refused item is set aside, a network or server failure stops the round.
  // Returns {sent, quarantined, stopped: null|"offline"|"retry"|"signin", results: {id: outcome}}.
  function replay(options) {
    const interactive = (options || {}).interactive;
    return exclusively(async () => {
      const summary = { sent: 0, quarantined: 0, stopped: null, results: {} };
      const queue = (await items()).filter((item) => item.state === "pending");
      if (!queue.length) return summary;
      if (global.navigator.onLine === false) return { ...summary, stopped: "offline" };
      const session = await freshSession();
      if (session.stopped) return { ...summary, stopped: session.stopped };
      const unsentForms = new Set((await items()).filter((i) => i.type === "form").map((i) => i.id));
      for (const item of queue) {
        if (item.user && session.user && String(item.user) !== String(session.user)) continue;
        if (item.type === "photo" && (item.held || unsentForms.has(item.owner_id))) continue;
        const outcome = item.type === "photo" ? await sendPhoto(item, session.token)
          : await sendForm(item, session.token, item.id === interactive);
        summary.results[item.id] = outcome;
        if (outcome.result === "sent") {
          await idb.del(STORE, item.id);
          unsentForms.delete(item.id);
          summary.sent += 1;
        } else if (outcome.result === "rejected" && item.id === interactive && outcome.form) {
          // The person is looking at the form: they get it back with the server's errors (or both
          // versions of an edit that met a newer one).
          await setAside(item.id);
        } else if (outcome.result === "rejected") {
          await idb.set(STORE, item.id, { ...item, state: "quarantined", status: outcome.status, error: outcome.message });
          summary.quarantined += 1;
        } else {
          summary.stopped = outcome.result;
          break;
        }
      }
      return summary;
    });
  }

  // A fresh CSRF token (the one saved with a form belongs to an older page) and who is signed in.
  async function freshSession() {
    let response;
    try {
      response = await fetch("/sync/token", { credentials: "same-origin", cache: "no-store" });
    } catch (error) {
      return { stopped: "offline" };
    }
    if (response.headers.get(OFFLINE_HEADER)) return { stopped: "offline" };
    if (response.status === 401) return { stopped: "signin" };
    if (!response.ok) return { stopped: "retry" };
    const body = await response.json();
    return { token: body.csrf_token, user: body.user };
  }

  // Someone is waiting for this form ("1": they get the record's page) or it is a replay.
  // Files travel with the form only when it has no uuid to hang them on (see capture()).
  function sendForm(item, token, interactive) {
    const files = item.fields.some(([, value]) => typeof value !== "string");
    const body = files ? new FormData() : new URLSearchParams();
    for (const [name, value, filename] of item.fields) {
      if (name === "csrf_token") continue;
      if (typeof value === "string") body.append(name, value);
      else body.append(name, value, filename || "photo.jpg");
    }
    body.append("csrf_token", token);
    return post(item.action, body, { "X-Cortile-Outbox": interactive ? "1" : "replay" }, TIMEOUT_MS.form);
  }

  function sendPhoto(item, token) {
    const body = new FormData();
    body.append("uuid", item.id);
    body.append("owner", item.owner);
    body.append("owner_id", item.owner_id);
    body.append("role", item.role || "report");
    body.append("client_created_at", item.created || "");
    body.append("file", item.blob, item.name || `${item.id}.jpg`);
    return post("/sync/photos", body, { "X-CSRFToken": token }, TIMEOUT_MS.photo);
  }

  async function post(url, body, headers, timeout) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeout);
    try {
      const response = await fetch(url, {
        method: "POST", body, credentials: "same-origin", signal: abort.signal,
        headers: { "X-Cortile-Outbox": "1", ...headers },
      });
      return await outcome(response);
    } catch (error) {
      return { result: "offline" }; // no answer: maybe stored, maybe not; the uuid makes a retry safe
    } finally {
      clearTimeout(timer);
    }
  }

  // What the server's answer means for the item (fetch followed any redirect already).
  async function outcome(response) {
    if (response.headers.get(OFFLINE_HEADER)) return { result: "offline" };
    if (response.status === 401 || new URL(response.url).pathname === "/login") return { result: "signin" };
    if (response.ok) return { result: "sent", location: response.headers.get("X-Cortile-Location") || response.url };
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      return { result: "retry", status: response.status };
    }
    const text = await response.text();
    return { result: "rejected", status: response.status, html: text,
             form: response.status === 422 || (response.status === 409 && /<form[^>]*data-outbox/.test(text)),
             message: serverMessage(text, response.headers.get("Content-Type") || "") };
  }

  // The server's own words: a JSON message, or the text of the page's [role=alert] summary.
  function serverMessage(text, type) {
    if (type.includes("json")) {
      try { const body = JSON.parse(text); return String(body.message || body.error); } catch (error) { /* HTML */ }
    }
    if (typeof DOMParser !== "undefined") {
      const page = new DOMParser().parseFromString(text, "text/html");
      for (const selector of ["main [role=alert]", "[data-testid=error-message]", "main h1"]) {
        const node = page.querySelector(selector);
        if (node) return node.textContent.replace(/\s+/g, " ").trim();
      }
      return "";
    }
    const match = /role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(text) || /data-testid="error-message"[^>]*>([\s\S]*?)</.exec(text);
    return match ? match[1].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() : "";
  }

  // A form the person gets back to fix: drop it, but keep its photos until the form comes again.
  async function setAside(id) {
    for (const item of await items()) {
      if (item.type === "photo" && item.owner_id === id) await idb.set(STORE, item.id, { ...item, held: true });
    }
    await idb.del(STORE, id);
  }

  // Delete an item for good; a form takes its photos with it.
  async function discard(id) {
    for (const item of await items()) {
      if (item.id === id || (item.type === "photo" && item.owner_id === id)) await idb.del(STORE, item.id);
    }
  }

  // What the person counts as "to send": records, and photos whose record already left.
  function toSend(all) {
    const forms = new Set(all.filter((i) => i.type === "form").map((i) => i.id));
    return all.filter((i) => i.type === "form" || !forms.has(i.owner_id)).length;
  }

  global.CortileOutbox = { SYNC_TAG, items, replay, discard, toSend };
  if (typeof document === "undefined") return; // in the service worker the queue is all we need

  // ---- Pages ----------------------------------------------------------------------------------

  const strings = () => {
    const status = document.getElementById("outbox-status");
    return status ? JSON.parse(status.dataset.strings) : {};
  };
  const say = (key, values) => (strings()[key] || key).replace(/\{(\w+)\}/g, (_, k) => values[k]);
  const signedInUser = () => (document.getElementById("outbox-status") || { dataset: {} }).dataset.user || null;
  const deviceNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  // A version-4 uuid; crypto.randomUUID is missing before iOS 15.4.
  const newUuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : ([1e7] + -1e3 + -4e3 + -8e3 + -1e11).replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
  // form.action would be shadowed by a field named "action": read the attribute.
  const actionOf = (form) => new URL(form.getAttribute("action") || location.href, location.href).href;

  function message(text) {
    const node = document.getElementById("outbox-message");
    if (node) node.textContent = text;
  }

  async function refresh() {
    const all = await items();
    const badge = document.getElementById("outbox-badge");
    if (badge) {
      badge.textContent = say("badge", { n: toSend(all) });
      badge.hidden = all.length === 0;
    }
    document.querySelectorAll("#outbox-status [data-outbox-send]").forEach((b) => { b.hidden = all.length === 0; });
    if (document.getElementById("outbox-list")) renderList(all);
    return all;
  }

  // Give every field form its identity on the device, before anything can go wrong.
  function prepareForms(root) {
    root.querySelectorAll("form[data-outbox] input[name=uuid]").forEach((input) => {
      if (!input.value) input.value = newUuid();
    });
    reopenInto(root);
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
      item = await capture(form, submitter);
    } catch (error) {
      // No IndexedDB here (storage full, private mode): a plain submit is still better than nothing.
      message(say("noStorage", {}));
      HTMLFormElement.prototype.submit.call(form);
      return;
    } finally {
      capturing -= 1;
    }
    message(say("sending", {}));
    const summary = await replay({ interactive: item.id });
    const outcome = summary.results[item.id] || { result: summary.stopped || "offline" };
    const remaining = await afterReplay(summary);
    if (outcome.result === "sent") {
      global.location.assign(outcome.location);
    } else if (outcome.result === "rejected" && outcome.form) {
      message("");
      showPage(outcome.html);
    } else if (outcome.result === "rejected") {
      message(say("rejected", { message: outcome.message || outcome.status }));
    } else {
      message(say("saved", { n: toSend(remaining) }));
      // An empty form for the next record: its own uuid, and none of the saved record's photos.
      form.reset();
      form.querySelectorAll("input[name=uuid], input[name=client_created_at]").forEach((i) => { i.value = ""; });
      form.querySelectorAll("input[type=hidden][name=photo_uuid]").forEach((i) => i.remove());
      form.querySelectorAll("[data-photo-previews]").forEach((p) => p.replaceChildren());
      prepareForms(form.parentNode);
      document.dispatchEvent(new CustomEvent("cortile:outbox-saved", { detail: { form, id: item.id } }));
      global.scrollTo(0, 0);
    }
  }

  // Save the form and its photos in IndexedDB; returns the form item.
  // A form with a uuid sends its record first, then each photo to /sync/photos, owned by that uuid
  // (photos.js pairs the files with hidden `photo_uuid` inputs, in order). A form without a uuid
  // (photos added to an existing record) keeps its files and sends them along, in one request.
  async function capture(form, submitter) {
    const uuidInput = form.querySelector("input[name=uuid]");
    if (uuidInput && !uuidInput.value) uuidInput.value = newUuid();
    const created = form.querySelector("input[name=client_created_at]");
    if (created && !created.value) created.value = deviceNow();
    const entries = [...formData(form, submitter)];
    const files = entries.filter(([, value]) => typeof value !== "string" && value.size > 0);
    // A button with its own formaction sends the form elsewhere (photos for an existing report):
    // then there is no new record for the photos to follow, and they go with the form.
    const elsewhere = submitter && submitter.hasAttribute("formaction");
    const ownRecord = uuidInput && !elsewhere;
    const id = ownRecord ? uuidInput.value : newUuid();
    const record = {
      id, type: "form", seq: nextSeq(), state: "pending", user: signedInUser(),
      action: elsewhere ? new URL(submitter.formAction, location.href).href : actionOf(form),
      created: created ? created.value : deviceNow(),
      label: form.dataset.outboxLabel || (document.querySelector("main h1") || {}).textContent || document.title,
      fields: entries.filter(([, value]) => typeof value === "string"),
    };
    const photos = [];
    if (ownRecord) {
      const uuids = record.fields.filter(([name]) => name === "photo_uuid").map(([, value]) => value);
      files.forEach(([, file], i) => {
        if (!uuids[i]) record.fields.push(["photo_uuid", (uuids[i] = newUuid())]);
        photos.push(photoItem(form, record, uuids[i], file));
      });
    } else {
      files.forEach(([name, file]) => record.fields.push([name, file, file.name]));
    }
    const replaced = form.dataset.outboxReplaces;
    const earlier = new Map((await items()).map((i) => [i.id, i]));
    await idb.set(STORE, id, record);
    for (const photo of photos) await idb.set(STORE, photo.id, photo);
    // Photos kept from an earlier try (a form sent back for fixing) follow the form listing them.
    for (const [name, value] of record.fields) {
      const photo = name === "photo_uuid" && earlier.get(value);
      if (photo && photo.type === "photo" && (photo.held || photo.owner_id === replaced)) {
        await idb.set(STORE, value, { ...photo, owner_id: id, held: false, seq: nextSeq() });
      }
    }
    if (replaced && replaced !== id) await idb.del(STORE, replaced);
    delete form.dataset.outboxReplaces;
    askForPersistentStorage();
    return record;
  }

  // Whose photo this is: data-photo-owner/-role on the form, else guessed from where it is sent.
  function photoItem(form, record, uuid, file) {
    const owner = form.dataset.photoOwner
      || (new URL(record.action).pathname.startsWith("/interventions/") ? "intervention" : "report");
    const role = form.dataset.photoRole || (form.elements.role && form.elements.role.value)
      || (owner === "report" ? "report" : "after");
    return { id: uuid, type: "photo", seq: nextSeq(), state: "pending", user: record.user, label: record.label,
             created: record.created, owner, owner_id: record.id, role, blob: file, name: file.name, held: false };
  }

  function formData(form, submitter) {
    try {
      return new FormData(form, submitter);
    } catch (error) {
      return new FormData(form); // older browsers: no submitter argument
    }
  }

  // The server's answer (a form with its errors) in place of the page's main content.
  function showPage(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const main = page.querySelector("main");
    const current = document.querySelector("main");
    if (!main || !current) return;
    document.title = page.title;
    current.replaceWith(document.adoptNode(main));
    // Parsed scripts do not run: copies do (the page's own, e.g. the form's helpers).
    main.querySelectorAll("script").forEach((old) => {
      const script = document.createElement("script");
      for (const attribute of old.attributes) script.setAttribute(attribute.name, attribute.value);
      old.replaceWith(script);
    });
    if (global.htmx) global.htmx.process(main);
    prepareForms(main);
    const alert = main.querySelector("[data-autofocus]");
    if (alert) alert.focus();
  }

  function askForPersistentStorage() {
    // Ask once: a persisted origin is not evicted when the phone runs low on space.
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persisted().then((done) => done || navigator.storage.persist()).catch(() => {});
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
        summary = await replay();
        await afterReplay(summary, true);
      } while (again && !summary.stopped);
      return summary;
    })().finally(() => { running = null; });
    return running;
  }

  // Tell the person what happened and plan the next try; returns the items still here.
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
    if ((summary.stopped === "offline" || summary.stopped === "retry") && waiting) {
      failures += 1;
      timer = setTimeout(sendNow, Math.min(15000 * 2 ** (failures - 1), 300000));
      registerBackgroundSync();
    } else {
      failures = 0;
    }
    if (background) {
      const attention = left.filter((i) => i.state === "quarantined").length;
      if (attention && summary.quarantined) message(say("needAttention", { n: attention }));
      else if (summary.sent && !left.length) message(say("allSent", {}));
      else if (summary.sent) message(say("someSent", { n: summary.sent }));
    }
    return left;
  }

  function registerBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register(SYNC_TAG))
      .catch(() => {});
  }

  global.addEventListener("online", () => sendNow());
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-outbox-send]")) sendNow();
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
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

  // ---- The outbox page: see, fix or delete what is waiting ----

  function renderList(all) {
    const list = document.getElementById("outbox-list");
    const template = document.getElementById("outbox-item");
    const kinds = document.getElementById("outbox-kinds");
    const me = signedInUser();
    list.textContent = "";
    document.querySelector("[data-outbox-empty]").hidden = all.length > 0;
    for (const item of all) {
      const node = template.content.firstElementChild.cloneNode(true);
      node.dataset.itemId = item.id;
      node.dataset.state = item.state;
      node.querySelector("[data-item-title]").textContent = item.label || item.action;
      node.querySelector("[data-item-kind]").textContent = kinds.content.querySelector(`[data-kind=${item.type}]`).textContent;
      const time = node.querySelector("[data-item-time]");
      time.dateTime = item.created;
      time.textContent = new Date(item.created).toLocaleString(document.documentElement.lang);
      const quarantined = item.state === "quarantined";
      node.querySelector("[data-item-pending]").hidden = quarantined || Boolean(item.held);
      node.querySelector("[data-item-held]").hidden = !item.held;
      node.querySelector("[data-item-other-user]").hidden = !(me && item.user && String(item.user) !== me);
      node.querySelector("[data-item-error]").hidden = !quarantined;
      node.querySelector("[data-item-message]").textContent = item.error || "";
      node.querySelector("[data-item-reopen]").hidden = !(quarantined && item.type === "form");
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
      await discard(id);
      await refresh();
    } else if (event.target.closest("[data-item-reopen]")) {
      sessionStorage.setItem("cortile:reopen", id);
      const item = await idb.get(STORE, id);
      global.location.assign(item.action);
    }
  });

  // Back on the form page of a set-aside record: put its data back in the form.
  async function reopenInto(root) {
    const id = sessionStorage.getItem("cortile:reopen");
    if (!id) return;
    const item = await idb.get(STORE, id);
    const form = item && [...root.querySelectorAll("form[data-outbox]")].find((f) => actionOf(f) === item.action);
    if (!form) return;
    sessionStorage.removeItem("cortile:reopen");
    const values = new Map();
    for (const [name, value] of item.fields) {
      if (typeof value === "string") values.set(name, [...(values.get(name) || []), value]);
    }
    for (const [name, list] of values) {
      if (name === "csrf_token" || name === "client_created_at") continue;
      const fields = [...form.elements].filter((el) => el.name === name);
      if (!fields.length) {
        list.forEach((value) => form.append(Object.assign(document.createElement("input"), { type: "hidden", name, value })));
      }
      for (const field of fields) {
        if (field.type === "checkbox" || field.type === "radio") field.checked = list.includes(field.value);
        else if (field.multiple) [...field.options].forEach((o) => { o.selected = list.includes(o.value); });
        else if (field.type !== "file" && field.type !== "submit") field.value = list.length > 1 ? list.shift() : list[0];
      }
    }
    // The same uuid for a form the server refused to read; a new one when it holds other content.
    if (item.status === 409) form.querySelector("input[name=uuid]").value = newUuid();
    form.dataset.outboxReplaces = item.id;
    message(say("reopened", { message: item.error || item.status }));
  }

  // ---- Signing out: never drop unsent records without asking ----

  async function onSignOut(event, form) {
    event.preventDefault();
    event.stopPropagation();
    const all = global.indexedDB ? await items() : [];
    if (!all.length) return signOut(form, false);
    const panel = document.getElementById("logout-panel");
    panel.querySelector("[data-logout-question]").textContent = say("logoutQuestion", { n: toSend(all) });
    panel.querySelector("[data-logout-drop]").textContent = say("logoutDrop", { n: toSend(all) });
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest" });
    panel.querySelector("h2").focus();
    panel.onclick = async (click) => {
      if (click.target.closest("[data-logout-cancel]")) {
        panel.hidden = true;
      } else if (click.target.closest("[data-logout-drop]")) {
        await signOut(form, true);
      } else if (click.target.closest("[data-logout-send]")) {
        await sendNow();
        const left = await items();
        if (!left.length) return signOut(form, false);
        panel.querySelector("[data-logout-question]").textContent = say("logoutStill", { n: toSend(left) });
        panel.querySelector("[data-logout-drop]").textContent = say("logoutDrop", { n: toSend(left) });
      }
    };
  }

  // Cached pages and local data go with the session; the app shell (no personal data) stays.
  async function signOut(form, dropOutbox) {
    try {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => !n.startsWith("cortile-shell-")).map((n) => caches.delete(n)));
      await idb.clear("meta");
      if (dropOutbox) await idb.clear(STORE);
    } finally {
      HTMLFormElement.prototype.submit.call(form);
    }
  }

  // ---- "Prepare for offline use": the working set from /sync/manifest, into its own cache ----

  const PREPARED_CACHE = "cortile-prepared";

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-prepare-start]");
    if (button) prepare(button);
  });

  async function prepare(button) {
    const progress = button.closest("[data-prepare]").querySelector("[data-prepare-progress]");
    button.disabled = true;
    let done = 0;
    let total = 0;
    try {
      const response = await fetch("/sync/manifest", { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const urls = (await response.json()).urls;
      total = urls.length;
      progress.textContent = say("preparing", { done, total });
      const cache = await caches.open(PREPARED_CACHE);
      const queue = urls.slice();
      const worker = async () => {
        while (queue.length) {
          const url = queue.shift();
          const page = await fetch(url, { credentials: "same-origin", headers: { "X-Cortile-Prepare": "1" } });
          if (page.ok && !page.redirected) await cache.put(url, page);
          done += 1;
          progress.textContent = say("preparing", { done, total });
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      // Pages that left the working set (a household moved to another presidio) leave the phone.
      const keep = new Set(urls.map((u) => new URL(u, location.href).href));
      for (const request of await cache.keys()) if (!keep.has(request.url)) await cache.delete(request);
      await idb.set("meta", "prepared", { at: deviceNow(), count: total });
      progress.textContent = say("prepared", { n: total });
    } catch (error) {
      progress.textContent = say("prepareFailed", { done, total });
    } finally {
      button.disabled = false;
    }
  }

  // ---- Start ----

  // Someone else signed in on this phone (a session that expired, no sign-out): the pages saved
  // for the previous user leave before anything else happens.
  async function forgetOtherUsersPages() {
    const me = signedInUser();
    if (!me || !global.caches) return;
    const owner = await idb.get("meta", "user");
    if (owner && owner !== me) await Promise.all(["cortile-pages", PREPARED_CACHE].map((n) => caches.delete(n)));
    if (owner !== me) await idb.set("meta", "user", me);
  }

  function start(root) {
    prepareForms(root);
    forgetOtherUsersPages().catch(() => {});
    refresh().then(() => sendNow());
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => start(document));
  else start(document);
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.target === document.body || event.target.contains(document.getElementById("outbox-status"))) start(document);
    else prepareForms(event.target);
  });
})(self);
