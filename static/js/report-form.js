// The report form on the phone: the device position (with its accuracy), the nearest building when
// none was chosen, a uuid and the device clock for the outbox, and a duplicate hint that follows the
// position. The form works without any of it: the server then uses the photos' or the building's position.
(function () {
  "use strict";

  var nearest = window.CortileNearest.nearest;  // static/js/nearest.js, loaded first

  function locate(form) {
    var status = document.getElementById("location-status");
    var select = form.elements.building;
    var chosen = Boolean(select.value); // preselected from the building page, or picked by hand
    select.addEventListener("change", function (event) { if (event.isTrusted) chosen = true; });
    if (!navigator.geolocation) { status.textContent = status.dataset.unavailable; return; }
    status.textContent = status.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      var coords = position.coords;
      form.elements.lat.value = coords.latitude.toFixed(7);
      form.elements.lon.value = coords.longitude.toFixed(7);
      form.elements.accuracy.value = String(Math.round(coords.accuracy));
      var text = status.dataset.found.replace("{metres}", Math.round(coords.accuracy));
      var best = chosen ? null : nearest(select, coords.latitude, coords.longitude);
      if (best) {
        select.value = best.value;
        text += " " + status.dataset.nearest.replace("{address}", best.textContent);
      }
      status.textContent = text;
      // The hint depends on the position too: ask for it again.
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }, function () {
      status.textContent = status.dataset.unavailable;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  }

  function init() {
    var form = document.getElementById("report-form");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    if (!form.elements.uuid.value && window.crypto && crypto.randomUUID) form.elements.uuid.value = crypto.randomUUID();
    form.addEventListener("submit", function () {
      form.elements.client_created_at.value = new Date().toISOString();
    });
    locate(form);
  }

  // Also run when htmx swaps this page in (the script tag comes with the page's content).
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
