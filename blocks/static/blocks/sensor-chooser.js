// The "sensor-chooser" Stimulus controller: on each sensor card in the page editor, a list of
// the sensors registered for this initiative (and what they measure, with their latest
// reading) above the card's device and metric fields. Choosing one fills both fields; typing
// in them picks the matching entry. The choices come from the cards panel
// (blocks/panels.py, <script id="sensor-choices">); the page form refuses unknown pairs.
(function () {
  "use strict";

  var SEPARATOR = "\u001f"; // cannot occur in a device or metric key

  function readChoices() {
    var source = document.getElementById("sensor-choices");
    if (!source) return null;
    try {
      return JSON.parse(source.textContent);
    } catch (error) {
      return null;
    }
  }

  function describe(choice, strings) {
    var text = choice.device_name + " — " + choice.metric_name;
    if (!choice.latest) return text + " (" + strings.noReadings + ")";
    var value = Number(choice.latest.value).toLocaleString(document.documentElement.lang || undefined, {
      maximumFractionDigits: 2,
    });
    var when = new Date(choice.latest.measured_at).toLocaleString(document.documentElement.lang || undefined, {
      dateStyle: "medium",
      timeStyle: "short",
    });
    return text + ": " + value + (choice.unit ? " " + choice.unit : "") + " (" + when + ")";
  }

  function option(value, text) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = text;
    return element;
  }

  function define(Controller) {
    return class SensorChooser extends Controller {
      connect() {
        var data = readChoices();
        this.device = this.element.querySelector('input[name$="-device"]');
        this.metric = this.element.querySelector('input[name$="-metric"]');
        if (!data || !this.device || !this.metric || this.wrapper) return;
        var strings = data.strings;
        var id = this.device.id.replace(/-device$/, "-sensor");

        this.wrapper = document.createElement("div");
        this.wrapper.className = "w-field__wrapper sensor-chooser";
        var label = document.createElement("label");
        label.className = "w-field__label";
        label.htmlFor = id;
        label.textContent = strings.label;
        var help = document.createElement("p");
        help.className = "help";
        help.id = id + "-helptext";
        this.wrapper.append(label, help);

        if (data.choices.length) {
          help.textContent = strings.help;
          this.select = document.createElement("select");
          this.select.id = id;
          this.select.setAttribute("aria-describedby", help.id);
          this.select.append(option("", strings.placeholder));
          data.choices.forEach((choice) => {
            this.select.append(option(choice.device + SEPARATOR + choice.metric, describe(choice, strings)));
          });
          this.typed = option("typed", strings.typed);
          this.typed.disabled = true;
          this.select.append(this.typed);
          var input = document.createElement("div");
          input.className = "w-field__input";
          input.append(this.select);
          this.wrapper.append(input);
          this.select.addEventListener("change", () => this.choose());
          this.onType = () => this.follow();
          this.device.addEventListener("input", this.onType);
          this.metric.addEventListener("input", this.onType);
          this.follow();
        } else {
          help.textContent = strings.none + " ";
          var link = document.createElement("a");
          link.href = data.registerUrl;
          link.textContent = strings.register;
          help.append(link);
          label.removeAttribute("for");
        }
        // Before the device field: the list is the way to choose, the fields show the keys.
        // The device child's container holds its label too (Wagtail marks it data-contentpath).
        var child = this.device.closest("[data-contentpath]");
        var field = child && child !== this.element && this.element.contains(child) ? child : this.device.closest("[data-field-wrapper]");
        (field || this.device).before(this.wrapper);
      }

      disconnect() {
        if (this.onType) {
          this.device.removeEventListener("input", this.onType);
          this.metric.removeEventListener("input", this.onType);
        }
        if (this.wrapper) this.wrapper.remove();
        this.wrapper = this.select = this.typed = null;
      }

      choose() {
        var value = this.select.value;
        if (!value || value === "typed") return;
        var parts = value.split(SEPARATOR);
        this.write(this.device, parts[0]);
        this.write(this.metric, parts[1]);
      }

      write(input, value) {
        input.value = value;
        this.writing = true;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        this.writing = false;
      }

      follow() {
        if (this.writing) return;
        var value = this.device.value.trim() + SEPARATOR + this.metric.value.trim();
        var match = Array.prototype.some.call(this.select.options, (entry) => entry.value === value);
        var typed = this.device.value.trim() !== "" || this.metric.value.trim() !== "";
        this.select.value = match ? value : typed ? "typed" : "";
      }
    };
  }

  function register() {
    var app = window.wagtail && window.wagtail.app;
    if (!app || !window.StimulusModule || register.done) return;
    register.done = true;
    app.register("sensor-chooser", define(window.StimulusModule.Controller));
  }

  register();
  if (!register.done) document.addEventListener("DOMContentLoaded", register);
})();
