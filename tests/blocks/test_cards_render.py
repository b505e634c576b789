"""Each card type rendered on a public page with normal, empty and hostile values."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from blocks.models import Reading
from tests.conftest import card

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def render(client, page, host="testserver"):
    response = client.get(page.url_path.replace("/ctylab-home", "", 1), HTTP_HOST=host)
    assert response.status_code == 200
    return response.text


def cards_in(html):
    return re.findall(r'data-card-type="([a-z_]+)" data-activity="([^"]*)"', html)


def future(days):
    return (timezone.now() + timedelta(days=days)).isoformat()


def past(days):
    return (timezone.now() - timedelta(days=days)).isoformat()


def news_item(headline="Panels installed", date="2026-05-02", body="<p>All 120 panels.</p>", link=""):
    return {"headline": headline, "date": date, "body": body, "image": None, "link": link}


def tender(**overrides):
    value = {
        "title": "Quotes wanted", "request": "Pave the court", "description": "15 by 4 metres",
        "budget_min": "5000", "budget_max": "9000", "deadline": future(10), "status": "open",
        "contact_name": "Henk", "contact_email": "henk@example.org",
    }
    value.update(overrides)
    return value


def election(**overrides):
    value = {
        "title": "Vote", "question": "Which trees?", "description": "",
        "options": [{"label": "Lime", "votes": None}, {"label": "Oak", "votes": None}],
        "opens_at": past(1), "closes_at": future(5),
    }
    value.update(overrides)
    return value


class TestNews:
    def test_items_newest_first_with_dates(self, client, make_initiative):
        page = make_initiative(cards=[card("news", {"title": "News", "items": [
            news_item("Older", "2026-01-10"), news_item("Newest", "2026-03-01"), news_item("Middle", "2026-02-01"),
        ]})])
        html = render(client, page)
        assert html.index("Newest") < html.index("Middle") < html.index("Older")
        assert '<time datetime="2026-03-01">' in html
        assert cards_in(html) == [("news", "2026-03-01T00:00:00+01:00")]

    def test_empty_news_card_says_so(self, client, make_initiative):
        html = render(client, make_initiative(cards=[card("news", {"title": "", "items": []})]))
        assert "No news yet." in html
        assert "<h2" in html and ">News</h2>" in html  # falls back to the card type's name

    def test_hostile_text_is_escaped_and_rich_text_cleaned(self, client, make_initiative):
        page = make_initiative(cards=[card("news", {"title": HOSTILE, "items": [
            news_item(headline=HOSTILE, body=f"<p>ok</p>{HOSTILE}", link="javascript:alert(1)"),
        ]})])
        html = render(client, page)
        assert "<script>alert" not in html
        assert "onerror" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
        assert "&lt;script&gt;" in html
        assert "javascript:" not in html
        assert ">ok</p>" in html


class TestMap:
    def test_places_listed_and_passed_to_the_map_script_as_data(self, client, make_initiative):
        geojson = '{"type": "Feature", "properties": {"name": "Plangebied"}, "geometry": {"type": "Point", "coordinates": [5.1, 52.1]}}'
        page = make_initiative(cards=[card("map", {"title": "Where", "places": [
            {"label": "Buurthuis", "description": "Roof", "latitude": 52.0894, "longitude": 5.1101},
        ], "geojson": geojson})])
        html = render(client, page)
        assert "Buurthuis" in html and "Plangebied" in html
        assert "(52.08940, 5.11010)" in html
        assert 'type="application/json"' in html  # data for Leaflet, not markup

    def test_empty_map(self, client, make_initiative):
        html = render(client, make_initiative(cards=[card("map", {"title": "", "places": [], "geojson": ""})]))
        assert "No places on this map yet." in html

    def test_hostile_labels_escaped_in_list_and_json(self, client, make_initiative):
        page = make_initiative(cards=[card("map", {"title": HOSTILE, "places": [
            {"label": HOSTILE, "description": HOSTILE, "latitude": 1.0, "longitude": 2.0},
        ], "geojson": ""})])
        html = render(client, page)
        assert "<script>alert" not in html
        assert "\\u003Cscript\\u003E" in html  # json_script escapes inside the data island


class TestIoT:
    def test_latest_reading_and_svg_chart(self, client, make_initiative):
        now = timezone.now().replace(microsecond=0)
        Reading.objects.bulk_create(
            Reading(device="roof-1", metric="power", measured_at=now - timedelta(hours=h), value=float(h))
            for h in range(60)
        )
        page = make_initiative(cards=[card("iot", {"title": "Yield", "device": "roof-1", "metric": "power", "unit": "kW"})])
        html = render(client, page)
        assert '<span class="reading__value" data-sensor-value>0</span>' in html  # the latest reading (h=0)
        assert "<polyline points=" in html and 'role="img"' in html
        assert "The last 48 readings, between 0 and 47 kW." in html
        assert cards_in(html)[0][1] == timezone.localtime(now).isoformat()

    def test_no_readings_yet(self, client, make_initiative):
        page = make_initiative(cards=[card("iot", {"title": "Yield", "device": "nothing", "metric": "power", "unit": "kW"})])
        html = render(client, page)
        assert "No readings yet." in html
        assert '<figure class="chart" hidden' in html  # no chart until there are readings

    def test_hostile_device_name_escaped(self, client, make_initiative):
        page = make_initiative(cards=[card("iot", {"title": HOSTILE, "device": HOSTILE, "metric": HOSTILE, "unit": HOSTILE})])
        assert "<script>alert" not in render(client, page)


class TestTender:
    def test_open_tender_shows_budget_deadline_and_time_left(self, client, make_initiative):
        html = render(client, make_initiative(cards=[card("tender", tender())]))
        assert "Pave the court" in html
        assert "€&nbsp;5,000 – €&nbsp;9,000" in html
        assert " left)" in html and "Open" in html
        assert 'href="mailto:henk@example.org"' in html

    def test_passed_deadline_and_awarded(self, client, make_initiative):
        html = render(client, make_initiative(cards=[
            card("tender", tender(deadline=past(2))),
            card("tender", tender(status="awarded", deadline=past(2))),
        ]))
        assert "Deadline passed" in html and "Awarded" in html
        assert " left)" not in html

    def test_minimal_tender(self, client, make_initiative):
        html = render(client, make_initiative(cards=[card("tender", tender(
            title="", description="", budget_min=None, budget_max=None, contact_name="", contact_email=""))]))
        assert "Budget" not in html and "Contact" not in html

    def test_hostile_values_escaped(self, client, make_initiative):
        html = render(client, make_initiative(cards=[card("tender", tender(
            title=HOSTILE, request=HOSTILE, description=HOSTILE, contact_name=HOSTILE, contact_email=HOSTILE))]))
        assert "<script>alert" not in html


class TestElection:
    def test_open_election_lists_options_without_results(self, client, make_initiative):
        html = render(client, make_initiative(cards=[card("election", election())]))
        assert "Which trees?" in html and "Lime" in html and "Oak" in html
        assert "Open" in html and "<table" not in html

    def test_results_typed_into_old_cards_are_never_shown(self, client, make_initiative):
        """Tallies come only from ballots: results stored by the old "votes counted" field stay hidden."""
        html = render(client, make_initiative(cards=[card("election", election(
            opens_at=past(10), closes_at=past(1),
            options=[{"label": "Lime", "votes": 30}, {"label": "Oak", "votes": 10}]))]))
        assert "Lime" in html and "Result:" not in html and "75%" not in html

    def test_closed_not_counted_yet(self, client, make_initiative):
        html = render(client, make_initiative(cards=[card("election", election(opens_at=past(10), closes_at=past(1)))]))
        assert "The results are being counted." in html

    def test_upcoming(self, client, make_initiative):
        html = render(client, make_initiative(cards=[card("election", election(opens_at=future(1), closes_at=future(3)))]))
        assert "Not open yet" in html

    def test_hostile_values_escaped(self, client, make_initiative):
        html = render(client, make_initiative(cards=[card("election", election(
            title=HOSTILE, question=HOSTILE, description=HOSTILE,
            options=[{"label": HOSTILE, "votes": None}, {"label": "Oak", "votes": None}]))]))
        assert "<script>alert" not in html


def test_every_card_carries_type_and_iso_activity(client, make_initiative):
    page = make_initiative(cards=[
        card("news", {"title": "", "items": [news_item()]}),
        card("map", {"title": "", "places": [], "geojson": ""}),
        card("iot", {"title": "", "device": "d", "metric": "m", "unit": ""}),
        card("tender", tender()),
        card("election", election()),
    ])
    found = cards_in(render(client, page))
    assert sorted(kind for kind, _ in found) == ["election", "iot", "map", "news", "tender"]
    for _kind, moment in found:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d", moment)


def test_time_elements_carry_valid_html_datetimes(client, make_initiative):
    """Browsers and assistive tools ignore a datetime with more than three decimals."""
    page = make_initiative(cards=[card("tender", tender()), card("election", election())])
    moments = re.findall(r'<time datetime="([^"]*)"', render(client, page))
    assert len(moments) >= 2
    for moment in moments:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,3})?)?([+-]\d\d:\d\d|Z))?", moment), moment


@pytest.mark.parametrize("kind", ["news", "map", "iot", "tender", "election"])
def test_preview_value_renders(db, kind):
    """The admin's block preview shows each card with its documented example value."""
    from blocks.registry import registry

    block = registry.get(kind).block
    value = block.to_python(block.get_prep_value(block.meta.preview_value))
    html = block.render(value, {"card_id": "preview"})
    assert f'data-card-type="{kind}"' in html


def test_page_links_in_news_survive_saving_and_render(client, make_initiative):
    target = make_initiative(title="Target page", slug="target")
    body = f'<p>See <a linktype="page" id="{target.pk}">the plan</a> and <a href="https://example.org">this</a>.</p><script>x()</script>'
    page = make_initiative(slug="with-links", cards=[card("news", {"title": "", "items": [news_item(body=body)]})])
    stored = page.cards.raw_data[0]["value"]["items"][0]["value"]["body"]
    assert f'linktype="page" id="{target.pk}"' in stored
    assert "<script" not in stored
    html = render(client, page)
    assert '<a href="/target/">the plan</a>' in html
    assert '<a href="https://example.org">this</a>' in html
