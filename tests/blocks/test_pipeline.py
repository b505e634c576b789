"""The one card pipeline (blocks.pipeline): what each card type declares on its value class
reaches the page, search and the activity clock without any of them naming the type."""

import datetime

from django.test import RequestFactory
from django.utils import timezone
from wagtail import hooks

from blocks import pipeline
from blocks.cards.election import CLOSED, OPEN, UPCOMING, ElectionValue
from blocks.readings import reading_card_types
from blocks.registry import CardPolicy
from tests.catalogue.example_cards.cards import PledgeValue
from tests.conftest import card

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def pledge(title, block_id):
    return card("pledge", {"title": title, "cause": "A bench", "pledges": []}, block_id=block_id)


def news(title, date):
    return card("news", {"title": title, "items": [{"headline": "h", "date": date, "body": "", "image": None, "link": ""}]})


def test_a_card_type_that_names_a_live_hook_is_shown_live_with_one_call_per_page(
    make_initiative, monkeypatch
):
    # A plug-in card declares its live hook on its value class, as the election and tender
    # cards do; the pipeline asks that hook once, for all such cards of the page.
    monkeypatch.setattr(PledgeValue, "live_context_hook", "pledge_card_context", raising=False)
    page = make_initiative(cards=[pledge("First", "p1"), news("Plain news", "2026-01-01"), pledge("Second", "p2")])
    calls = []

    def pledge_live(page, request, block_ids):
        calls.append(sorted(block_ids))
        return {block_id: f"live {block_id}" for block_id in block_ids}

    with hooks.register_temporarily("pledge_card_context", pledge_live):
        cards = pipeline.cards_for_display(page, RequestFactory().get("/"))
    assert calls == [["p1", "p2"]]
    assert {card.child.value["title"]: card.live for card in cards} == {
        "First": "live p1", "Second": "live p2", "Plain news": None,
    }
    # Search documents and the clock are the same for every visitor: nothing live is asked.
    with hooks.register_temporarily("pledge_card_context", pledge_live):
        assert all(card.live is None for card in pipeline.cards_for_display(page))
    assert len(calls) == 1


class NoNews(CardPolicy):
    def shows(self, name):
        return name != "news"


def test_hidden_cards_count_neither_on_the_page_nor_for_the_clock(make_initiative):
    page = make_initiative(card_order="activity", cards=[news("Recent news", "2026-05-31")])
    assert timezone.localtime(page.last_activity_at).date() == datetime.date(2026, 5, 31)
    with hooks.register_temporarily("card_policy", lambda page: NoNews()):
        assert pipeline.cards_for_display(page, now=NOW) == []
        page.refresh_activity(NOW)
    # The news card no longer sets the initiative's activity: only the publication does.
    assert page.last_activity_at == page.last_published_at


def test_the_election_card_owns_the_status_by_the_clock():
    opens, closes = NOW, NOW + datetime.timedelta(days=14)
    status = ElectionValue.window_status
    assert status(opens, closes, NOW - datetime.timedelta(minutes=1)) == UPCOMING
    assert status(opens, closes, NOW) == OPEN
    assert status(opens, closes, closes) == CLOSED
    assert status(None, closes, NOW) == UPCOMING
    assert ElectionValue.window_change(opens, closes, NOW - datetime.timedelta(days=1)) == opens
    assert ElectionValue.window_change(opens, closes, NOW) == closes
    assert ElectionValue.window_change(opens, closes, closes) is None


def test_reading_cards_are_the_types_that_declare_a_reading_series(monkeypatch):
    assert reading_card_types() == ["iot"]
    monkeypatch.setattr(PledgeValue, "reading_series", lambda self: ("pond", "level"), raising=False)
    assert reading_card_types() == ["iot", "pledge"]
