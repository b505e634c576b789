// Adds Leaflet maps on top of the place lists of map cards. Without this script, or when
// the tile server does not answer, the list stays the way to read the card.
(function () {
  "use strict";
  var DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }
  function init() {
    if (!window.L) return;
    document.querySelectorAll("[data-map-source]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-map-source"));
      if (!source) return;
      var data = JSON.parse(source.textContent);
      canvas.hidden = false;
      // The tiles configured for the site (CTYLAB_MAP_TILES, as the editor's place picker).
      var tiles = data.tiles || {};
      var credit = canvas.parentNode.querySelector(".map-card__credit");
      if (credit) {
        // Another tile server's credit (trusted: it comes from the site's settings).
        if (tiles.attribution) credit.innerHTML = tiles.attribution;
        credit.hidden = false;
      }
      var map = L.map(canvas, { scrollWheelZoom: false, attributionControl: false });
      L.tileLayer(tiles.url || DEFAULT_TILES, { maxZoom: 19 }).addTo(map);
      var layers = [];
      data.points.forEach(function (point) {
        layers.push(
          L.marker([point.latitude, point.longitude], { title: point.label, alt: point.label })
            .bindPopup("<strong>" + escapeText(point.label) + "</strong><br>" + escapeText(point.description))
        );
      });
      if (data.features.features.length) {
        layers.push(L.geoJSON(data.features, {
          onEachFeature: function (feature, layer) {
            var name = (feature.properties || {}).name || "";
            if (name) layer.bindPopup(escapeText(name));
          }
        }));
      }
      var group = L.featureGroup(layers).addTo(map);
      if (layers.length) map.fitBounds(group.getBounds().pad(0.2), { maxZoom: 16 });
      else map.setView([52.1, 5.3], 7);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
