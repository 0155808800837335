/* The map of an indicator's latest values (Leaflet, served by the portal): a choropleth where territories have a
 * boundary, points of the same colours where they do not.
 *
 * [data-indicator-map]  data-config names a <script type="application/json"> with {tiles, attribution, bounds};
 *                       data-geojson is the URL of the features ({name, code, period, value, source}).
 * Five classes by quantile of the values; the legend is written into [data-map-legend]. Popups are built with DOM
 * nodes and textContent: no HTML from the data.
 */
(function () {
  "use strict";

  var COLOURS = ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"];
  var locale = document.documentElement.lang === "en" ? "en" : "es-MX";

  function readJSON(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function status(container, text) {
    var note = container.parentNode.querySelector("[data-map-status]");
    if (note && text) { note.textContent = text; }
  }

  function breaks(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var cuts = [];
    for (var i = 1; i < COLOURS.length; i += 1) {
      cuts.push(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * i / COLOURS.length))]);
    }
    return cuts;
  }

  function colour(value, cuts) {
    var index = 0;
    while (index < cuts.length && value > cuts[index]) { index += 1; }
    return COLOURS[index];
  }

  function legend(container, cuts, min, max) {
    var list = container.parentNode.querySelector("[data-map-legend]");
    if (!list) { return; }
    var edges = [min].concat(cuts).concat([max]);
    COLOURS.forEach(function (fill, i) {
      if (i > 0 && edges[i] === edges[i + 1]) { return; }
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "legend-swatch";
      swatch.style.background = fill;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + edges[i].toLocaleString(locale) + " – " + edges[i + 1].toLocaleString(locale)));
      list.appendChild(item);
    });
  }

  function popup(properties) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = properties.name;
    box.appendChild(title);
    var value = document.createElement("div");
    value.textContent = properties.period + ": " + (properties.value === null ? "—" : properties.value.toLocaleString(locale));
    box.appendChild(value);
    if (properties.source) {
      var source = document.createElement("div");
      source.className = "muted";
      source.textContent = properties.source;
      box.appendChild(source);
    }
    return box;
  }

  function draw(container, config, data) {
    var fallback = container.querySelector(".map-fallback");
    if (fallback) { fallback.remove(); }
    var map = L.map(container, {scrollWheelZoom: false});
    map.fitBounds(config.bounds);
    if (config.tiles) {
      L.tileLayer(config.tiles, {attribution: config.attribution, maxZoom: 19}).on("tileerror", function () {
        container.classList.add("map-offline");
        status(container, container.dataset.msgOffline);
      }).addTo(map);
    } else {
      container.classList.add("map-offline");
    }
    var values = data.features.map(function (f) { return f.properties.value; }).filter(function (v) { return v !== null; });
    if (!data.features.length) { status(container, container.dataset.msgEmpty); return; }
    var cuts = breaks(values);
    legend(container, cuts, Math.min.apply(null, values), Math.max.apply(null, values));
    var layer = L.geoJSON(data, {
      style: function (feature) {
        var v = feature.properties.value;
        return {color: "#24292f", weight: 1, fillOpacity: 0.75, fillColor: v === null ? "#ffffff" : colour(v, cuts)};
      },
      pointToLayer: function (feature, latlng) {
        var v = feature.properties.value;
        return L.circleMarker(latlng, {radius: 7, color: "#24292f", weight: 1, fillOpacity: 0.9,
          fillColor: v === null ? "#ffffff" : colour(v, cuts)});
      },
      onEachFeature: function (feature, shape) { shape.bindPopup(popup(feature.properties)); }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, {maxZoom: 12}); }
  }

  document.querySelectorAll("[data-indicator-map]").forEach(function (container) {
    var config = readJSON(container.dataset.config);
    if (!config || typeof L === "undefined") { return; }
    fetch(container.dataset.geojson, {headers: {"Accept": "application/geo+json, application/json"}})
      .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
      .then(function (data) { draw(container, config, data); })
      .catch(function () { status(container, container.dataset.msgFailed); });
  });
})();
