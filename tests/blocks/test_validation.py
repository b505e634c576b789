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
        ('{"type": "Point", "coordinates": ["a", "b"]}', "Feature 1: a position must be [longitude, latitude]."),
        ('{"type": "Polygon", "coordinates": []}', "Feature 1: coordinates are missing or empty."),
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


def test_valid_geojson_kinds():
    assert len(parse_features('{"type": "MultiPolygon", "coordinates": [[[[1,1],[2,1],[2,2],[1,1]]]]}')) == 1
    assert parse_features("   ") == []
