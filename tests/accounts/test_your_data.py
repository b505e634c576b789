"""Your data: the JSON export, and account deletion that keeps the initiatives' tallies."""

import datetime
import io
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import services
from accounts.exceptions import CannotDelete
from accounts.models import EmailSkeleton, Nomination, Profile
from accounts.services.your_data import display_name_or_former
from governance import services as governance
from governance.models import (
    Ballot,
    Decision,
    DecisionRule,
    LogEntry,
    Membership,
    Proposal,
    ProposalKind,
    Role,
)

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
VOTER_UNLINKS = Ballot._meta.get_field("voter").null


@pytest.fixture
def village(make_initiative, make_resident, with_totp):
    initiative = make_initiative(title="Park redesign")
    chair = make_resident(display_name="Chair")
    leaver = make_resident(email="leaver@example.org", display_name="Leaver")
    others = [make_resident() for _ in range(3)]
    governance.join(initiative, chair, Role.FRONTRUNNER)
    for person in (leaver, *others):
        governance.join(initiative, person, Role.PARTICIPANT)
    profile = leaver.profile
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40)).save(buffer, "PNG")
    profile.avatar = SimpleUploadedFile("a.png", buffer.getvalue())
    profile.expertise = "Compost"
    profile.save()
    services.nominate(initiative, leaver, chair, "ambassador")
    services.nominate(initiative, chair, leaver, "authority", "Compost")
    services.invite_editor(initiative, leaver, by=chair)
    with_totp(leaver)
    return {"initiative": initiative, "chair": chair, "leaver": leaver, "others": others}


def closed_vote(village, voters_for, voters_against):
    now = timezone.now()
    proposal = governance.propose(
        village["initiative"], village["leaver"], title="More benches", kind=ProposalKind.FOR_AGAINST,
        rule=DecisionRule.SIMPLE_MAJORITY, opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(minutes=5), now=now,
    )
    governance.open_proposal(proposal, village["chair"], now=now)
    for person in voters_for:
        governance.cast_ballot(proposal, person, 0, now=now)
    for person in voters_against:
        governance.cast_ballot(proposal, person, 1, now=now)
    governance.close_proposal(proposal, now=proposal.closes_at + datetime.timedelta(seconds=1))
    return Proposal.objects.get(pk=proposal.pk)


def test_export_holds_everything_about_me_and_no_secrets(client, village):
    leaver = village["leaver"]
    client.force_login(leaver)
    # The export asks for the password again first.
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == "leaver@example.org"
    assert data["email_addresses"] == [{"email": "leaver@example.org", "verified": True, "primary": True}]
    assert data["profile"]["expertise"] == "Compost"
    assert data["profile"]["expertise_visibility"] == "private"
    assert data["profile"]["avatar"]
    assert [m["role"] for m in data["memberships"]] == ["participant"]
    assert data["nominations_made"][0]["kind"] == "ambassador"
    assert data["nominations_received"] == [
        {**data["nominations_received"][0], "kind": "authority", "topic": "compost"}
    ]
    assert "nominator" not in json.dumps(data["nominations_received"])
    assert data["editor_of"][0]["initiative_id"] == village["initiative"].pk
    assert [a["type"] for a in data["two_factor_authenticators"]] == ["totp"]
    secret = Authenticator.objects.get(user=leaver).data["secret"]
    assert secret not in response.content.decode()
    assert PASSWORD not in response.content.decode() and leaver.password not in response.content.decode()
    assert any(entry["payload"].get("kind") == "member.joined" for entry in data["governance_log"])


def test_export_gives_the_payload_and_salt_of_my_log_entries_to_check_their_digests(village):
    """The API withholds them (they name me); with them I can check my entries' digests."""
    from governance.hashing import canonical_json, sha256_hex

    closed_vote(village, [], [])  # the leaver proposes ("by"), the chair opens it
    data = services.export_user_data(village["leaver"])
    kinds = [entry["payload"].get("kind", entry["kind"]) for entry in data["governance_log"]]
    assert kinds == ["member.joined", "proposal.created"]
    assert data["governance_log"][0]["kind"] == "withheld"  # the public kind, which the hash covers
    for entry in data["governance_log"]:
        assert sha256_hex(bytes.fromhex(entry["salt"]) + canonical_json(entry["payload"])) == entry["payload_digest"]
    assert "proposal.opened" in [entry["kind"] for entry in services.export_user_data(village["chair"])["governance_log"]]


