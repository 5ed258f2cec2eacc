// /segnala: "use my position" picks the nearest building in the list. The position stays on the phone
// (nothing is sent), and the form works without this script: the resident then picks from the list.
(function () {
  "use strict";

  var nearest = window.CortileNearest.nearest;  // static/js/nearest.js, loaded first

  function locate(button) {
    var select = document.getElementById("building");
    var status = document.getElementById("nearest-status");
    status.textContent = button.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      var best = nearest(select, position.coords.latitude, position.coords.longitude);
      if (best) {
        select.value = best.value;
        status.textContent = button.dataset.found.replace("{address}", best.textContent);
      }
    }, function () {
      status.textContent = button.dataset.unavailable;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  }

  function init() {
    var button = document.getElementById("use-position");
    if (!button || button.dataset.ready || !navigator.geolocation) return;
    button.dataset.ready = "1";
    button.hidden = false;
    button.addEventListener("click", function () { locate(button); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  document.addEventListener("htmx:load", init);
})();
