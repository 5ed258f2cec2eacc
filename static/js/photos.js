// Photos on the phone, before they are sent: each pick or camera shot adds to the form's list (up to
// data-max; one more is refused here, before any upload), and each can be removed. A photo over 1600 px
// is re-encoded here as a JPEG of at most 1600 px (upright: the EXIF orientation is applied), so the
// original never crosses the network unless it is already small; previews show that JPEG. Each photo
// gets a uuid (hidden `photo_uuid` input, in file order), and the GPS the camera wrote is kept in
// `photo_lat`/`photo_lon`, because re-encoding drops it.
(function () {
  "use strict";
  if (window.CortilePhotos) return; // loaded again by an htmx page swap: the listener is in place
  window.CortilePhotos = true;

  var LONG_EDGE = 1600;
  var QUALITY = 0.85;

  // --- EXIF GPS of a JPEG (only what we need: the GPS IFD of the first APP1 Exif segment) ---
  function exifPosition(buffer) {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) return null;
    var offset = 2;
    while (offset + 10 <= view.byteLength) {
      var marker = view.getUint16(offset);
      if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) return null;
      if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966) return tiffPosition(view, offset + 10);
      offset += 2 + view.getUint16(offset + 2);
    }
    return null;
  }

  function tiffPosition(view, start) {
    var little = view.getUint16(start) === 0x4949;
    function u16(at) { return view.getUint16(start + at, little); }
    function u32(at) { return view.getUint32(start + at, little); }
    function entries(ifd, each) { for (var i = 0, n = u16(ifd); i < n; i++) each(ifd + 2 + i * 12); }
    var gps = null;
    entries(u32(4), function (entry) { if (u16(entry) === 0x8825) gps = u32(entry + 8); });
    if (gps === null) return null;
    var found = {};
    entries(gps, function (entry) {
      var tag = u16(entry);
      if (tag === 1 || tag === 3) found[tag] = String.fromCharCode(view.getUint8(start + entry + 8));
      if ((tag === 2 || tag === 4) && u32(entry + 4) === 3) {
        var at = u32(entry + 8), degrees = 0;
        for (var k = 0; k < 3; k++) degrees += u32(at + k * 8) / u32(at + k * 8 + 4) / Math.pow(60, k);
        found[tag] = degrees;
      }
    });
    var lat = found[2] * (found[1] === "S" ? -1 : 1), lon = found[4] * (found[3] === "W" ? -1 : 1);
    if (!isFinite(lat) || !isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) return null;
    return { lat: lat, lon: lon };
  }

  async function readPosition(file) {
    if (!/jpe?g$/i.test(file.type) && !/\.jpe?g$/i.test(file.name)) return null;
    try { return exifPosition(await file.slice(0, 256 * 1024).arrayBuffer()); } catch (error) { return null; }
  }

  // --- shrinking ---
  async function encode(bitmap, width, height) {
    if (typeof OffscreenCanvas !== "undefined") {
      var offscreen = new OffscreenCanvas(width, height);
      var context = offscreen.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, width, height);
      return offscreen.convertToBlob({ type: "image/jpeg", quality: QUALITY });
    }
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var fallback = canvas.getContext("2d");
    fallback.imageSmoothingQuality = "high";
    fallback.drawImage(bitmap, 0, 0, width, height);
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", QUALITY); });
  }

  // Formats every browser can show: kept as they are when small. Anything else (HEIC) that this
  // browser can decode becomes a JPEG, so its preview works and the server gets a common format.
  var SHOWN = /^image\/(jpeg|png|webp|gif)$/;

  async function shrink(file) {
    var bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (error) {
      return file; // a format this browser cannot draw (HEIC on Chrome desktop): the server converts it
    }
    var scale = Math.min(LONG_EDGE / Math.max(bitmap.width, bitmap.height), 1);
    if (scale === 1 && SHOWN.test(file.type)) { bitmap.close(); return file; }
    var blob = await encode(bitmap, Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
    bitmap.close();
    if (!blob) return file;
    return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg", lastModified: file.lastModified });
  }

  function hidden(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  // The page's translated words (the outbox's strings, on every page), with {placeholders} filled.
  function say(key, values, fallback) {
    var node = document.getElementById("outbox-status");
    var text = (node && JSON.parse(node.dataset.strings)[key]) || fallback || key;
    return text.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  // Each input keeps its list of photos: every pick or camera shot adds to it, up to data-max.
  var lists = new WeakMap();
  function listOf(input) {
    if (!lists.has(input)) lists.set(input, []);
    return lists.get(input);
  }

  function status(input, text) {
    var previews = input.form.querySelector("[data-photo-previews]");
    var node = input.form.querySelector("[data-photo-status]");
    if (!node) {
      node = document.createElement("p");
      node.className = "form-text photo-status";
      node.dataset.photoStatus = "";
      node.setAttribute("role", "status");
      previews.after(node);
    }
    node.textContent = text;
  }

  // The list as the form sends it: the files (input.files), their uuids in the same order, previews.
  function render(input) {
    var form = input.form;
    var list = listOf(input);
    var previews = form.querySelector("[data-photo-previews]");
    var uuids = form.querySelector("[data-photo-uuids]");
    previews.querySelectorAll("img").forEach(function (img) { URL.revokeObjectURL(img.src); });
    previews.replaceChildren();
    uuids.replaceChildren();
    var transfer = new DataTransfer();
    list.forEach(function (entry, i) {
      transfer.items.add(entry.file);
      uuids.appendChild(hidden("photo_uuid", entry.uuid));
      var figure = document.createElement("figure");
      figure.className = "photo-preview";
      figure.dataset.photoPreview = "";
      if (SHOWN.test(entry.file.type)) {
        var img = document.createElement("img");
        img.src = URL.createObjectURL(entry.file); // the downscaled JPEG, not the camera's original
        img.alt = say("photoAlt", { n: i + 1 }, "Photo {n}");
        figure.appendChild(img);
      } else {
        var name = document.createElement("span");
        name.className = "photo-no-preview";
        name.textContent = entry.file.name;
        figure.appendChild(name);
      }
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-outline-danger";
      remove.dataset.photoRemove = String(i);
      remove.textContent = say("removePhoto", { n: i + 1 }, "Remove photo {n}");
      figure.appendChild(remove);
      previews.appendChild(figure);
    });
    input.files = transfer.files;
    var position = list.map(function (entry) { return entry.position; }).filter(Boolean)[0];
    if (form.elements.photo_lat && form.elements.photo_lon) {
      form.elements.photo_lat.value = position ? position.lat.toFixed(7) : "";
      form.elements.photo_lon.value = position ? position.lon.toFixed(7) : "";
    }
    form.dispatchEvent(new CustomEvent("photos-ready", { detail: { count: list.length } }));
  }

  async function add(input) {
    var form = input.form;
    var list = listOf(input);
    var picked = Array.from(input.files);
    var max = parseInt(input.dataset.max || "5", 10);
    if (list.length + picked.length > max) {
      // Refused here, before any upload: the list stays as it was.
      render(input);
      status(input, say("tooManyPhotos", { max: max }, input.dataset.tooMany));
      return;
    }
    var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
    buttons.forEach(function (button) { button.disabled = true; });
    status(input, picked.length ? input.dataset.shrinking : "");
    try {
      for (var i = 0; i < picked.length; i++) { // one at a time: a phone has little memory
        var position = await readPosition(picked[i]);
        list.push({ file: await shrink(picked[i]), uuid: newUuid(), position: position });
      }
    } finally {
      buttons.forEach(function (button) { button.disabled = false; });
      status(input, "");
    }
    render(input);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-photo-remove]");
    if (!button) return;
    var input = button.closest("form").querySelector("input[type=file][data-photos]");
    listOf(input).splice(parseInt(button.dataset.photoRemove, 10), 1);
    render(input);
    status(input, "");
    input.focus();
  });

  // A form the server sent back for fixing: its photos, kept on the phone, come back into the list.
  document.addEventListener("cortile:photos-restore", function (event) {
    lists.set(event.detail.input, event.detail.photos.slice());
    render(event.detail.input);
  });

  // The outbox kept the form for later: the next record starts with no photos.
  document.addEventListener("cortile:outbox-saved", function (event) {
    event.detail.form.querySelectorAll("input[type=file][data-photos]").forEach(function (input) {
      lists.set(input, []);
      render(input);
    });
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-photos]")) add(input);
  });
})();
