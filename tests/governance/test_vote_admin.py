"""Frontrunners manage their initiative's votes in the admin: see, schedule, edit, cancel.

The election card is the vote, so an admin edit of a card's vote publishes the card changed
(card and vote never disagree); after opening, every rule is frozen and an edit is refused
with a message naming the fields; editors who are not frontrunners get nothing.
"""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from governance import services
from governance.exceptions import NotAllowed, RulesFrozen
from governance.models import LogEntry, Proposal, ProposalStatus, Role
from initiatives.models import InitiativePage
from tests.accounts.conftest import with_totp  # noqa: F401  (a fixture: admins need a second factor)
from tests.conftest import card

BLOCK = "card-admin-vote"
MINUTE = "%Y-%m-%d %H:%M"


def local(moment):
    return timezone.localtime(moment).strftime(MINUTE)


def card_value(opens_at, closes_at, **extra):
    value = {
        "title": "", "question": "Plant lime trees?", "description": "", "kind": "for_against", "options": [],
        "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat(),
        "rule": "simple", "qualified_percent": None, "quorum_percent": None, "electorate": "members",
    }
    value.update(extra)
    return value


@pytest.fixture
def world(make_initiative, make_user, with_totp):  # noqa: F811
    now = timezone.now().replace(second=0, microsecond=0)
    later = card_value(now + datetime.timedelta(days=1), now + datetime.timedelta(days=8))
    running = card_value(now - datetime.timedelta(hours=1), now + datetime.timedelta(days=3), question="Paint it?")
    page = make_initiative(
        title="Lindenlaan", slug="lindenlaan",
        cards=[card("election", later, BLOCK), card("election", running, BLOCK + "-open")],
    )
    other = make_initiative(title="Elsewhere", slug="elsewhere",
                            cards=[card("election", later, BLOCK)])
    frontrunner, editor, stranger = make_user("front"), make_user("editor"), make_user("other-front")
    services.join(page, frontrunner, Role.FRONTRUNNER)
    services.join(page, editor, Role.PARTICIPANT)
    services.join(other, stranger, Role.FRONTRUNNER)
    for user in (frontrunner, editor):
        accounts.invite_editor(page, user, by=frontrunner)
        with_totp(user)
    accounts.invite_editor(other, stranger, by=stranger)
    with_totp(stranger)
    draft = Proposal.objects.get(initiative=page, election_block_id=BLOCK)
    opened = Proposal.objects.get(initiative=page, election_block_id=BLOCK + "-open")
    elsewhere = Proposal.objects.get(initiative=other, election_block_id=BLOCK)
    return {"page": page, "frontrunner": frontrunner, "editor": editor, "stranger": stranger,
            "draft": draft, "opened": opened, "elsewhere": elsewhere, "now": now}


def form_data(vote, **changes):
    data = {
        "action": "edit", "question": vote.title, "description": vote.text, "kind": vote.kind, "options": "",
        "electorate": "members", "opens_at": local(vote.opens_at), "closes_at": local(vote.closes_at),
        "rule": vote.rule, "qualified_percent": "", "quorum_percent": "",
    }
    data.update(changes)
    return data


def live_card(page, block_id):
    page = InitiativePage.objects.get(pk=page.pk)
    return next(child.value for child in page.cards if child.id == block_id)


def test_the_frontrunner_schedules_and_edits_a_vote_and_the_card_follows(client, world):
    vote, now = world["draft"], world["now"]
    client.force_login(world["frontrunner"])
    listing = html.unescape(client.get(reverse("governance_proposals:index")).text)
    assert "Plant lime trees?" in listing and reverse("governance_proposals:edit", args=[vote.pk]) in listing
    url = reverse("governance_proposals:edit", args=[vote.pk])
    page = html.unescape(client.get(url).text)
    assert "Change or schedule this vote" in page and "Cancel this vote" in page and "Manage vote" in page

    opens, closes = now + datetime.timedelta(days=2), now + datetime.timedelta(days=10)
    response = client.post(url, form_data(
        vote, question="Plant oaks or limes?", kind="options", options="Oaks\nLimes\n",
        opens_at=local(opens), closes_at=local(closes), quorum_percent="30", electorate="participants",
    ))
    assert response.status_code == 302, html.unescape(response.text)[:3000]
    vote.refresh_from_db()
    assert (vote.title, vote.options, vote.opens_at, vote.closes_at) == ("Plant oaks or limes?", ["Oaks", "Limes"],
                                                                          opens, closes)
    assert float(vote.quorum_percent) == 30 and sorted(vote.eligible_roles) == ["frontrunner", "participant"]
    value = live_card(world["page"], BLOCK)
    assert value["question"] == "Plant oaks or limes?" and value.option_labels == ["Oaks", "Limes"]
    assert (value["opens_at"], value["closes_at"], value["electorate"]) == (opens, closes, "participants")
    assert services.card_votes.frozen_changes(vote, value) == []
    entry = LogEntry.objects.filter(initiative=world["page"], kind="proposal.updated").latest("pk")
    assert entry.payload["by"] == world["frontrunner"].pk and "options" in entry.payload["fields"]


