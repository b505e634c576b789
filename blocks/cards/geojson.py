"""Validation of GeoJSON (RFC 7946) as editors paste it into a map card."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_GEOJSON_BYTES = 200_000
GEOMETRY_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def check_position(position, where):
    if (
        not isinstance(position, list)
        or len(position) < 2
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in position)
    ):
        raise ValidationError(_("%(where)s: a position must be [longitude, latitude].") % {"where": where})
    longitude, latitude = position[0], position[1]
    if not -180 <= longitude <= 180:
        raise ValidationError(
            _("%(where)s: longitude %(value)s is outside −180…180.") % {"where": where, "value": longitude}
        )
    if not -90 <= latitude <= 90:
        raise ValidationError(
            _("%(where)s: latitude %(value)s is outside −90…90.") % {"where": where, "value": latitude}
        )


def check_coordinates(coordinates, depth, where):
    if depth == 0:
        check_position(coordinates, where)
        return
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("%(where)s: coordinates are missing or empty.") % {"where": where})
    for part in coordinates:
        check_coordinates(part, depth - 1, where)


def check_geometry(geometry, where):
    if not isinstance(geometry, dict):
        raise ValidationError(_("%(where)s: the geometry must be an object.") % {"where": where})
    kind = geometry.get("type")
    if kind not in GEOMETRY_DEPTH:
        raise ValidationError(
            _("%(where)s: unsupported geometry type %(type)s.") % {"where": where, "type": json.dumps(kind)}
        )
    check_coordinates(geometry.get("coordinates"), GEOMETRY_DEPTH[kind], where)


def parse_features(text):
    """Return the list of features in ``text``, or raise ValidationError saying what is wrong."""
    if not text or not text.strip():
        return []
    if len(text.encode()) > MAX_GEOJSON_BYTES:
        raise ValidationError(
            _("GeoJSON is limited to %(limit)s kB.") % {"limit": MAX_GEOJSON_BYTES // 1000}
        )
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValidationError(
            _("This is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": getattr(error, "lineno", "?"), "column": getattr(error, "colno", "?")}
        ) from None
    if not isinstance(data, dict):
        raise ValidationError(_("GeoJSON must be an object with a \"type\"."))
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise ValidationError(_("A FeatureCollection needs a list of \"features\"."))
    elif kind == "Feature":
        features = [data]
    elif kind in GEOMETRY_DEPTH:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        raise ValidationError(_("Unknown GeoJSON type %(type)s.") % {"type": json.dumps(kind)})
    for number, feature in enumerate(features, start=1):
        where = _("Feature %(number)s") % {"number": number}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ValidationError(_("%(where)s is not a Feature.") % {"where": where})
        check_geometry(feature.get("geometry"), where)
        properties = feature.get("properties")
        if properties is not None and not isinstance(properties, dict):
            raise ValidationError(_("%(where)s: properties must be an object.") % {"where": where})
    return features


def feature_label(feature, number):
    properties = feature.get("properties") or {}
    for key in ("name", "title", "label"):
        if isinstance(properties.get(key), str) and properties[key].strip():
            return properties[key].strip()
    return _("Area %(number)s") % {"number": number}


def feature_description(feature):
    value = (feature.get("properties") or {}).get("description")
    return value.strip() if isinstance(value, str) else ""
