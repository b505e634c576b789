"""Editors get clear messages for bad card values (the admin form calls block.clean)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from blocks.cards.geojson import parse_features
from blocks.registry import registry


def clean(kind, raw):
    block = registry.get(kind).block
    return block.clean(block.to_python(raw))


def messages(error):
    if hasattr(error, "block_errors") and error.block_errors:
        found = []
        for sub in error.block_errors.values():
            found.extend(messages(sub))
        return found
    if hasattr(error, "non_block_errors") and error.non_block_errors:
        return [m for e in error.non_block_errors.as_data() for m in e.messages]
    return list(error.messages)


def tender(**overrides):
    value = {"title": "", "request": "Paving", "description": "", "budget_min": "10", "budget_max": "20",
             "deadline": "2030-01-01T12:00:00+00:00", "status": "open", "contact_name": "", "contact_email": ""}
    value.update(overrides)
    return value


def election(**overrides):
    value = {"title": "", "question": "Which?", "description": "",
             "options": [{"label": "A", "votes": None}, {"label": "B", "votes": None}],
             "opens_at": "2030-01-01T12:00:00+00:00", "closes_at": "2030-01-08T12:00:00+00:00"}
    value.update(overrides)
    return value


def test_tender_budget_range_must_be_ordered():
    with pytest.raises(ValidationError) as caught:
        clean("tender", tender(budget_min="900", budget_max="100"))
    assert "The upper budget must be at least the lower budget." in messages(caught.value)


def test_tender_negative_budget_and_bad_email_refused():
    with pytest.raises(ValidationError) as caught:
        clean("tender", tender(budget_min="-5", contact_email="not an address"))
    text = " ".join(messages(caught.value))
    assert "greater than or equal to 0" in text
    assert "valid email" in text


def test_valid_tender_passes():
    value = clean("tender", tender())
    assert value["deadline"] == datetime(2030, 1, 1, 12, tzinfo=UTC)


def test_election_must_close_after_opening():
    with pytest.raises(ValidationError) as caught:
        clean("election", election(closes_at="2029-12-31T00:00:00+00:00"))
    assert "The election must close after it opens." in messages(caught.value)


def test_election_options_must_differ():
    with pytest.raises(ValidationError) as caught:
        clean("election", election(options=[{"label": "Oak", "votes": None}, {"label": " oak", "votes": None}]))
    assert "Each option must be different." in messages(caught.value)


def test_a_choice_between_options_needs_two_options():
    with pytest.raises(ValidationError) as caught:
        clean("election", election(kind="options", options=[{"label": "Only"}]))
    assert "A choice between options needs at least two options." in messages(caught.value)


def test_a_for_against_vote_needs_no_options():
    assert clean("election", election(kind="for_against", options=[]))["kind"] == "for_against"


def test_election_rules_are_checked_at_their_fields():
    with pytest.raises(ValidationError) as caught:
        clean("election", election(kind="options", rule="consensus"))
    assert "Consensus applies to for / against votes only." in messages(caught.value)
    with pytest.raises(ValidationError) as caught:
        clean("election", election(rule="qualified"))
    assert any("qualified majority needs" in message for message in messages(caught.value))


def test_news_link_must_be_a_web_address():
    raw = {"title": "", "items": [{"headline": "H", "date": "2026-01-01", "body": "", "image": None, "link": "javascript:alert(1)"}]}
    with pytest.raises(ValidationError) as caught:
        clean("news", raw)
    assert "Enter a valid URL." in messages(caught.value)


def test_map_place_coordinates_in_range():
    raw = {"title": "", "places": [{"label": "X", "description": "", "latitude": 91, "longitude": 5}], "geojson": ""}
    with pytest.raises(ValidationError) as caught:
        clean("map", raw)
    assert any("less than or equal to 90" in m for m in messages(caught.value))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "This is not valid JSON (line 1, column 2)."),
        ("[1, 2]", 'GeoJSON must be an object with a "type".'),
        ('{"type": "Blob"}', 'Unknown GeoJSON type "Blob".'),
        ('{"type": "FeatureCollection"}', 'A FeatureCollection needs a list of "features".'),
        ('{"type": "Point", "coordinates": [200, 10]}', "Feature 1: longitude 200 is outside −180…180."),
        ('{"type": "Point", "coordinates": [5, -95]}', "Feature 1: latitude -95 is outside −90…90."),
        ('{"type": "Point", "coordinates": ["a", "b"]}',
         "Feature 1: a position must be [longitude, latitude] or [longitude, latitude, altitude]."),
        ('{"type": "Point", "coordinates": ["5", "52"]}',
         "Feature 1: a position must be [longitude, latitude] or [longitude, latitude, altitude]."),
        ('{"type": "Point", "coordinates": [true, 52]}',
         "Feature 1: a position must be [longitude, latitude] or [longitude, latitude, altitude]."),
        ('{"type": "Point", "coordinates": [NaN, 52]}', "NaN is not a number in JSON: give coordinates as numbers."),
        ('{"type": "Polygon", "coordinates": 5}', "Feature 1: coordinates are missing or not a list."),
        ('{"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [1, 1]]]}',
         "Feature 1: each ring of a polygon needs at least 4 positions."),
        ('{"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], [1, 2]]]}',
         "Feature 1: each ring of a polygon must end where it starts."),
        ('{"type": "LineString", "coordinates": [[1, 1]]}', "Feature 1: a line needs at least 2 positions."),
        ('{"type": "Polygon", "coordinates": [1]}', "Feature 1: the coordinates are not nested the way a Polygon needs."),
        ('{"type": "GeometryCollection"}', 'Feature 1: a GeometryCollection needs a list of "geometries".'),
        ('{"type": "Point", "coordinates": [1e300, 5]}', "Feature 1: longitude 1e+300 is outside −180…180."),
        ('{"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [5, 100]}]}',
         "Feature 1: latitude 100 is outside −90…90."),
        ('{"type": "Feature", "properties": {}}',
         'Feature 1 has no "geometry" (use null for a feature without a place).'),
        ('{"type": "Feature", "properties": {}, "geometry": []}', "Feature 1: the geometry must be an object or null."),
        ('{"type": "Feature", "properties": {}, "id": [1], "geometry": null}',
         "Feature 1: an id must be a string or a number."),
        ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Circle"}}]}',
         'Feature 1: unsupported geometry type "Circle".'),
        ('{"type": "Feature", "properties": [], "geometry": {"type": "Point", "coordinates": [1, 2]}}',
         "Feature 1: properties must be an object."),
    ],
)
def test_geojson_errors_say_what_is_wrong(text, expected):
    with pytest.raises(ValidationError) as caught:
        parse_features(text)
    assert caught.value.messages == [expected]


def test_geojson_error_reaches_the_map_form_field():
    raw = {"title": "", "places": [], "geojson": '{"type": "Point", "coordinates": [200, 10]}'}
    with pytest.raises(ValidationError) as caught:
        clean("map", raw)
    assert caught.value.block_errors["geojson"].messages == ["Feature 1: longitude 200 is outside −180…180."]


def test_geojson_size_limit():
    with pytest.raises(ValidationError) as caught:
        parse_features('{"type": "FeatureCollection", "features": []}' + " " * 200_001)
    assert caught.value.messages == ["GeoJSON is limited to 200 kB."]


def test_feature_without_geometry_is_listed_by_name_without_a_shape():
    """RFC 7946 §3.2: a Feature's geometry may be null (an unlocated feature)."""
    text = (
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "geometry": null, "properties": {"name": "Somewhere in the park"}},'
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.12, 52.09]},'
        ' "properties": {"name": "Bench"}}]}'
    )
    assert len(parse_features(text)) == 2
    block = registry.get("map").block
    value = block.clean(block.to_python({"title": "", "places": [], "geojson": text}))
    assert [(place["label"], place["latitude"]) for place in value.listed_places] == [
        ("Somewhere in the park", None),
        ("Bench", None),
    ]
    # Only the located feature goes to the map script; the list names both.
    assert [f["properties"]["name"] for f in value.map_data["features"]["features"]] == ["Bench"]


