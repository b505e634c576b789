"""Cards in the editor's order, or latest activity first; ties keep the editor's order."""

import re
from datetime import timedelta

from django.utils import timezone

from blocks.models import Reading
from tests.conftest import card


def order_on_page(client, page):
    html = client.get(page.url_path.replace("/ctylab-home", "", 1)).text
    return re.findall(r'<h2 class="card__title" id="[^"]*"[^>]*>([^<]*)</h2>', html)


def news(title, date):
    return card("news", {"title": title, "items": [{"headline": "h", "date": date, "body": "", "image": None, "link": ""}]})


def test_manual_order_follows_the_editor(client, make_initiative):
    page = make_initiative(card_order="manual", cards=[news("Old", "2020-01-01"), news("New", "2026-01-01")])
    assert order_on_page(client, page) == ["Old", "New"]


def test_activity_order_newest_first(client, make_initiative):
    page = make_initiative(card_order="activity", cards=[news("Old", "2020-01-01"), news("New", "2026-01-01"), news("Mid", "2024-01-01")])
    assert order_on_page(client, page) == ["New", "Mid", "Old"]


def test_activity_ties_keep_editor_order(client, make_initiative):
    page = make_initiative(card_order="activity", cards=[news("First", "2025-05-05"), news("Second", "2025-05-05"), news("Third", "2025-05-05")])
    assert order_on_page(client, page) == ["First", "Second", "Third"]


def test_each_kind_of_activity_counts(client, make_initiative):
    now = timezone.now()
    Reading.objects.create(device="d", metric="m", measured_at=now + timedelta(days=400), value=1)
    page = make_initiative(card_order="activity", cards=[
        news("News 2020", "2020-01-01"),
        card("iot", {"title": "Sensor, reading next year", "device": "d", "metric": "m", "unit": ""}),
        card("election", {"title": "Election closing in 2 years", "question": "?", "description": "",
                          "options": [{"label": "a", "votes": None}, {"label": "b", "votes": None}],
                          "opens_at": (now + timedelta(days=700)).isoformat(), "closes_at": (now + timedelta(days=730)).isoformat()}),
    ])
    # The election's moments lie ahead, so it counts from when it was last changed (now);
    # the reading lies later than that, the 2020 news earlier.
    assert order_on_page(client, page) == ["Sensor, reading next year", "Election closing in 2 years", "News 2020"]


def test_changing_a_card_stamps_only_that_card(make_initiative):
    page = make_initiative(card_order="activity", cards=[
        card("map", {"title": "A", "places": [], "geojson": ""}, block_id="a"),
        card("map", {"title": "B", "places": [], "geojson": ""}, block_id="b"),
    ])
    stamps = dict(page.card_stamps)
    raw = page.cards.raw_data
    raw[1]["value"]["title"] = "B, changed"
    page.cards = list(raw)
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.card_stamps["a"] == stamps["a"]
    assert page.card_stamps["b"] > stamps["b"]
    assert [card.child.value["title"] for card in page.cards_for_display()] == ["B, changed", "A"]


def test_draft_changes_do_not_count_until_published(make_initiative):
    page = make_initiative(cards=[card("map", {"title": "A", "places": [], "geojson": ""}, block_id="a")])
    stamps = dict(page.card_stamps)
    page.cards = [card("map", {"title": "A draft", "places": [], "geojson": ""}, block_id="a")]
    page.save_revision()
    page.refresh_from_db()
    assert page.card_stamps == stamps


def test_home_lists_most_recently_active_first(client, make_initiative):
    make_initiative(title="Sleepy", cards=[news("n", "2019-01-01")])
    make_initiative(title="Busy", cards=[news("n", "2029-01-01")])
    make_initiative(title="Middle", cards=[news("n", "2024-01-01")])
    html = client.get("/").text
    assert html.index("Busy") < html.index("Middle") < html.index("Sleepy")


def test_home_resorts_when_a_scheduled_moment_passes(client, make_initiative):
    from initiatives.models import InitiativePage
    from initiatives.tasks import refresh_due_activity

    now = timezone.now()
    make_initiative(title="Recent news", cards=[news("n", (now - timedelta(days=1)).date().isoformat())])
    voting = make_initiative(title="Vote closes", cards=[card("election", {
        "title": "", "question": "?", "description": "", "options": [{"label": "a", "votes": None}, {"label": "b", "votes": None}],
        "opens_at": (now - timedelta(days=9)).isoformat(), "closes_at": (now + timedelta(hours=1)).isoformat()})])
    # Pretend the page was last saved 3 days ago, before the news.
    InitiativePage.objects.filter(pk=voting.pk).update(last_activity_at=now - timedelta(days=3), next_moment_at=now - timedelta(minutes=1))
    html = client.get("/").text
    assert "Recent news" in html and "Vote closes" in html
    # A visitor's GET writes nothing: the clock re-evaluates the page.
    voting.refresh_from_db()
    assert voting.next_moment_at < now
    assert refresh_due_activity.enqueue().return_value == [voting.pk]
    # next_moment_at passed: the page is re-evaluated and its closing (ahead) is now pending.
    voting.refresh_from_db()
    assert voting.next_moment_at is not None and voting.next_moment_at > now
    assert refresh_due_activity.enqueue().return_value == []


def test_sub_initiatives_listed_on_parent(client, make_initiative):
    parent = make_initiative(title="Solar coop")
    make_initiative(parent=parent, title="Round two: the sports hall")
    html = client.get(parent.url_path.replace("/ctylab-home", "", 1)).text
    assert "Sub-initiatives" in html and "Round two: the sports hall" in html


def test_republishing_unchanged_rich_text_keeps_the_stamp(make_initiative):
    page = make_initiative(cards=[card("news", {"title": "N", "items": [
        {"headline": "h", "date": "2026-01-01", "body": "<p>Hello <b>there</b></p><ul><li>one</li></ul>", "image": None, "link": ""},
    ]}, block_id="n")])
    stamps = dict(page.card_stamps)
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.card_stamps == stamps
