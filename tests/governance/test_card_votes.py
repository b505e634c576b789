"""The election card is the vote: editors run votes from the page editor, never from Python."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data

from blocks.registry import registry
from governance import services
from governance.exceptions import GovernanceError, ProposalCancelled
from governance.models import Ballot, LogEntry, Proposal, ProposalKind, ProposalStatus, Role
from initiatives.models import InitiativePage
from tests.conftest import card

BLOCK = "card-vote"
MINUTE = "%Y-%m-%d %H:%M"


@pytest.fixture
def moderator(django_user_model, db):
    """Someone who may publish initiatives (a site admin)."""
    return django_user_model.objects.create_superuser("moderator", "m@example.org", "pw")


def stream(items):
    """StreamField form data with block ids, as the page editor posts it."""
    data = {
        str(index): {"type": kind, "value": value, "deleted": "", "order": str(index), "id": block_id}
        for index, (kind, value, block_id) in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def option_list(labels):
    data = {
        str(index): {"value": {"label": label}, "deleted": "", "order": str(index), "id": f"opt{index}"}
        for index, label in enumerate(labels)
    }
    data["count"] = str(len(labels))
    return data


def election_form(question="Shall we plant lime trees?", **fields):
    """The election card's form fields; untouched ones keep the card's defaults."""
    default = registry.get("election").block.get_default()
    value = {
        "title": "",
        "question": question,
        "description": "",
        "kind": default["kind"],
        "options": option_list([]),
        "opens_at": default["opens_at"].astimezone(timezone.get_current_timezone()).strftime(MINUTE),
        "closes_at": default["closes_at"].astimezone(timezone.get_current_timezone()).strftime(MINUTE),
        "rule": default["rule"],
        "qualified_percent": "",
        "quorum_percent": "",
        "electorate": default["electorate"],
    }
    value.update(fields)
    return value


def page_form(cards, slug="lindenlaan", **extra):
    data = {
        "title": "Lindenlaan", "slug": slug, "summary": "Bomen voor de laan.", "content_language": "nl",
        "municipality": "Utrecht", "latitude": "", "longitude": "", "ambitions": "groen",
        "card_order": "manual", "cards": stream(cards),
    }
    data.update(extra)
    return nested_form_data(data)


def local(moment):
    return moment.astimezone(timezone.get_current_timezone()).strftime(MINUTE)


def publish_new(client, home, cards):
    response = client.post(
        f"/admin/pages/add/initiatives/initiativepage/{home.pk}/", page_form(cards, **{"action-publish": "1"})
    )
    assert response.status_code == 302, re.findall(r"error[^<]{0,200}", response.text)[:5]
    return InitiativePage.objects.get(slug="lindenlaan")


def publish_edit(client, page, cards):
    return client.post(f"/admin/pages/{page.pk}/edit/", page_form(cards, slug=page.slug, **{"action-publish": "1"}))


def test_an_untouched_card_is_valid_and_publishing_it_creates_the_vote(client, home, moderator):
    client.force_login(moderator)
    editor_page = client.get(f"/admin/pages/add/initiatives/initiativepage/{home.pk}/").text
    assert "Votes counted" not in editor_page  # nobody types results
    before = timezone.now().replace(second=0, microsecond=0)
    page = publish_new(client, home, [("election", election_form(), BLOCK)])

    vote = Proposal.objects.get(initiative=page, election_block_id=BLOCK)
    assert vote.title == "Shall we plant lime trees?"
    assert vote.kind == ProposalKind.FOR_AGAINST and vote.options == ["For", "Against", "Abstain"]
    assert vote.rule == "simple" and vote.quorum_percent is None
    assert set(vote.eligible_roles) == {Role.FRONTRUNNER, Role.PARTICIPANT, Role.SUPPORTER}
    assert vote.opens_at >= before - datetime.timedelta(minutes=1)
    assert vote.closes_at - vote.opens_at == datetime.timedelta(days=14)
    assert vote.status == ProposalStatus.OPEN  # it opened at once: its opening time is now
    assert list(LogEntry.objects.filter(initiative=page).values_list("kind", flat=True)) == [
        "proposal.created", "proposal.opened",
    ]
    # The public card is the voting form at once.
    html = client.get(page.url).text
    assert f'action="/governance/proposals/{vote.uuid}/vote/"' in html or "Join as participant" in html


def test_the_minimum_two_options_message_never_shows_on_an_untouched_card():
    block = registry.get("election").block
    value = block.get_default()
    value["question"] = "Agreed?"
    cleaned = block.clean(value)
    assert cleaned["kind"] == "for_against" and list(cleaned["options"]) == []


def test_editing_before_opening_updates_the_vote(client, home, moderator):
    client.force_login(moderator)
    opens = timezone.now() + datetime.timedelta(days=2)
    closes = opens + datetime.timedelta(days=7)
    page = publish_new(client, home, [("election", election_form(opens_at=local(opens), closes_at=local(closes)), BLOCK)])
    vote = Proposal.objects.get(initiative=page, election_block_id=BLOCK)
    assert vote.status == ProposalStatus.DRAFT

    changed = election_form(
        "Which trees?", kind="options", options=option_list(["Lime", "Oak"]),
        opens_at=local(opens), closes_at=local(closes), quorum_percent="30", electorate="participants",
    )
    response = publish_edit(client, page, [("election", changed, BLOCK)])
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.title == "Which trees?" and vote.options == ["Lime", "Oak"]
    assert vote.quorum_percent == 30 and vote.eligible_roles == [Role.FRONTRUNNER, Role.PARTICIPANT]
    assert Proposal.objects.filter(initiative=page).count() == 1
    assert LogEntry.objects.filter(initiative=page, kind="proposal.updated").exists()


def test_after_opening_frozen_fields_are_refused_at_the_field_and_nothing_changes(client, home, moderator):
    client.force_login(moderator)
    page = publish_new(client, home, [("election", election_form(), BLOCK)])
    vote = Proposal.objects.get(initiative=page, election_block_id=BLOCK)
    rules = (vote.title, vote.options, vote.rule, vote.opens_at, vote.closes_at, vote.rules_hash)
    form = election_form(
        kind="options", options=option_list(["Lime", "Oak"]), rule="qualified", qualified_percent="60",
        opens_at=local(vote.opens_at), closes_at=local(vote.closes_at),
    )
    response = publish_edit(client, page, [("election", form, BLOCK)])
    assert response.status_code == 200
    # Block errors travel as JSON inside the editor page.
    text = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), html.unescape(response.text))
    assert "Voting has opened, so" in text
    for label in ("Members vote", "Options", "Decision rule", "Qualified majority (%)"):
        assert f"“{label}”" in text, label
    assert "can no longer change" in text
    vote.refresh_from_db()
    assert (vote.title, vote.options, vote.rule, vote.opens_at, vote.closes_at, vote.rules_hash) == rules
    page.refresh_from_db()
    assert page.cards[0].value["kind"] == "for_against"

    # The card title is not part of the vote: changing it is fine.
    untouched = election_form(title="Bomen", opens_at=local(vote.opens_at), closes_at=local(vote.closes_at))
    assert publish_edit(client, page, [("election", untouched, BLOCK)]).status_code == 302


def test_a_card_with_an_open_vote_stays_until_a_frontrunner_cancels(client, home, moderator, make_user):
    client.force_login(moderator)
    page = publish_new(client, home, [("election", election_form(), BLOCK)])
    vote = Proposal.objects.get(initiative=page, election_block_id=BLOCK)

    response = publish_edit(client, page, [])
    assert response.status_code == 200 and "has a vote that is open" in response.text
    page.refresh_from_db()
    assert len(page.cards) == 1

    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]), follow=True)
    assert "a frontrunner must cancel it first" in response.text
    page.refresh_from_db()
    assert page.live

    member = make_user("member")
    services.join(page, member, Role.PARTICIPANT)
    with pytest.raises(GovernanceError):
        services.cancel_proposal(vote, member, "Wrong question")  # only a frontrunner
    frontrunner = make_user("frontrunner")
    services.join(page, frontrunner, Role.FRONTRUNNER)
    with pytest.raises(GovernanceError, match="Say why"):
        services.cancel_proposal(vote, frontrunner, "  ")
    services.cancel_proposal(vote, frontrunner, "The question was unclear.")
    vote.refresh_from_db()
    assert vote.status == ProposalStatus.CANCELLED
    assert LogEntry.objects.filter(initiative=page, kind="proposal.cancelled").exists()

    html = client.get(page.url).text
    assert "This vote was cancelled." in html and "The question was unclear." in html
    with pytest.raises(ProposalCancelled):
        services.cast_ballot(vote, member, 0)
    assert not Ballot.objects.exists()

    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    page.refresh_from_db()
    assert not page.live


def test_removing_a_card_before_its_vote_opens_cancels_that_vote(client, home, moderator):
    client.force_login(moderator)
    opens = timezone.now() + datetime.timedelta(days=2)
    page = publish_new(client, home, [
        ("election", election_form(opens_at=local(opens), closes_at=local(opens + datetime.timedelta(days=3))), BLOCK)
    ])
    assert publish_edit(client, page, []).status_code == 302
    assert Proposal.objects.get(initiative=page).status == ProposalStatus.CANCELLED


def test_copying_a_page_gives_the_copy_a_vote_of_its_own(make_initiative, now):
    value = {
        "title": "", "question": "Agreed?", "description": "", "kind": "for_against", "options": [],
        "opens_at": (now - datetime.timedelta(hours=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=3)).isoformat(),
        "rule": "simple", "qualified_percent": None, "quorum_percent": None, "electorate": "members",
    }
    page = make_initiative(cards=[card("election", value, BLOCK)])
    copy = page.copy(update_attrs={"slug": "copied", "title": "Copied"})
    copy.save_revision().publish()
    original, copied = (Proposal.objects.get(initiative=p, election_block_id=BLOCK) for p in (page, copy))
    assert original.pk != copied.pk and original.uuid != copied.uuid


def test_stored_cards_with_typed_results_still_load_without_them(make_initiative, now, client):
    value = {
        "title": "", "question": "Which?", "description": "",
        "options": [{"label": "Lime", "votes": 40}, {"label": "Oak", "votes": 2}],
        "opens_at": (now - datetime.timedelta(days=10)).isoformat(),
        "closes_at": (now - datetime.timedelta(days=1)).isoformat(),
    }
    page = make_initiative(cards=[card("election", value, BLOCK)])
    child = page.cards[0]
    assert child.value["kind"] == "options" and child.value.option_labels == ["Lime", "Oak"]
    html = client.get(page.url).text
    assert "Lime" in html and "40" not in re.sub(r"<[^>]+>", " ", html).split("Lime")[1][:40]


def test_a_frontrunner_cancels_from_the_card_with_a_reason(client, make_initiative, make_user, now):
    value = {
        "title": "", "question": "Agreed?", "description": "", "kind": "for_against", "options": [],
        "opens_at": (now - datetime.timedelta(hours=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=3)).isoformat(),
        "rule": "simple", "qualified_percent": None, "quorum_percent": None, "electorate": "members",
    }
    page = make_initiative(cards=[card("election", value, BLOCK)])
    vote = Proposal.objects.get(initiative=page, election_block_id=BLOCK)
    member, frontrunner = make_user("member"), make_user("frontrunner")
    services.join(page, frontrunner, Role.FRONTRUNNER)
    services.join(page, member, Role.PARTICIPANT)
    cancel_url = reverse("governance:cancel", args=[vote.uuid])

    client.force_login(member)
    assert "Cancel this vote" not in client.get(page.url).text
    response = client.post(cancel_url, {"reason": "I do not like it"}, follow=True)
    assert "Only a frontrunner of this initiative can cancel its votes." in response.text

    client.force_login(frontrunner)
    assert f'action="{cancel_url}"' in client.get(page.url).text
    response = client.post(cancel_url, {"reason": "   "}, follow=True)
    assert "Say why the vote is cancelled" in response.text
    vote.refresh_from_db()
    assert vote.status == ProposalStatus.OPEN

    response = client.post(cancel_url, {"reason": "Wrong question.", "next": f"{page.url}#card-{BLOCK}"})
    assert response.status_code == 302 and response["Location"] == f"{page.url}#card-{BLOCK}"
    vote.refresh_from_db()
    assert vote.status == ProposalStatus.CANCELLED and vote.cancel_reason == "Wrong question."
    html = client.get(page.url).text
    assert "This vote was cancelled." in html and "Wrong question." in html
    assert 'name="option"' not in html