def test_empty_coordinates_are_an_unlocated_feature():
    """RFC 7946 §3.1: empty coordinates may be read as a null geometry."""
    features = parse_features('{"type": "Polygon", "coordinates": []}')
    assert len(features) == 1
    block = registry.get("map").block
    value = block.to_python({"title": "", "places": [], "geojson": '{"type": "Polygon", "coordinates": []}'})
    assert value.map_data["features"]["features"] == []
    assert [place["label"] for place in value.listed_places] == ["Area 1"]


@pytest.mark.parametrize("levels", [65, 900, 99_000])
def test_deeply_nested_geojson_is_refused_with_a_message(levels):
    """198 kB of brackets once overflowed the C stack (a segfault) where the recursion limit
    was raised; it is refused before parsing, whatever the limit."""
    text = "[" * levels + "]" * levels
    with pytest.raises(ValidationError) as caught:
        parse_features(text)
    assert caught.value.messages == ["This GeoJSON is nested more than 64 levels deep."]


def test_deep_geojson_reaches_the_map_form_field():
    raw = {"title": "", "places": [], "geojson": "[" * 99_000 + "]" * 99_000}
    with pytest.raises(ValidationError) as caught:
        clean("map", raw)
    assert caught.value.block_errors["geojson"].messages == ["This GeoJSON is nested more than 64 levels deep."]


def test_valid_geojson_kinds():
    assert len(parse_features('{"type": "MultiPolygon", "coordinates": [[[[1,1],[2,1],[2,2],[1,1]]]]}')) == 1
    assert parse_features("   ") == []
    assert len(parse_features('{"type": "Point", "coordinates": [5, 52, 3.5]}')) == 1
    assert len(parse_features('{"type": "Feature", "geometry": null}')) == 1  # properties may be left out


def test_new_geojson_messages_are_in_dutch():
    from django.utils import translation

    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        parse_features("[" * 900 + "]" * 900)
    assert caught.value.messages == ["Deze GeoJSON is meer dan 64 niveaus diep genest."]
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        parse_features('{"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], [1, 2]]]}')
    assert caught.value.messages == ["Object 1: elke ring van een veelhoek moet eindigen waar hij begint."]
