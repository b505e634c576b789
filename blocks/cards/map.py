"""Map card: places as points or GeoJSON features, on Leaflet with OpenStreetMap tiles.

Value shape::

    {"title": str,
     "places": [{"label": str, "description": str, "latitude": float, "longitude": float}],
     "geojson": "<GeoJSON text>" or ""}

The list of places is always rendered, so the card says where things are whether or not
scripts run or the tile server answers; the script adds the map on top of it.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from ..place_picker import DEFAULT_TILES, PLACE_PICKER_ATTRS, CoordinateBlock, map_tiles
from . import geojson
from .base import API_STRING, CardBlock, CardValue


class PlaceBlock(wagtail_blocks.StructBlock):
    label = wagtail_blocks.CharBlock(
        label=_("Name"), max_length=120, help_text=_("What visitors read in the list and on the marker.")
    )
    description = wagtail_blocks.TextBlock(
        label=_("Description"), max_length=500, required=False, help_text=_("Optional: what happens here.")
    )
    # Picked on a map in the editor (blocks.place_picker); the fields stay for the keyboard.
    latitude = CoordinateBlock(
        "latitude",
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        help_text=_("Degrees north, e.g. 52.0894 (WGS 84, as on OpenStreetMap)."),
    )
    longitude = CoordinateBlock(
        "longitude",
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        help_text=_("Degrees east, e.g. 5.1101 (WGS 84, as on OpenStreetMap)."),
    )

    class Meta:
        icon = "site"
        label = _("Place")
        form_attrs = PLACE_PICKER_ATTRS


def script_tiles():
    """The tiles the public map script draws: ``{"url": template with {z}/{x}/{y},
    "attribution": HTML or ""}``, the same ``CTYLAB_MAP_TILES`` as the editor's place picker
    (``blocks.place_picker.map_tiles``), read when a card is shown. The attribution is given
    only when it is not OpenStreetMap's, which the card's own credit line already names."""
    tiles = map_tiles()
    attribution = tiles["ATTRIBUTION"]
    return {"url": tiles["URL"], "attribution": "" if attribution == DEFAULT_TILES["ATTRIBUTION"] else attribution}


class MapValue(CardValue):
    @cached_property
    def features(self):
        try:
            return geojson.parse_features(self.get("geojson", ""))
        except ValidationError:
            # Stored before validation existed or written around it: show the points only.
            return []

    @cached_property
    def listed_places(self):
        """Everything the card shows, as plain entries for the list and the script."""
        entries = [
            {
                "label": place["label"],
                "description": place["description"],
                "latitude": place["latitude"],
                "longitude": place["longitude"],
            }
            for place in self["places"]
        ]
        for number, feature in enumerate(self.features, start=1):
            entries.append(
                {
                    "label": geojson.feature_label(feature, number),
                    "description": geojson.feature_description(feature),
                    "latitude": None,
                    "longitude": None,
                }
            )
        return entries

    @cached_property
    def map_data(self):
        """Data for the map script (serialised with json_script, so it is never markup)."""
        return {
            "points": [entry for entry in self.listed_places if entry["latitude"] is not None],
            # Unlocated features (geometry null or empty) are in the list, not on the map.
            "features": {
                "type": "FeatureCollection",
                "features": [feature for feature in self.features if geojson.has_shape(feature)],
            },
            "tiles": script_tiles(),
        }


    def shown_for(self, page):
        """What the card shows on ``page``: ``(entries, map data)``.

        A map without places or features shows the page's own place (an initiative's
        latitude and longitude), labelled with its title, so a new map card starts at the
        initiative's place; with neither, ``([], None)``.
        """
        if self.listed_places:
            return self.listed_places, self.map_data
        latitude, longitude = getattr(page, "latitude", None), getattr(page, "longitude", None)
        if latitude is None or longitude is None:
            return [], None
        entry = {"label": page.title, "description": "", "latitude": float(latitude), "longitude": float(longitude)}
        return [entry], {
            "points": [entry],
            "features": {"type": "FeatureCollection", "features": []},
            "tiles": script_tiles(),
        }


class MapCardBlock(CardBlock):
    places = wagtail_blocks.ListBlock(
        PlaceBlock(),
        label=_("Places"),
        min_num=0,
        # Not Wagtail's one blank place, which cannot be published (no name, no coordinates).
        default=list,
        help_text=_("Points shown on the map and listed below it."),
    )
    geojson = wagtail_blocks.TextBlock(
        label=_("GeoJSON"),
        required=False,
        help_text=_("Optional: a GeoJSON Feature or FeatureCollection (longitude, latitude)."),
    )

    def clean(self, value):
        value = super().clean(value)
        try:
            geojson.parse_features(value.get("geojson", ""))
        except ValidationError as error:
            raise StructBlockValidationError(block_errors={"geojson": error}) from None
        return value

    def get_api_representation(self, value, context=None):
        """Points as listed on the page, and the valid GeoJSON features (RFC 7946)."""
        return {
            "title": value.get("title") or "",
            "places": [
                {
                    "label": place["label"],
                    "description": place["description"] or "",
                    "latitude": place["latitude"],
                    "longitude": place["longitude"],
                }
                for place in value["places"]
            ],
            "geojson": {"type": "FeatureCollection", "features": value.features},
        }

    api_schema = {
        "type": "object",
        "properties": {
            "title": API_STRING,
            "places": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "label": API_STRING,
                        "description": API_STRING,
                        "latitude": {"type": "number", "minimum": -90, "maximum": 90},
                        "longitude": {"type": "number", "minimum": -180, "maximum": 180},
                    },
                    "required": ["label", "description", "latitude", "longitude"],
                },
            },
            "geojson": {
                "type": "object",
                "description": "A GeoJSON FeatureCollection (RFC 7946): longitude before latitude.",
                "properties": {
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "features": {"type": "array", "items": {"type": "object"}},
                },
                "required": ["type", "features"],
            },
        },
        "required": ["title", "places", "geojson"],
    }

    class Meta:
        value_class = MapValue
        icon = "site"
        label = _("Map")
        group = _("Places")
        template = "blocks/map.html"
        description = _("Places on a map, with a plain list for everyone.")
        preview_value = {
            "title": "Waar",
            "places": [
                {"label": "Buurthuis", "description": "", "latitude": 52.37, "longitude": 4.89}
            ],
            "geojson": "",
        }
