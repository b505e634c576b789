"""Places are picked on a map: one widget for a latitude and longitude pair, wherever it is.

The two number fields stay what they were (typed by keyboard users, and the only way when
the tiles cannot load); a Leaflet map below them, added by the ``place-picker`` Stimulus
controller (``blocks/static/blocks/place-picker.js``), sets both fields when the editor clicks
the map or drags its marker, and follows them when they are typed. Three shapes use it:

- a model form's pair of fields: ``PlacePanel("latitude", "longitude")`` (the initiative
  page, a sensor device);
- a StructBlock's pair: ``CoordinateBlock("latitude")`` / ``CoordinateBlock("longitude")``
  children and ``form_attrs = PLACE_PICKER_ATTRS`` in its ``Meta`` (the map card's places).
  Wagtail's StructBlock puts ``form_attrs`` on the block's container, so Stimulus connects
  the controller whenever a place is added to the stream, with no block-specific script.

The tiles come from ``CTYLAB_MAP_TILES`` (``{"URL": ..., "ATTRIBUTION": ...}``), read when a
form is drawn; by default OpenStreetMap's tile server.
"""

from django import forms
from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel

DEFAULT_TILES = {
    "URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "ATTRIBUTION": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
}
CONTROLLER = "place-picker"
PLACE_PICKER_ATTRS = {"data-controller": CONTROLLER}


def map_tiles():
    """``{"URL": template with {z}/{x}/{y}, "ATTRIBUTION": HTML}`` from ``CTYLAB_MAP_TILES``."""
    return {**DEFAULT_TILES, **getattr(settings, "CTYLAB_MAP_TILES", {})}


def leaflet_installed():
    """Whether Leaflet's files are among the static files (``npm ci`` installs them).

    Without them the fields are plain number fields: a Media entry for a missing file would
    break every admin page under the manifest storage of production.
    """
    return any(isinstance(entry, tuple) and entry[0] == "leaflet" for entry in settings.STATICFILES_DIRS)


class CoordinateInput(forms.NumberInput):
    """A latitude or longitude field that a ``place-picker`` around it can set from a map.

    ``coordinate`` is ``"latitude"`` or ``"longitude"``. The latitude field also carries what
    the map needs (tiles, and its texts in the editor's language), read when it is drawn.
    """

    def __init__(self, coordinate, attrs=None):
        if coordinate not in ("latitude", "longitude"):
            raise ValueError(f"coordinate must be 'latitude' or 'longitude', not {coordinate!r}")
        self.coordinate = coordinate
        super().__init__(attrs)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.coordinate = self.coordinate
        return copy

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs[f"data-{CONTROLLER}-target"] = self.coordinate
        if self.coordinate == "latitude":
            tiles = map_tiles()
            widget_attrs.update(
                {
                    f"data-{CONTROLLER}-tiles": tiles["URL"],
                    f"data-{CONTROLLER}-attribution": tiles["ATTRIBUTION"],
                    f"data-{CONTROLLER}-label": str(
                        _("Map: click to put the marker there, or drag the marker. The latitude and longitude fields do the same.")
                    ),
                    f"data-{CONTROLLER}-hint": str(
                        _("Click the map or drag the marker to set the place; or type the latitude and longitude.")
                    ),
                    f"data-{CONTROLLER}-tile-error": str(
                        _("The map's tiles could not load. Clicking still sets the place, and the fields work as always.")
                    ),
                }
            )
        return context

    @property
    def media(self):
        if not leaflet_installed():
            return forms.Media()
        return forms.Media(
            css={"all": [static("leaflet/leaflet.css"), static("blocks/place-picker.css")]},
            js=[static("leaflet/leaflet.js"), static("blocks/place-picker.js")],
        )


class CoordinateBlock(wagtail_blocks.FloatBlock):
    """A FloatBlock edited with :class:`CoordinateInput`; stores a float, as FloatBlock does."""

    def __init__(self, coordinate, required=True, help_text=None, max_value=None, min_value=None, validators=(), **kwargs):
        super().__init__(
            required=required, help_text=help_text, max_value=max_value, min_value=min_value, validators=validators, **kwargs
        )
        self.field = forms.FloatField(
            required=required,
            help_text=help_text,
            max_value=max_value,
            min_value=min_value,
            validators=validators,
            widget=CoordinateInput(coordinate),
        )


class PlacePanel(FieldRowPanel):
    """Two fields of a model side by side, with the map below them.

    ``PlacePanel("latitude", "longitude", heading=...)``: the fields come first, so they
    come first in the tab order too.
    """

    def __init__(self, latitude="latitude", longitude="longitude", children=None, **kwargs):
        if children is None:
            children = [
                FieldPanel(latitude, widget=CoordinateInput("latitude")),
                FieldPanel(longitude, widget=CoordinateInput("longitude")),
            ]
        attrs = {**PLACE_PICKER_ATTRS, **(kwargs.pop("attrs", None) or {})}
        super().__init__(children=children, attrs=attrs, **kwargs)
