/* Maps of the project portfolio (Leaflet, served by the portal).
 *
 * [data-project-map]      a map; data-config names a <script type="application/json"> with {tiles, attribution,
 *                          bounds}; data-geojson is a GeoJSON URL, or data-point ("lat,lon") with data-title,
 *                          data-status, data-status-label, data-progress and data-territory shows one project.
 * [data-point-picker]     a map to pick a point: data-lat / data-lon name the coordinate inputs it fills.
 *
 * Without tiles (none configured, or offline) the markers still show over a plain background; the page's table
 * carries the same information. Popups are built with DOM nodes and textContent: no HTML from the data.
 * The status messages come translated in the page's language: data-msg-offline, data-msg-failed, data-msg-one and
 * data-msg-many (where "{n}" stands for the number of projects).
 */
(function () {
  "use strict";

  var COLOURS = {
    propuesto: "#57606a", en_evaluacion: "#9a6700", en_cartera: "#0b4f6c", en_ejecucion: "#1a7f37",
    concluido: "#6639ba", suspendido: "#b42318", cancelado: "#6e7781"
  };

  function readJSON(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function message(container, name, count) {
    var text = container.dataset[name] || "";
    return count === undefined ? text : text.replace("{n}", String(count));
  }

  function setStatus(container, text) {
    var note = container.parentNode.querySelector("[data-map-status]");
    if (note) { note.textContent = text; }
  }

  function baseMap(container, config) {
    var fallback = container.querySelector(".map-fallback");
    if (fallback) { fallback.remove(); }
    var map = L.map(container, {scrollWheelZoom: false});
    map.fitBounds(config.bounds);
    if (config.tiles) {
      var tiles = L.tileLayer(config.tiles, {attribution: config.attribution, maxZoom: 19});
      var failures = 0;
      tiles.on("tileerror", function () {
        failures += 1;
        if (failures === 1) {
          container.classList.add("map-offline");
          setStatus(container, message(container, "msgOffline"));
        }
      });
      tiles.addTo(map);
    } else {
      container.classList.add("map-offline");
    }
    return map;
  }

  function popup(properties) {
    var box = document.createElement("div");
    var title = document.createElement(properties.url ? "a" : "strong");
    title.textContent = properties.title;
    if (properties.url) { title.href = properties.url; }
    box.appendChild(title);
    var meta = document.createElement("p");
    // A citizen proposal has no progress: its popup leaves it out.
    var progress = isFinite(properties.progress) ? Math.round(properties.progress) + " %" : "";
    meta.textContent = [properties.code, properties.status_label, progress,
                        properties.territory].filter(Boolean).join(" · ");
    box.appendChild(meta);
    return box;
  }

  function addFeatures(map, data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var colour = COLOURS[feature.properties.status] || "#0b4f6c";
        return L.circleMarker(latlng, {radius: 8, color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 0.9});
      },
      onEachFeature: function (feature, marker) {
        marker.bindPopup(popup(feature.properties));
        // A DOM node, not a string: Leaflet sets a string tooltip as HTML, and titles are people's text.
        var tip = document.createElement("span");
        tip.textContent = feature.properties.title;
        marker.bindTooltip(tip);
      }
    }).addTo(map);
    if (data.features.length === 1) {
      map.setView(layer.getBounds().getCenter(), 15);
    } else if (data.features.length > 1) {
      map.fitBounds(layer.getBounds(), {padding: [20, 20], maxZoom: 15});
    }
    return data.features.length;
  }

  function pointFeature(data) {
    var latlon = data.point.split(",").map(parseFloat);
    return {type: "FeatureCollection", features: [{
      type: "Feature", geometry: {type: "Point", coordinates: [latlon[1], latlon[0]]},
      properties: {title: data.title, status: data.status, status_label: data.statusLabel,
                   progress: parseFloat(data.progress), territory: data.territory, url: ""}
    }]};
  }

  function projectMap(container) {
    var config = readJSON(container.dataset.config);
    var map = baseMap(container, config);
    if (container.dataset.point) {
      addFeatures(map, pointFeature(container.dataset));
      return;
    }
    fetch(container.dataset.geojson, {headers: {Accept: "application/geo+json, application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        var shown = addFeatures(map, data);
        container.dataset.markers = String(shown);
        setStatus(container, shown === 1 ? message(container, "msgOne") : message(container, "msgMany", shown));
      })
      .catch(function () {
        setStatus(container, message(container, "msgFailed"));
      });
  }

  function pointPicker(container) {
    var config = readJSON(container.dataset.config);
    var lat = document.getElementById(container.dataset.lat);
    var lon = document.getElementById(container.dataset.lon);
    var map = baseMap(container, config);
    var marker = null;

    function place(latlng, pan) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      if (pan) { map.setView(latlng, Math.max(map.getZoom(), 14)); }
    }
    var municipality = L.latLngBounds(config.bounds);
    function fromInputs() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (!isNaN(a) && !isNaN(b) && municipality.contains([a, b])) {
        place([a, b], true);
      } else if (marker) {
        // A point outside the municipality is not drawn: the map stays on it, ready for a click in the right place.
        map.removeLayer(marker);
        marker = null;
      }
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng, false);
    });
    lat.addEventListener("change", fromInputs);
    lon.addEventListener("change", fromInputs);
    fromInputs();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-project-map]").forEach(projectMap);
    document.querySelectorAll("[data-point-picker]").forEach(pointPicker);
  });
}());
