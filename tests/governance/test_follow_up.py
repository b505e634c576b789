"""After the decision: frontrunners post status updates, shown on the decisions page and the
card, and appended to the governance log."""

import datetime
import re

import pytest
from django.urls import reverse

from governance.models import DecisionUpdate, LogEntry
from tests.conftest import card

from .test_anchoring import closed_just_now

BLOCK = "election-follow"


@pytest.fixture
def decision(initiative, make_member, make_proposal, now):
    voters = [make_member() for _ in range(2)]
    return closed_just_now(make_proposal, now, voters, [0, 0])[0]


def post(client, decision, **fields):
    data = {"status": "in_progress", "date": "2026-12-01", "text": "The trees are ordered.", "link": ""}
    data.update(fields)
    url = reverse("governance:follow_up", args=[decision.proposal.uuid])
    return client.post(url, data, follow=True)


def test_a_frontrunner_posts_an_update_shown_on_the_decisions_page_and_logged(
    client, initiative, frontrunner, decision
):
    client.force_login(frontrunner)
    page = client.get(reverse("governance:decisions", args=[initiative.pk])).text
    assert "Post an update on this decision" in page
    response = post(client, decision, link="https://gemeente.example/bomen")
    assert "Your update is posted and added to the governance log." in response.text
    text = re.sub(r"\s+", " ", response.text)
    assert "In progress" in text and "The trees are ordered." in text
    assert '<time datetime="2026-12-01">' in text and 'href="https://gemeente.example/bomen"' in text
    entry = LogEntry.objects.filter(initiative=initiative).order_by("-seq").first()
    assert entry.kind == "decision.update" and entry.payload["status"] == "in_progress"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "  "}, "Write what happened."),
        ({"status": "finished"}, "Choose one of the statuses."),
        ({"date": "yesterday"}, "Give the date as a calendar date."),
        ({"link": "javascript:alert(1)"}, "The link must be a web address"),
    ],
)
def test_bad_updates_are_refused_and_nothing_is_stored(client, frontrunner, decision, fields, message):
    client.force_login(frontrunner)
    response = post(client, decision, **fields)
    assert response.status_code == 200 and message in response.text
    assert not DecisionUpdate.objects.exists()


def test_only_frontrunners_post_updates(client, initiative, make_member, decision):
    client.force_login(make_member())
    assert "Post an update" not in client.get(reverse("governance:decisions", args=[initiative.pk])).text
    response = post(client, decision)
    assert "Only a frontrunner of this initiative can post updates" in response.text
    assert not DecisionUpdate.objects.exists()


def test_the_card_shows_the_follow_up(client, make_initiative, make_user, now):
    from governance import services
    from governance.models import Proposal, Role

    value = {
        "title": "", "question": "Plant trees?", "description": "", "kind": "for_against", "options": [],
        "opens_at": (now - datetime.timedelta(hours=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(hours=1)).isoformat(),
        "rule": "simple", "qualified_percent": None, "quorum_percent": None, "electorate": "members",
    }
    page = make_initiative(cards=[card("election", value, BLOCK)])
    frontrunner = make_user("lead")
    services.join(page, frontrunner, Role.FRONTRUNNER)
    vote = Proposal.objects.get(initiative=page)
    services.cast_ballot(vote, frontrunner, 0)
    decision = services.close_proposal(vote, now=vote.closes_at)
    services.post_update(decision, frontrunner, status="done", date=datetime.date(2026, 12, 24), text="Planted.")
    html = client.get(page.url).text
    assert "Follow-up" in html and "Planted." in html and "Done" in html
