// Photos on the phone, before they are sent: a photo over 1600 px is re-encoded here as a JPEG of at
// most 1600 px (upright: the EXIF orientation is applied), so the original never crosses the network
// unless it is already small. Each photo gets a uuid (hidden `photo_uuid` input, in file order), and
// the GPS the camera wrote is kept in `photo_lat`/`photo_lon`, because re-encoding drops it.
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

  async function shrink(file) {
    var bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (error) {
      return file; // a format this browser cannot draw (HEIC on Chrome): the server converts it
    }
    var scale = LONG_EDGE / Math.max(bitmap.width, bitmap.height);
    if (scale >= 1) { bitmap.close(); return file; }
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

  async function prepare(input) {
    var form = input.form;
    var uuids = form.querySelector("[data-photo-uuids]");
    var previews = form.querySelector("[data-photo-previews]");
    var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
    var files = Array.from(input.files);
    var max = parseInt(input.dataset.max || "5", 10);
    previews.querySelectorAll("img").forEach(function (img) { URL.revokeObjectURL(img.src); });
    previews.replaceChildren();
    uuids.replaceChildren();
    if (files.length > max) {
      input.value = "";
      previews.textContent = input.dataset.tooMany;
      return;
    }
    buttons.forEach(function (button) { button.disabled = true; });
    previews.textContent = files.length ? input.dataset.shrinking : "";
    var ready = [], position = null;
    try {
      for (var i = 0; i < files.length; i++) { // one at a time: a phone has little memory
        position = position || await readPosition(files[i]);
        ready.push(await shrink(files[i]));
      }
      var transfer = new DataTransfer();
      ready.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
    } finally {
      buttons.forEach(function (button) { button.disabled = false; });
      previews.textContent = "";
    }
    ready.forEach(function (file) {
      if (window.crypto && crypto.randomUUID) uuids.appendChild(hidden("photo_uuid", crypto.randomUUID()));
      var img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.alt = file.name;
      previews.appendChild(img);
    });
    if (position && form.elements.photo_lat && form.elements.photo_lon) {
      form.elements.photo_lat.value = position.lat.toFixed(7);
      form.elements.photo_lon.value = position.lon.toFixed(7);
    }
    form.dispatchEvent(new CustomEvent("photos-ready", { detail: { count: ready.length } }));
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-photos]")) prepare(input);
  });
})();
