// The map page: fills folium's clustered reports layer from /reports.geojson, and loads it again
// when the filter form says the filters changed (htmx fires "reports-filtered"). Popups are built
// here from the features' properties: no jQuery, no HTML strings from data.
var CortileMap = (function () {
  "use strict";
  var state = null;
  var listening = false;
  var icons = {};

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function icon(status) {
    if (!icons[status]) {
      icons[status] = L.divIcon({ className: "report-pin status-" + status, iconSize: [20, 20],
                                  iconAnchor: [10, 10], popupAnchor: [0, -10] });
    }
    return icons[status];
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? 34 : count < 100 ? 40 : 48;
    return L.divIcon({ html: "<span>" + count + "</span>", className: "marker-cluster report-cluster",
                       iconSize: [size, size] });
  }

  function reportPopup(layer) {
    var p = layer.feature.properties;
    var labels = state.labels;
    var box = element("div", { "class": "map-popup" });
    if (p.p) {
      box.appendChild(element("img", { src: state.config.thumbUrl.replace("__id__", p.p), alt: labels.photo,
                                       width: "160", height: "120" }));
    }
    box.appendChild(element("strong", {}, labels.categories[p.c] + " · " + labels.areas[p.a]));
    if (state.addresses[p.b]) box.appendChild(element("div", {}, state.addresses[p.b]));
    box.appendChild(element("div", {}, new Date(p.d).toLocaleDateString(document.documentElement.lang || undefined)));
    box.appendChild(element("span", { "class": "report-status status-" + p.s }, labels.statuses[p.s]));
    if (p.f) box.appendChild(element("div", { "class": "report-flag mt-1" }, labels.far));
    var link = element("a", { href: state.config.reportUrl.replace("__id__", p.id), "class": "d-block mt-1" }, labels.open);
    box.appendChild(link);
    return box;
  }

  function marker(feature) {
    var c = feature.geometry.coordinates;
    var p = feature.properties;
    var m = L.marker([c[1], c[0]], { icon: icon(p.s), keyboard: true,
                                     title: state.labels.categories[p.c] + " · " + state.labels.statuses[p.s] });
    m.feature = feature;
    return m;
  }

  function showError(message) {
    var box = document.getElementById("map-error");
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  // Thousands of markers: a popup is made when one is opened, not one per marker up front.
  function openPopup(event) {
    var layer = event.layer;
    if (!layer.getPopup()) layer.bindPopup(reportPopup, { minWidth: 180 });
    layer.openPopup();
  }

  function filteredUrl() {
    var form = document.getElementById("map-filters");
    var query = form ? new URLSearchParams(new FormData(form)).toString() : "";
    return state.config.geojson + (query ? "?" + query : "");
  }

  function load(url) {
    var island = document.getElementById("map-island");
    if (state.pending) state.pending.abort();
    var pending = state.pending = new AbortController();
    island.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", signal: pending.signal }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      state.reports.clearLayers();
      state.reports.addLayers(data.features.map(marker));
      island.dataset.loaded = String(data.features.length);
      island.removeAttribute("aria-busy");
      showError("");
    }).catch(function (error) {
      if (error.name === "AbortError") return;
      island.removeAttribute("aria-busy");
      showError(state.labels.error);
    });
  }

  function building(feature, layer) {
    layer.bindPopup(function () {
      var p = feature.properties;
      var labels = JSON.parse(document.getElementById("map-island").dataset.labels);
      var config = document.getElementById("map-island").dataset;
      var box = element("div", { "class": "map-popup" });
      box.appendChild(element("strong", {}, p.address));
      box.appendChild(element("div", { "class": "text-muted" }, p.code));
      box.appendChild(element("a", { href: config.buildingUrl + p.id, "class": "d-block mt-1" }, labels.building));
      box.appendChild(element("a", { href: config.newReportUrl + "?building=" + p.id, "class": "d-block mt-1" },
                              labels.report_here));
      return box;
    });
  }

  function attach(map, reports, buildings) {
    var island = document.getElementById("map-island");
    state = { map: map, reports: reports, config: island.dataset, labels: JSON.parse(island.dataset.labels),
              addresses: {}, pending: null };
    reports.options.iconCreateFunction = clusterIcon;
    reports.on("click", openPopup);
    // The view first (nothing heavy is on the map yet, and not animated: a zoom animation on a page that just
    // opened is work a slow phone does for nothing), then the buildings, then the controls, each in a task of
    // its own: three short tasks, between which a slow phone still answers a tap. The reports come meanwhile.
    if (buildings.getLayers().length) map.fitBounds(buildings.getBounds(), { padding: [24, 24], maxZoom: 15, animate: false });
    reports.addTo(map); // folium leaves both layers off the map (show=False): they join once the view is set
    buildings.eachLayer(function (layer) {
      state.addresses[layer.feature.properties.id] = layer.feature.properties.address;
    });
    setTimeout(function () { buildings.addTo(map); }, 0);
    setTimeout(function () {
      var overlays = {};
      overlays[state.labels.reports] = reports;
      overlays[state.labels.buildings] = buildings;
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      L.control.scale({ metric: true, imperial: false }).addTo(map);
    }, 0);
    // The wheel scrolls the page; with ctrl (or a touchpad pinch, which the browser reports as ctrl+wheel) it zooms.
    map.getContainer().addEventListener("wheel", function (event) {
      if (!event.ctrlKey) return;
      event.preventDefault();
      map.setZoomAround(map.mouseEventToContainerPoint(event), map.getZoom() + (event.deltaY < 0 ? 1 : -1));
    }, { passive: false });
    // Filters start folded on a phone, open where there is room beside the map.
    var folded = document.getElementById("map-filter-box");
    if (folded && window.matchMedia("(min-width: 992px)").matches) folded.open = true;
    if (!listening) {
      document.body.addEventListener("reports-filtered", function () { if (state) load(filteredUrl()); });
      listening = true;
    }
    // The URL the page preloads (the filters it was opened with); else the filters' own.
    load(state.config.geojsonFirst || filteredUrl());
  }

  // current(): the Leaflet map of this page (folium's variables are local to its script), for tests and the console.
  return { attach: attach, building: building, current: function () { return state && state.map; } };
})();
