"""What changes a page without an editor publishing it reaches the next anonymous visitor at
once, though the page is cached: each producer announces the change
(``blocks.signals.announce_changed``), the caches purge the page, and a page whose look changes
by itself at a known moment is kept no later than that moment (``s-maxage``).

Each test renders the page (kept in the page cache), changes it through the real producer —
the clock's tasks, the governance and tender services, the readings import, the catalogue
admin's save — and asks again as an anonymous visitor.
"""

import datetime
import re
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from blocks.importers import import_readings
from catalogue.models import CardTypeEntry, WhenDisabled
from catalogue.services import sync_card_types
from governance import services as governance
from governance.backends import reset_backends
from governance.models import Proposal, Role
from tests.conftest import card


@pytest.fixture
def page_cache(settings):
    settings.CTYLAB_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_chain():
    reset_backends()
    yield
    reset_backends()


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def visit(client, page):
    """(X-Cache, whitespace-normalised text) of an anonymous GET of ``page``."""
    response = client.get(page.url)
    assert response.status_code == 200
    return response.get("X-Cache"), text(response)


def cached(client, page):
    """Render ``page`` and check that the next visitor is served the kept copy."""
    visit(client, page)
    state, body = visit(client, page)
    assert state == "HIT"
    return body


def wait_until(moment):
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.3)


def shared_age(response):
    found = re.search(r"s-maxage=(\d+)", response.get("Cache-Control", ""))
    return int(found.group(1)) if found else None


def tender_card(deadline):
    return card("tender", {
        "title": "Offerte gevraagd", "request": "Paving for a jeu-de-boules court", "description": "",
        "budget_min": "5000", "budget_max": "9000", "deadline": deadline.isoformat(), "status": "open",
        "contact_name": "", "contact_email": "", "show_quote_count": False, "publish_losing_amounts": False,
    }, "tender-1")


def election_card(opens_at, closes_at):
    return card("election", {
        "title": "Stemming", "question": "Lime trees in the park?", "description": "", "kind": "for_against",
        "options": [], "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat(), "rule": "simple",
        "qualified_percent": None, "quorum_percent": None, "electorate": "members",
    }, "election-1")


def test_a_tender_deadline_passing_shows_at_once_and_the_clock_purges_the_opening(
    client, page_cache, make_initiative, django_capture_on_commit_callbacks
):
    from initiatives.tasks import refresh_due_activity
    from tenders.tasks import open_due_tenders

    deadline = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=8)
    page = make_initiative(title="Jeu de boules", cards=[tender_card(deadline)])
    first = client.get(page.url)
    # Kept no later than the deadline, by this cache and by Varnish.
    assert first["X-Cache"] == "MISS" and 0 < shared_age(first) <= 8
    assert "Open for quotes" in cached(client, page)

    wait_until(deadline)
    state, body = visit(client, page)
    assert state == "MISS" and "Deadline passed" in body
    assert "Deadline passed" in cached(client, page)

    # The clock: the initiative's moment passed (it re-sorts), then the quotes are opened.
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_due_activity.enqueue().return_value == [page.pk]
    assert visit(client, page)[0] == "MISS"
    cached(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        assert open_due_tenders.enqueue().return_value
    state, body = visit(client, page)
    assert state == "MISS" and "no quotes came in" in body


def test_a_vote_opening_closing_anchored_and_followed_up_shows_at_once(
    client, page_cache, make_initiative, django_user_model, django_capture_on_commit_callbacks
):
    # The task worker runs at once here (as Wagtail's purges, which are tasks too).
    from governance.tasks import close_due_proposals
    opens_at = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=8)
    closes_at = opens_at + datetime.timedelta(seconds=4)
    page = make_initiative(title="Wilhelminapark", cards=[election_card(opens_at, closes_at)])
    frontrunner = django_user_model.objects.create_user("frontrunner", password="x")
    governance.join(page, frontrunner, Role.FRONTRUNNER)
    assert "Voting has not opened yet" in cached(client, page)

    wait_until(opens_at)
    state, body = visit(client, page)
    assert state == "MISS" and "Log in to vote" in body  # open: by the clock of the page itself
    cached(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        close_due_proposals.call()  # opens the proposal: the vote's own record changes
    assert visit(client, page)[0] == "MISS"
    assert Proposal.objects.get(initiative=page).status == "open"

    wait_until(closes_at)
    state, body = visit(client, page)
    assert state == "MISS" and "the result is being counted" in body
    cached(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        close_due_proposals.call()  # closes, and the worker anchors the decision right after
    state, body = visit(client, page)
    assert state == "MISS" and "Decision: not passed." in body and "Recorded on the chain" in body

    cached(client, page)
    decision = Proposal.objects.get(initiative=page).decision
    with django_capture_on_commit_callbacks(execute=True):
        governance.post_update(decision, frontrunner, status="in_progress", date="2026-12-01",
                               text="The lime trees are ordered.")
    state, body = visit(client, page)
    assert state == "MISS" and "The lime trees are ordered." in body


def test_new_readings_purge_the_page_that_shows_them(
    client, page_cache, make_initiative, django_capture_on_commit_callbacks, settings
):
    settings.CTYLAB_SENSORS_ACTIVITY_SECONDS = 60
    sensor = card("iot", {"title": "Yield", "device": "roof-1", "metric": "power", "unit": "kW"}, "sensor-1")
    page = make_initiative(title="Zonnedak", cards=[sensor])
    other = make_initiative(title="Elders", slug="elders")
    now = timezone.now().replace(microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        import_readings(["device,metric,measured_at,value", f"roof-1,power,{(now - datetime.timedelta(hours=1)).isoformat()},12.5"])
    first = client.get(page.url)
    # Readings are announced at most once a minute: that is as old as a kept latest value gets.
    assert shared_age(first) == 60
    assert "12.5" in cached(client, page)
    cached(client, other)

    with django_capture_on_commit_callbacks(execute=True):
        import_readings(["device,metric,measured_at,value", f"roof-1,power,{now.isoformat()},17.25"])
    state, body = visit(client, page)
    assert state == "MISS" and "17.25" in body
    assert visit(client, other)[0] == "HIT"  # it shows no sensor: kept


def test_switching_a_card_type_off_hides_it_at_once(
    client, page_cache, make_initiative, django_capture_on_commit_callbacks
):
    sync_card_types()
    news = card("news", {"title": "Nieuws van het dak", "items": []}, "news-1")
    page = make_initiative(title="Zonnedak", cards=[news])
    other = make_initiative(title="Elders", slug="elders")
    assert "Nieuws van het dak" in cached(client, page)
    cached(client, other)

    entry = CardTypeEntry.objects.get(name="news")
    entry.enabled, entry.when_disabled = False, WhenDisabled.HIDE
    with django_capture_on_commit_callbacks(execute=True):
        entry.save()
    state, body = visit(client, page)
    assert state == "MISS" and "Nieuws van het dak" not in body
    assert visit(client, other)[0] == "HIT"  # no news card: kept
