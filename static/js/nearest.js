// The nearest building in a <select> whose options carry data-lat and data-lon: the staff report form
// and the residents' page both offer it. Distances are great-circle metres (haversine).
window.CortileNearest = (function () {
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

  return { distance: distance, nearest: nearest };
})();
