"""The proposals viewset in the Wagtail admin: listed and inspected, never edited there."""

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


def test_proposals_cannot_be_added_or_edited_in_the_admin(admin_client, make_proposal):
    proposal = make_proposal(title="Plant lime trees")
    assert admin_client.get(reverse("governance_proposals:add")).status_code != 200
    response = admin_client.post(
        reverse("governance_proposals:edit", args=[proposal.pk]), {"title": "Changed"}
    )
    assert response.status_code != 200
    assert Proposal.objects.get(pk=proposal.pk).title == "Plant lime trees"
    listing = admin_client.get(reverse("governance_proposals:index")).text
    assert reverse("governance_proposals:edit", args=[proposal.pk]) not in listing