def test_export_includes_my_ballots(village):
    closed_vote(village, [village["leaver"]], [])
    data = services.export_user_data(village["leaver"])
    assert data["ballots"][0]["choice"] == 0 and data["ballots"][0]["counted"] is True
    assert data["proposals"][0]["title"] == "More benches"


def test_deleting_an_account_removes_everything_personal(client, village, django_capture_on_commit_callbacks):
    leaver = village["leaver"]
    avatar = leaver.profile.avatar
    storage, avatar_name = avatar.storage, avatar.name
    initiative = village["initiative"]
    proposal = governance.propose(
        initiative, leaver, title="A pond", kind=ProposalKind.FOR_AGAINST, rule=DecisionRule.SIMPLE_MAJORITY,
        opens_at=timezone.now() + datetime.timedelta(days=1), closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    client.force_login(leaver)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("accounts:delete")).status_code == 200
    response = client.post(reverse("accounts:delete"), {})
    assert response.status_code == 400 and User.objects.filter(pk=leaver.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"confirm": "yes"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    pk = leaver.pk
    assert not User.objects.filter(pk=pk).exists()
    assert not EmailAddress.objects.filter(user_id=pk).exists()
    assert not EmailSkeleton.objects.filter(user_id=pk).exists()
    assert not Profile.objects.filter(user_id=pk).exists()
    assert not Authenticator.objects.filter(user_id=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()
    assert not Nomination.objects.filter(nominator_id=pk).exists()
    assert not Nomination.objects.filter(nominee_id=pk).exists()
    assert not storage.exists(avatar_name)
    # The proposal stays, by a "former member".
    proposal.refresh_from_db()
    assert proposal.proposed_by is None
    assert display_name_or_former(proposal.proposed_by) == "former member"
    # Leaving was logged in the initiative's governance log, which stays intact.
    assert LogEntry.objects.filter(initiative=initiative, payload__kind="member.left").exists()
    assert governance.log.problems(initiative.pk) == []
    assert initiative.editors.group.user_set.count() == 0


@pytest.mark.skipif(
    not VOTER_UNLINKS,
    reason="governance.Ballot.voter is on_delete=CASCADE, not null: ballots cannot be unlinked yet "
    "(asked governance for null=True, on_delete=SET_NULL)",
)
def test_deleting_an_account_keeps_counted_ballots_unlinked(village):
    leaver, others = village["leaver"], village["others"]
    proposal = closed_vote(village, [leaver, others[0]], [others[1]])
    decision = Decision.objects.get(proposal=proposal)
    before = (decision.tally, decision.ballot_count, decision.receipts_root, Ballot.objects.filter(proposal=proposal).count())
    services.delete_account(leaver)
    decision.refresh_from_db()
    ballots = Ballot.objects.filter(proposal=proposal)
    assert (decision.tally, decision.ballot_count, decision.receipts_root, ballots.count()) == before
    assert ballots.filter(voter__isnull=True).count() == 1
    assert governance.decision_summary(proposal)["options"][0]["votes"] == 2


@pytest.mark.skipif(VOTER_UNLINKS, reason="governance.Ballot.voter can be unlinked")
def test_while_ballots_cannot_be_unlinked_deletion_is_refused_and_changes_nothing(client, village):
    leaver, others = village["leaver"], village["others"]
    proposal = closed_vote(village, [leaver, others[0]], [others[1]])
    decision = Decision.objects.get(proposal=proposal)
    ballots_before = list(Ballot.objects.filter(proposal=proposal).values_list("pk", "voter_id", "choice"))
    with pytest.raises(CannotDelete):
        services.delete_account(leaver)
    assert User.objects.filter(pk=leaver.pk).exists()
    assert Membership.objects.get(user=leaver).left_at is None  # the leave was rolled back too
    assert list(Ballot.objects.filter(proposal=proposal).values_list("pk", "voter_id", "choice")) == ballots_before
    decision.refresh_from_db()
    assert decision.tally == [2, 1, 0]
    # Through the page: a clear message, nothing deleted.
    client.force_login(leaver)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("accounts:delete"), {"confirm": "yes"})
    assert response.status_code == 409
    assert b"cannot be deleted yet" in response.content
    assert User.objects.filter(pk=leaver.pk).exists()
