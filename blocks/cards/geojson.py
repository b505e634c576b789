"""Validation of GeoJSON (RFC 7946) as editors paste it into a map card.

The structure is checked by ``geojson-pydantic`` (positions, closed linear rings of at least
four positions, lines of at least two, geometry collections); this module only says in the
editor's language what is wrong and where, and adds what the RFC leaves to us: positions on
the WGS 84 globe. The text's nesting is measured before it is parsed (``blocks.depth``).

A Feature's ``geometry`` may be ``null`` (RFC 7946 §3.2: an unlocated feature), and a
geometry may have empty coordinates (§3.1, which processors may treat as null): such features
are listed by name on the card, without a shape on the map.
"""

import json
import math
import warnings

import pydantic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from geojson_pydantic.geometries import Geometry

from .. import depth

MAX_GEOJSON_BYTES = 200_000
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)

_GEOMETRIES = pydantic.TypeAdapter(list[Geometry])


class _NotANumber(ValueError):
    pass


def _refuse_constant(name):
    # NaN and Infinity are not JSON (RFC 8259 §6), though Python's parser takes them.
    raise _NotANumber(name)


def check_position(position, where):
    longitude, latitude = position[0], position[1]
    if not -180 <= longitude <= 180:
        raise ValidationError(
            _("%(where)s: longitude %(value)s is outside −180…180.") % {"where": where, "value": _number(longitude)}
        )
    if not -90 <= latitude <= 90:
        raise ValidationError(
            _("%(where)s: latitude %(value)s is outside −90…90.") % {"where": where, "value": _number(latitude)}
        )


def _number(value):
    # 5.0 reads as 5, as the editor wrote it; huge values stay in exponent form.
    return int(value) if math.isfinite(value) and abs(value) < 1e15 and value == int(value) else value


def _positions(geometry):
    """Every position of a validated geometry, without recursion (collections may nest)."""
    pending = [geometry]
    while pending:
        item = pending.pop()
        if item.type == "GeometryCollection":
            pending.extend(item.geometries)
            continue
        coordinates = [item.coordinates]
        while coordinates:
            part = coordinates.pop()
            if isinstance(part, tuple):  # Position2D / Position3D are named tuples
                yield part
            else:
                coordinates.extend(part)


def _geometry_problem(first, where):
    """The editor's words for the first thing pydantic found wrong in a geometry."""
    kind, loc, ctx = first["type"], tuple(str(part) for part in first["loc"][1:]), first.get("ctx") or {}
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _("%(where)s: unsupported geometry type %(type)s.") % {
            "where": where,
            "type": json.dumps(ctx.get("tag")) if kind == "union_tag_invalid" else "null",
        }
    if "bbox" in loc:
        return _("%(where)s: a bbox must be 4 or 6 numbers.") % {"where": where}
    if "Position2D" in loc or "Position3D" in loc or ctx.get("field_type") == "NamedTuple":
        return _("%(where)s: a position must be [longitude, latitude] or [longitude, latitude, altitude].") % {
            "where": where
        }
    if kind == "too_short" and ctx.get("min_length") == 4:
        return _("%(where)s: each ring of a polygon needs at least 4 positions.") % {"where": where}
    if kind == "too_short" and ctx.get("min_length") == 2:
        return _("%(where)s: a line needs at least 2 positions.") % {"where": where}
    if kind == "value_error" and "linear rings" in first["msg"]:
        return _("%(where)s: each ring of a polygon must end where it starts.") % {"where": where}
    if loc and loc[-1] == "geometries":
        return _("%(where)s: a GeometryCollection needs a list of \"geometries\".") % {"where": where}
    if loc and loc[-1] == "coordinates":
        return _("%(where)s: coordinates are missing or not a list.") % {"where": where}
    if "coordinates" in loc:
        before = loc[: len(loc) - loc[::-1].index("coordinates") - 1]
        kind_name = next((part for part in reversed(before) if part in GEOMETRY_TYPES), "")
        return _("%(where)s: the coordinates are not nested the way a %(type)s needs.") % {
            "where": where,
            "type": kind_name,
        }
    return _("%(where)s: this is not a GeoJSON geometry.") % {"where": where}