def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, world):
    vote = world["draft"]
    client.force_login(world["frontrunner"])
    url = reverse("governance_proposals:edit", args=[vote.pk])
    before = Proposal.objects.filter(pk=vote.pk).values().get()
    cases = [
        (form_data(vote, closes_at=local(vote.opens_at - datetime.timedelta(hours=1))), "close after it opens"),
        (form_data(vote, kind="options", options="Only one"), "between 2 and"),
        (form_data(vote, opens_at="not a date"), "Enter a valid date"),
        (form_data(vote, opens_at=local(world["now"] - datetime.timedelta(days=1))), "cannot open in the past"),
        (form_data(vote, rule="qualified", qualified_percent="40"), "qualified majority"),
        ({"action": "edit"}, "This field is required"),
        ({"action": "nonsense"}, "Choose to change the vote or to cancel it"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200 and message in html.unescape(response.text), message
    assert Proposal.objects.filter(pk=vote.pk).values().get() == before


def test_after_opening_frozen_fields_are_refused_by_name(client, world):
    vote = world["opened"]
    assert vote.status == ProposalStatus.OPEN
    client.force_login(world["frontrunner"])
    url = reverse("governance_proposals:edit", args=[vote.pk])
    page = html.unescape(client.get(url).text)
    assert "Change or schedule this vote" not in page and "can no longer change" in page
    response = client.post(url, form_data(vote, question="Paint it red?", quorum_percent="20"))
    body = html.unescape(response.text)
    assert response.status_code == 200 and "Voting has opened, so" in body
    assert "“Question”" in body and "“Quorum (% of eligible members)”" in body
    vote.refresh_from_db()
    assert vote.title == "Paint it?" and vote.quorum_percent is None
    with pytest.raises(RulesFrozen):
        services.vote_admin.edit_vote(vote, world["frontrunner"], {"closes_at": vote.closes_at + datetime.timedelta(days=1)})


def test_the_frontrunner_cancels_with_a_reason(client, world):
    vote = world["opened"]
    client.force_login(world["frontrunner"])
    url = reverse("governance_proposals:edit", args=[vote.pk])
    response = client.post(url, {"action": "cancel", "reason": "  "})
    assert "Say why the vote is cancelled" in html.unescape(response.text)
    assert Proposal.objects.get(pk=vote.pk).status == ProposalStatus.OPEN
    response = client.post(url, {"action": "cancel", "reason": "The council decided already."})
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.status == ProposalStatus.CANCELLED and vote.cancel_reason == "The council decided already."
    entry = LogEntry.objects.filter(initiative=world["page"], kind="proposal.cancelled").latest("pk")
    assert entry.payload["by"] == world["frontrunner"].pk
    # A cancelled vote offers nothing more.
    page = html.unescape(client.get(url).text)
    assert 'value="cancel"' not in page and 'value="edit"' not in page, page[page.find("Cancel this vote</button>") - 1500:][:1600]


@pytest.mark.parametrize("who", ["editor", "stranger"])
def test_others_get_no_menu_and_no_change(client, world, who):
    vote = world["draft"]
    before = list(Proposal.objects.order_by("pk").values_list("title", "status", "opens_at"))
    client.force_login(world[who])
    url = reverse("governance_proposals:edit", args=[vote.pk])
    assert client.get(url).status_code in (302, 403, 404)
    for data in (form_data(vote, question="Hijacked"), {"action": "cancel", "reason": "Hijacked"}):
        assert client.post(url, data).status_code in (302, 403, 404)
    listing = client.get(reverse("governance_proposals:index"))
    if who == "editor":  # an editor of the initiative who is not a frontrunner: no Votes at all
        assert listing.status_code in (302, 403) and "Plant lime trees?" not in html.unescape(listing.text)
        dashboard = html.unescape(client.get(reverse("wagtailadmin_home")).text)
        assert reverse("governance_proposals:index") not in dashboard
    assert Proposal.objects.order_by("pk").values_list("title", "status", "opens_at")[::1] == before
    with pytest.raises(NotAllowed):
        services.vote_admin.edit_vote(vote, world[who], {"question": "Hijacked"})


def test_the_stranger_sees_only_their_own_initiatives_votes(client, world):
    client.force_login(world["stranger"])
    listing = html.unescape(client.get(reverse("governance_proposals:index")).text)
    assert reverse("governance_proposals:edit", args=[world["elsewhere"].pk]) in listing
    assert reverse("governance_proposals:edit", args=[world["draft"].pk]) not in listing


def test_in_dutch(client, world):
    client.force_login(world["frontrunner"])
    url = reverse("governance_proposals:edit", args=[world["opened"].pk])
    page = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="nl").text)
    assert "Deze stemming annuleren" in page and "Reden voor het annuleren" in page
