"""The proposals viewset in the Wagtail admin: listed, inspected and managed through the
services only (never added there, never a raw model form)."""

import datetime

import pytest
from django.urls import reverse

from governance.models import Proposal


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.org", "x"))
    return client


def test_proposals_are_listed_and_inspected(admin_client, make_proposal):
    proposal = make_proposal(title="Plant lime trees")
    listing = admin_client.get(reverse("governance_proposals:index"))
    assert listing.status_code == 200 and "Plant lime trees" in listing.text
    inspect = admin_client.get(reverse("governance_proposals:inspect", args=[proposal.pk]))
    assert inspect.status_code == 200 and str(proposal.uuid) in inspect.text


def test_proposals_cannot_be_added_nor_changed_by_a_raw_model_form(admin_client, make_proposal):
    proposal = make_proposal(title="Plant lime trees")
    assert admin_client.get(reverse("governance_proposals:add")).status_code != 200
    response = admin_client.post(
        reverse("governance_proposals:edit", args=[proposal.pk]), {"title": "Changed"}
    )
    assert "Choose to change the vote or to cancel it" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).title == "Plant lime trees"


def test_a_vote_without_a_card_is_changed_in_place_and_logged(admin_client, make_proposal, now):
    from django.utils import timezone

    from governance.models import LogEntry

    start = now.replace(second=0, microsecond=0) + datetime.timedelta(days=1)
    proposal = make_proposal(open=False, opens_at=start, closes_at=start + datetime.timedelta(days=2))
    closes = start + datetime.timedelta(days=5)
    response = admin_client.post(reverse("governance_proposals:edit", args=[proposal.pk]), {
        "action": "edit", "question": "Plant oaks?", "description": "", "kind": "for_against", "options": "",
        "electorate": "members", "opens_at": timezone.localtime(start).strftime("%Y-%m-%d %H:%M"),
        "closes_at": timezone.localtime(closes).strftime("%Y-%m-%d %H:%M"), "rule": "simple",
        "qualified_percent": "", "quorum_percent": "",
    })
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.closes_at) == ("Plant oaks?", closes)
    entry = LogEntry.objects.filter(kind="proposal.updated").latest("pk")
    assert set(entry.payload["fields"]) >= {"title", "closes_at"}
