/* The Wi-Fi map: district outlines and places from this server, drawn by Leaflet; tiles only
   when the city configured a tile server. Without JavaScript the list below says the same. */
(function () {
  "use strict";

  var STYLES = {
    // Not only colour tells the states apart: filled, ring, dashed ring (legend below the map).
    aktiv: { color: "#0b5a2a", fillColor: "#1d8a4a", fillOpacity: 0.9, weight: 2, radius: 7 },
    "im-aufbau": { color: "#8a4b00", fillColor: "#ffffff", fillOpacity: 1, weight: 3, radius: 6 },
    geplant: { color: "#4b4f63", fillColor: "#ffffff", fillOpacity: 1, weight: 2, radius: 5, dashArray: "3 3" },
  };

  function text(tag, value) {
    var element = document.createElement(tag);
    element.textContent = value;
    return element;
  }

  function popup(properties, labels) {
    var box = document.createElement("div");
    box.appendChild(text("strong", properties.ort));
    [
      properties.art,
      properties.status + (properties.status_key === "aktiv" ? " · " + labels.points.replace("%s", properties.zugangspunkte) : ""),
      properties.anschrift,
      properties.stadtteil + ", " + properties.stadtbezirk,
    ].forEach(function (line) {
      if (line) {
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(line));
      }
    });
    return box;
  }

  function load(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (answer) {
      if (!answer.ok) throw new Error(answer.status);
      return answer.json();
    });
  }

  function start(element) {
    var bounds = JSON.parse(element.dataset.bounds);
    var labels = { points: element.dataset.labelPoints };
    element.hidden = false;
    var map = L.map(element, { zoomControl: false, zoomSnap: 0.25, minZoom: 9, maxZoom: 18 });
    L.control.zoom({ zoomInTitle: element.dataset.labelZoomIn, zoomOutTitle: element.dataset.labelZoomOut }).addTo(map);
    map.attributionControl.setPrefix(false);
    map.fitBounds(bounds);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.tilesAttribution, maxZoom: 18 }).addTo(map);
    }
    var status = document.getElementById(element.dataset.status);
    Promise.all([load(element.dataset.outlines), load(element.dataset.places)])
      .then(function (found) {
        var outlines = L.geoJSON(found[0], {
          style: { color: "#0d4f8b", weight: 2, fillColor: "#e8eef6", fillOpacity: 0.5 },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(feature.properties.name, { sticky: true });
          },
        }).addTo(map);
        var places = L.geoJSON(found[1], {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, STYLES[feature.properties.status_key] || STYLES.geplant);
          },
          onEachFeature: function (feature, layer) {
            layer.bindPopup(popup(feature.properties, labels));
          },
        }).addTo(map);
        if (outlines.getLayers().length) map.fitBounds(outlines.getBounds());
        if (status) status.textContent = element.dataset.labelLoaded.replace("%s", places.getLayers().length);
      })
      .catch(function () {
        if (status) status.textContent = element.dataset.labelFailed;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("wifi-map");
    if (element && window.L) start(element);
  });
})();
