// The "place-picker" Stimulus controller (blocks/place_picker.py): a Leaflet map below a
// latitude and a longitude field. Clicking the map or dragging its marker writes both fields;
// typing in them moves the marker. The fields stay first in the tab order and keep working
// when the tiles cannot load (the map is then blank, and clicking it still places the marker).
//
// Registered on Wagtail's Stimulus application, so it connects to every element with
// data-controller="place-picker" as it appears: model form panels and StreamField blocks
// added in the editor alike.
(function () {
  "use strict";

  var DEFAULT_CENTER = [52.1, 5.3]; // the Netherlands, when no place is known yet
  var DEFAULT_ZOOM = 7;
  var PLACE_ZOOM = 15;
  var DECIMALS = 6; // about 10 cm: more than a place on a card needs

  function readCoordinate(input, limit) {
    if (!input || input.value.trim() === "") return null;
    var number = Number(input.value.replace(",", "."));
    return Number.isFinite(number) && Math.abs(number) <= limit ? number : null;
  }

  function knownPlace(except) {
    // A new place in a map card starts where another place on the form already is (the
    // initiative's own place, above the cards).
    var inputs = document.querySelectorAll('[data-place-picker-target="latitude"]');
    for (var i = 0; i < inputs.length; i += 1) {
      if (inputs[i] === except) continue;
      var scope = inputs[i].closest('[data-controller~="place-picker"]');
      var longitude = scope && scope.querySelector('[data-place-picker-target="longitude"]');
      var lat = readCoordinate(inputs[i], 90);
      var lng = readCoordinate(longitude, 180);
      if (lat !== null && lng !== null) return [lat, lng];
    }
    return null;
  }

  function define(Controller) {
    return class PlacePicker extends Controller {
      connect() {
        this.latitude = this.element.querySelector('[data-place-picker-target="latitude"]');
        this.longitude = this.element.querySelector('[data-place-picker-target="longitude"]');
        if (!this.latitude || !this.longitude || !window.L || this.canvas) return;
        var data = this.latitude.dataset;

        this.hint = document.createElement("p");
        this.hint.className = "help place-picker__hint";
        this.hint.textContent = data.placePickerHint || "";
        this.canvas = document.createElement("div");
        this.canvas.className = "place-picker__map";
        this.canvas.setAttribute("role", "region");
        this.canvas.setAttribute("aria-label", data.placePickerLabel || "Map");
        // After the fields, so keyboard users reach the fields first.
        this.element.append(this.hint, this.canvas);

        this.map = window.L.map(this.canvas, { scrollWheelZoom: false });
        var tiles = window.L.tileLayer(data.placePickerTiles, {
          maxZoom: 19,
          attribution: data.placePickerAttribution || "",
        }).addTo(this.map);
        tiles.once("tileerror", () => this.tilesFailed(data.placePickerTileError));

        var place = this.fieldPlace();
        this.map.setView(place || knownPlace(this.latitude) || DEFAULT_CENTER, place ? PLACE_ZOOM : DEFAULT_ZOOM);
        if (place) this.placeMarker(place);

        this.map.on("click", (event) => this.pick(event.latlng));
        this.onType = () => this.follow();
        this.latitude.addEventListener("input", this.onType);
        this.longitude.addEventListener("input", this.onType);
        // A collapsed panel or a block added later gives the map its size only when shown.
        this.resizeObserver = new ResizeObserver(() => this.map && this.map.invalidateSize());
        this.resizeObserver.observe(this.canvas);
      }

      disconnect() {
        if (this.resizeObserver) this.resizeObserver.disconnect();
        if (this.latitude && this.onType) {
          this.latitude.removeEventListener("input", this.onType);
          this.longitude.removeEventListener("input", this.onType);
        }
        if (this.map) this.map.remove();
        if (this.canvas) this.canvas.remove();
        if (this.hint) this.hint.remove();
        if (this.notice) this.notice.remove();
        this.map = this.canvas = this.hint = this.notice = this.marker = null;
      }

      fieldPlace() {
        var lat = readCoordinate(this.latitude, 90);
        var lng = readCoordinate(this.longitude, 180);
        return lat === null || lng === null ? null : [lat, lng];
      }

      placeMarker(place) {
        if (this.marker) {
          this.marker.setLatLng(place);
          return;
        }
        // Not a tab stop: keyboard users set the place in the fields.
        this.marker = window.L.marker(place, { draggable: true, keyboard: false }).addTo(this.map);
        this.marker.on("dragend", () => this.pick(this.marker.getLatLng()));
      }

      pick(latlng) {
        var wrapped = latlng.wrap();
        this.write(this.latitude, wrapped.lat);
        this.write(this.longitude, wrapped.lng);
        this.placeMarker([wrapped.lat, wrapped.lng]);
      }

      write(input, value) {
        input.value = value.toFixed(DECIMALS);
        this.writing = true;
        // Wagtail's unsaved-changes check and the block's label listen for these.
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        this.writing = false;
      }

      follow() {
        if (this.writing) return;
        var place = this.fieldPlace();
        if (!place) return;
        this.placeMarker(place);
        this.map.panTo(place);
      }

      tilesFailed(message) {
        if (this.notice || !message) return;
        this.notice = document.createElement("p");
        this.notice.className = "help place-picker__notice";
        this.notice.setAttribute("role", "status");
        this.notice.textContent = message;
        this.canvas.after(this.notice);
      }
    };
  }

  function register() {
    var app = window.wagtail && window.wagtail.app;
    if (!app || !window.StimulusModule || register.done) return;
    register.done = true;
    app.register("place-picker", define(window.StimulusModule.Controller));
  }

  register();
  if (!register.done) document.addEventListener("DOMContentLoaded", register);
})();
