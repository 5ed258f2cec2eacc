// Interventions: the notice's print button, a uuid for the planning form (a double click plans once),
// and the interventions layer of the planning map. Every page works without this file.
(function () {
  "use strict";
  if (window.CortileInterventions) return; // loaded again by an htmx page swap: the listeners are in place
  window.CortileInterventions = true;

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  function fillUuids() {
    document.querySelectorAll("input[data-new-uuid]").forEach(function (input) {
      if (!input.value && window.crypto && crypto.randomUUID) input.value = crypto.randomUUID();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fillUuids);
  else fillUuids();
  document.addEventListener("htmx:afterSettle", fillUuids);

  // --- the map: Leaflet tells us about each map it makes; ours has data-interventions-geojson ---
  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function popup(p, labels) {
    var box = element("div", { "class": "map-popup" });
    box.appendChild(element("strong", {}, p.kind_label));
    box.appendChild(element("div", {}, p.address));
    box.appendChild(element("div", {}, p.day + " · " + p.from + "–" + p.to));
    box.appendChild(element("div", {}, p.contractor));
    box.appendChild(element("span", { "class": "intervention-status istatus-" + p.status }, p.status_label));
    if (p.overdue) box.appendChild(element("span", { "class": "intervention-overdue ms-1" }, labels.overdue));
    box.appendChild(element("div", {}, labels.reports + ": " + p.reports));
    box.appendChild(element("a", { href: p.url, "class": "d-block mt-1" }, labels.open));
    return box;
  }

  function addLayer(map, island) {
    var labels = JSON.parse(island.dataset.interventionsLabels || "{}");
    fetch(island.dataset.interventionsGeojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var layer = L.layerGroup();
        data.features.forEach(function (feature) {
          var c = feature.geometry.coordinates, p = feature.properties;
          var icon = L.divIcon({ className: "intervention-pin istatus-" + p.status + (p.overdue ? " is-overdue" : ""),
                                 iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -11] });
          var marker = L.marker([c[1], c[0]], { icon: icon, keyboard: true, zIndexOffset: 1000,
                                                title: p.kind_label + " · " + p.status_label });
          marker.bindPopup(function () { return popup(p, labels); }, { minWidth: 180 });
          layer.addLayer(marker);
        });
        layer.addTo(map);
        island.dataset.interventionsLoaded = String(data.features.length);
      })
      .catch(function () {
        var box = document.getElementById("map-error");
        if (box) { box.textContent = labels.error || ""; box.hidden = false; }
      });
  }

  if (window.L && L.Map && L.Map.addInitHook) {
    L.Map.addInitHook(function () {
      var island = document.querySelector("[data-interventions-geojson]");
      var map = this;
      if (island && island.contains(map.getContainer())) map.whenReady(function () { addLayer(map, island); });
    });
  }
})();
