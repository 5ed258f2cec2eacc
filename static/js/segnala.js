// /segnala: "use my position" picks the nearest building in the list. The position stays on the phone
// (nothing is sent), and the form works without this script: the resident then picks from the list.
(function () {
  "use strict";

  function distance(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180, dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
            Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 12742000 * Math.asin(Math.sqrt(a));
  }

  function nearest(select, lat, lon) {
    var best = null, bestDistance = Infinity;
    Array.from(select.options).forEach(function (option) {
      if (!option.dataset.lat) return;
      var d = distance(lat, lon, parseFloat(option.dataset.lat), parseFloat(option.dataset.lon));
      if (d < bestDistance) { best = option; bestDistance = d; }
    });
    return best;
  }

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
