// Field forms on the phone: each form[data-outbox] gets its uuid and its date/time defaults from the
// device when it opens; a submit becomes an outbox item (with its photo Blobs) before anything is sent.
// A form the server refuses while the person waits comes back with its errors and stays "to fix".
(function (global) {
  "use strict";
  const queue = global.OutboxQueue;
  const page = () => global.CortileOutboxPage; // outbox.js, loaded next

  const pad = (n) => String(n).padStart(2, "0");
  const localDate = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const localTime = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const deviceNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  // A version-4 uuid; crypto.randomUUID is missing before iOS 15.4.
  const newUuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : ([1e7] + -1e3 + -4e3 + -8e3 + -1e11).replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
  // form.action would be shadowed by a field named "action": read the attribute.
  const actionOf = (form) => new URL(form.getAttribute("action") || location.href, location.href).href;

  // A page saved for offline use keeps the time it was fetched: a new record's date and time are the
  // device's, now (data-device-now="date"|"time", set by the server on a fresh form only).
  function deviceDefaults(root) {
    const now = new Date();
    root.querySelectorAll("form[data-outbox] input[data-device-now]").forEach((input) => {
      if (input.dataset.deviceNow === "date") {
        input.value = localDate(now);
        if (input.hasAttribute("max")) input.max = localDate(now);
      } else {
        input.value = localTime(now);
      }
    });
  }

  // Give every field form its identity on the device, before anything can go wrong.
  function prepareForms(root) {
    root.querySelectorAll("form[data-outbox] input[name=uuid]").forEach((input) => {
      if (!input.value) input.value = newUuid();
    });
    deviceDefaults(root);
    reopenInto(root);
  }

  // Save the form and its photos in IndexedDB; returns the form item.
  // A form with a uuid sends its record first, then each photo to /sync/photos, owned by that uuid
  // (photos.js pairs the files with hidden `photo_uuid` inputs, in order). A form without a uuid
  // (photos added to an existing record) keeps its files and sends them along, in one request.
  async function capture(form, submitter) {
    const uuidInput = form.querySelector("input[name=uuid]");
    if (uuidInput && !uuidInput.value) uuidInput.value = newUuid();
    const created = form.querySelector("input[name=client_created_at]");
    if (created) created.value = deviceNow(); // the device time of this save
    const entries = [...formData(form, submitter)];
    const files = entries.filter(([, value]) => typeof value !== "string" && value.size > 0);
    // A button with its own formaction sends the form elsewhere (photos for an existing report):
    // then there is no new record for the photos to follow, and they go with the form.
    const elsewhere = submitter && submitter.hasAttribute("formaction");
    const ownRecord = uuidInput && !elsewhere;
    const id = ownRecord ? uuidInput.value : newUuid();
    const record = {
      id, type: "form", seq: queue.nextSeq(), state: "pending", user: page().signedInUser(), tries: 0,
      label: form.dataset.outboxLabel || document.title.split(" · ")[0],
      created: created ? created.value : deviceNow(),
      action: new URL(elsewhere ? submitter.getAttribute("formaction") : actionOf(form), location.href).href,
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
    await queue.save(record, photos, form.dataset.outboxReplaces);
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
    return { id: uuid, type: "photo", seq: queue.nextSeq(), state: "pending", user: record.user, label: record.label,
             created: record.created, owner, owner_id: record.id, role, blob: file, name: file.name, held: false, tries: 0 };
  }

  function formData(form, submitter) {
    try {
      return new FormData(form, submitter);
    } catch (error) {
      return new FormData(form); // older browsers: no submitter argument
    }
  }

  // The server's answer (a form with its errors) in place of the page's main content. With `id`, the form
  // stays on the phone "to fix" (reopened from the outbox), and sending it again replaces it; with
  // `photos` (refused while the person waited, and gone from the phone), those photos go back into it.
  function showPage(html, id, photos) {
    const parsed = new DOMParser().parseFromString(html, "text/html");
    const main = parsed.querySelector("main");
    const current = document.querySelector("main");
    if (!main || !current) return;
    document.title = parsed.title;
    current.replaceWith(document.adoptNode(main));
    // Parsed scripts do not run: copies do (the page's own, e.g. the form's helpers).
    main.querySelectorAll("script").forEach((old) => {
      const script = document.createElement("script");
      for (const attribute of old.attributes) script.setAttribute(attribute.name, attribute.value);
      old.replaceWith(script);
    });
    if (global.htmx) global.htmx.process(main);
    prepareForms(main);
    if (id) main.querySelectorAll("form[data-outbox]").forEach((form) => { form.dataset.outboxReplaces = id; });
    if (photos) putPhotosBack(main, photos);
    else restorePhotos(main, id);
    const alert = main.querySelector("[data-autofocus]");
    if (alert) alert.focus();
  }

  // The photos of a form sent back for fixing come back into its photo list (photos.js), to keep or remove.
  async function restorePhotos(root, id) {
    putPhotosBack(root, (await queue.items()).filter((i) => i.type === "photo" && i.owner_id === id));
  }

  function putPhotosBack(root, photos) {
    const input = root.querySelector("form[data-outbox] input[type=file][data-photos]");
    if (!input || !photos.length) return;
    const detail = { input, photos: photos.map((p) => ({ uuid: p.id, file: new File([p.blob], p.name || `${p.id}.jpg`, { type: p.blob.type }) })) };
    document.dispatchEvent(new CustomEvent("cortile:photos-restore", { detail }));
  }

  // Back on the form page of a set-aside record ("Open and fix"): put its data back in the form.
  async function reopenInto(root) {
    const id = sessionStorage.getItem("cortile:reopen");
    if (!id) return;
    const item = await queue.get(id);
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
    page().message(page().say("reopened", { message: item.error || item.status }));
  }

  function askForPersistentStorage() {
    // Ask once: a persisted origin is not evicted when the phone runs low on space.
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persisted().then((done) => done || navigator.storage.persist()).catch(() => {});
    }
  }

  global.OutboxCapture = { capture, prepareForms, showPage, newUuid, deviceNow };
})(self);