def _check_shape(geometry, where):
    """What can be said about a geometry before the library reads it; True if it has one."""
    if geometry is None:
        return False
    if not isinstance(geometry, dict):
        raise ValidationError(_("%(where)s: the geometry must be an object or null.") % {"where": where})
    if geometry.get("type") not in GEOMETRY_TYPES:
        raise ValidationError(
            _("%(where)s: unsupported geometry type %(type)s.")
            % {"where": where, "type": json.dumps(geometry.get("type"))}
        )
    return True


def check_geometries(geometries):
    """Validate ``[(where, geometry or None), …]``; raise ValidationError for the first fault.

    All geometries go through the library in one call: per-geometry calls cost a map of
    thousands of features most of a second.
    """
    located = [(where, geometry) for where, geometry in geometries if _check_shape(geometry, where)]
    if not located:
        return
    try:
        with warnings.catch_warnings():
            # geojson-pydantic warns about collections of one geometry; valid all the same.
            warnings.simplefilter("ignore", UserWarning)
            # Strict JSON mode: numbers must be JSON numbers ("5" and true are refused).
            validated = _GEOMETRIES.validate_json(json.dumps([geometry for _, geometry in located]), strict=True)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        raise ValidationError(_geometry_problem(first, located[first["loc"][0]][0])) from None
    for (where, _geometry), geometry in zip(located, validated, strict=True):
        for position in _positions(geometry):
            check_position(position, where)


def check_geometry(geometry, where):
    """Validate one geometry object (or ``None``); raise ValidationError saying what is wrong."""
    check_geometries([(where, geometry)])


def has_shape(feature):
    """Whether a valid feature has something to draw (RFC 7946 §3.1 and §3.2)."""
    geometry = feature.get("geometry")
    if geometry is None:
        return False
    if geometry.get("type") == "GeometryCollection":
        return bool(geometry.get("geometries"))
    return bool(geometry.get("coordinates"))


class _FeatureName:
    """"Feature 3", translated only when a message needs it (thousands of features are fine)."""

    def __init__(self, number):
        self.number = number

    def __str__(self):
        return _("Feature %(number)s") % {"number": self.number}


def parse_features(text):
    """The list of features in ``text`` (dicts as parsed), or ValidationError saying what is wrong.

    ``text`` is a FeatureCollection, a Feature or a bare geometry (wrapped into a Feature).
    """
    if not text or not text.strip():
        return []
    if len(text.encode()) > MAX_GEOJSON_BYTES:
        raise ValidationError(
            _("GeoJSON is limited to %(limit)s kB.") % {"limit": MAX_GEOJSON_BYTES // 1000}
        )
    try:
        data = depth.loads(text, parse_constant=_refuse_constant)
    except depth.TooDeep as error:
        raise ValidationError(
            _("This GeoJSON is nested more than %(limit)s levels deep.") % {"limit": error.limit}
        ) from None
    except _NotANumber as error:
        raise ValidationError(
            _("%(name)s is not a number in JSON: give coordinates as numbers.") % {"name": error}
        ) from None
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
    elif kind in GEOMETRY_TYPES:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        raise ValidationError(_("Unknown GeoJSON type %(type)s.") % {"type": json.dumps(kind)})
    geometries = []
    for number, feature in enumerate(features, start=1):
        where = _FeatureName(number)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ValidationError(_("%(where)s is not a Feature.") % {"where": where})
        if "geometry" not in feature:
            raise ValidationError(
                _("%(where)s has no \"geometry\" (use null for a feature without a place).") % {"where": where}
            )
        geometries.append((where, feature["geometry"]))
        properties = feature.get("properties")
        if properties is not None and not isinstance(properties, dict):
            raise ValidationError(_("%(where)s: properties must be an object.") % {"where": where})
        identifier = feature.get("id")
        if identifier is not None and (isinstance(identifier, bool) or not isinstance(identifier, str | int | float)):
            raise ValidationError(_("%(where)s: an id must be a string or a number.") % {"where": where})
    check_geometries(geometries)
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
