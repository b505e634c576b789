"""After the decision: accounts a site admin marks as officials of a municipality or an
organisation post responses, shown as official on the decisions page and logged."""

import html
import re

import pytest
from django.urls import reverse

from governance import services
from governance.exceptions import NotAllowed
from governance.models import LogEntry, Official, OfficialResponse

from .test_anchoring import closed_just_now


@pytest.fixture
def decision(initiative, make_member, make_proposal, now):
    voters = [make_member() for _ in range(2)]
    return closed_just_now(make_proposal, now, voters, [0, 0])[0]


@pytest.fixture
def official(make_user):
    user = make_user("wethouder")
    Official.objects.create(user=user, organisation="Gemeente Utrecht")
    return user


def post(client, decision, **fields):
    data = {"text": "We will plant the trees in March.", "link": ""}
    data.update(fields)
    return client.post(reverse("governance:official_response", args=[decision.proposal.uuid]), data, follow=True)


def test_an_official_responds_and_it_is_shown_as_official_and_logged(client, initiative, official, decision):
    client.force_login(official)
    page = html.unescape(client.get(reverse("governance:decisions", args=[initiative.pk])).text)
    assert "Respond officially on behalf of Gemeente Utrecht" in page
    response = post(client, decision, link="https://utrecht.example/bomen")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.unescape(response.text)))
    assert "Your official response is posted and added to the governance log." in text
    assert "Official response · Gemeente Utrecht" in text and "We will plant the trees in March." in text
    entry = LogEntry.objects.filter(initiative=initiative).order_by("-seq").first()
    assert entry.kind == "decision.official_response" and entry.payload["organisation"] == "Gemeente Utrecht"
    assert entry.payload["decision_hash"] == decision.record_hash


def test_only_officials_respond(client, initiative, frontrunner, decision, make_user):
    client.force_login(frontrunner)
    page = client.get(reverse("governance:decisions", args=[initiative.pk])).text
    assert "Respond officially" not in page
    response = post(client, decision)
    assert "Only accounts a site admin marked as an official" in html.unescape(response.text)
    with pytest.raises(NotAllowed):
        services.post_official_response(decision, make_user(), text="x")
    assert not OfficialResponse.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "  "}, "Write the response."),
        ({"text": "x" * 4001}, "Keep the response under 4000 characters."),
        ({"link": "javascript:alert(1)"}, "The link must be a web address"),
    ],
)
def test_bad_responses_are_refused_and_nothing_is_stored(client, official, decision, fields, message):
    client.force_login(official)
    response = post(client, decision, **fields)
    assert response.status_code == 200 and message in html.unescape(response.text)
    assert not OfficialResponse.objects.exists()


def test_site_admins_mark_officials_in_the_admin(admin_client, make_user):
    user = make_user("raadslid")
    response = admin_client.post(
        reverse("governance_officials:add"), {"user": user.pk, "organisation": "Gemeente Amersfoort"}
    )
    assert response.status_code == 302
    assert Official.objects.get(user=user).organisation == "Gemeente Amersfoort"


def test_a_member_cannot_mark_themselves(client, make_user, initiative, frontrunner):
    client.force_login(frontrunner)
    response = client.post(reverse("governance_officials:add"), {"user": frontrunner.pk, "organisation": "Wij"})
    assert response.status_code in (302, 403)
    assert not Official.objects.exists()
