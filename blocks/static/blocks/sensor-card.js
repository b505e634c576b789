// Sensor cards keep up: while the page is visible, each card fetches its small JSON
// (/sensors/cards/<page>/<card>/?range=…) every minute, and visitors switch the period.
// Without this script the card is the chart the server drew.
(function () {
  "use strict";
  if (window.ctylabSensorCards) return; // the script is included once per card
  window.ctylabSensorCards = true;
  var INTERVAL = 60000;

  function number(value) {
    if (typeof value !== "number" || !isFinite(value)) return "–";
    var abs = Math.abs(value);
    if (abs !== 0 && (abs >= 1e9 || abs < 1e-3)) return value.toExponential(2);
    return value.toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 2 });
  }

  function moment(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return iso;
    return date.toLocaleString(document.documentElement.lang || undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function fill(pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (_m, name) { return values[name] !== undefined ? values[name] : ""; });
  }

  function Card(root) {
    this.root = root;
    this.url = root.getAttribute("data-live-url");
    this.range = "24h";
    this.timer = null;
    var ranges = root.querySelector("[data-sensor-ranges]");
    var self = this;
    if (ranges) {
      ranges.hidden = false;
      ranges.addEventListener("click", function (event) {
        var button = event.target.closest("[data-range]");
        if (!button) return;
        self.range = button.getAttribute("data-range");
        ranges.querySelectorAll("[data-range]").forEach(function (other) {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        self.refresh();
      });
    }
  }

  Card.prototype.refresh = function () {
    var self = this;
    var url = this.url + "?range=" + encodeURIComponent(this.range);
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.range === self.range) self.show(data); })
      .catch(function () { /* offline for a moment: the card keeps what it shows */ });
  };

  Card.prototype.show = function (data) {
    var root = this.root;
    if (data.latest) {
      root.querySelector("[data-sensor-value]").textContent = number(data.latest.value);
      var time = root.querySelector("[data-sensor-time]");
      time.setAttribute("datetime", data.latest.time);
      time.textContent = moment(data.latest.time);
      root.querySelector("[data-sensor-reading]").hidden = false;
      root.querySelector("[data-sensor-latest]").hidden = false;
      var empty = root.querySelector("[data-sensor-empty]");
      if (empty) empty.hidden = true;
    }
    var figure = root.querySelector("[data-sensor-chart]");
    var chart = data.chart;
    figure.hidden = !chart;
    root.setAttribute("data-sensor-points", chart ? chart.count : 0);
    if (!chart) return;
    figure.querySelector("polyline").setAttribute("points", chart.points);
    var values = { count: chart.count, low: number(chart.low), high: number(chart.high), since: moment(chart.since) };
    figure.querySelector("title").textContent = fill(root.getAttribute("data-title"), values);
    figure.querySelector("figcaption").textContent = fill(root.getAttribute("data-caption"), values);
  };

  function start() {
    var cards = Array.prototype.map.call(document.querySelectorAll("[data-sensor-card]"), function (root) {
      return new Card(root);
    });
    if (!cards.length) return;
    var timer = null;
    function poll() {
      cards.forEach(function (card) { card.refresh(); });
    }
    function schedule() {
      clearInterval(timer);
      timer = null;
      // Only while someone can see the page: a hidden tab costs the server nothing.
      if (document.visibilityState === "visible") {
        timer = setInterval(poll, INTERVAL);
      }
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") poll();
      schedule();
    });
    schedule();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
