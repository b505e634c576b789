"""In Chromium: a member proposes on the initiative's own domain (on a phone); a frontrunner
puts one proposal to the vote and declines another with a reason in the admin; the page then
shows the new vote's election card and the reason (issue 10, item 3)."""

import html
import time
from pathlib import Path

import pytest
from wagtail.models import Site

from accounts import services as accounts
from governance import services
from governance.models import LogEntry, MemberProposal, MemberProposalStatus, ProposalStatus, Role
from initiatives.models import HomePage, InitiativeDomain, InitiativePage
from tests.accounts.browser.test_signup_join_in_browser import wagtail_basics
from tests.browser import run_script, skip_without_browser
from tests.signed_in import session_cookie

SCRIPT = Path(__file__).with_name("proposal_journey.mjs")
TITLE = "Trees for the Lindenlaan"
DECLINED = "A fountain"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser()


def test_members_propose_and_the_frontrunner_decides(live_server, tmp_path, django_user_model, settings, mailoutbox):
    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False
    root = wagtail_basics()
    home = root.add_child(instance=HomePage(title="Ctylab", slug=f"home-{time.time_ns()}"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "127.0.0.1", "port": live_server.thread.port, "root_page": home}
    )
    initiative = InitiativePage(title="Lindenlaan", slug="lindenlaan", summary="Bomen voor de laan.", municipality="Utrecht")
    home.add_child(instance=initiative)
    initiative.save_revision().publish()
    InitiativeDomain.objects.create(hostname="lindenlaan.localhost", initiative=initiative)
    frontrunner = django_user_model.objects.create_user("frontrunner", "f@example.org", "pw")
    member = django_user_model.objects.create_user("member", "member@example.org", "pw")
    services.join(initiative, frontrunner, Role.FRONTRUNNER)
    services.join(initiative, member, Role.PARTICIPANT)
    # Admin access comes with editing rights; deciding on proposals comes with being a frontrunner.
    accounts.invite_editor(initiative, frontrunner, by=frontrunner)

    config = {
        "base": live_server.url,
        "domainBase": f"http://lindenlaan.localhost:{live_server.thread.port}",
        "frontrunnerSession": session_cookie(frontrunner),
        "memberSession": session_cookie(member),
        "title": TITLE,
        "declinedTitle": DECLINED,
        "shots": str(tmp_path),
    }
    report = run_script(SCRIPT, config, tmp_path, timeout=240)
    assert "error" not in report, report["error"] + "\n" + str(report["texts"])[:4000]
    assert report["pageErrors"] == []
    texts = {key: html.unescape(value) for key, value in report["texts"].items()}

    assert "Say what you propose and why." in texts["refused"] and report["keptTitle"] == TITLE
    assert TITLE in texts["proposed"] and DECLINED in texts["proposed"] and "Proposed" in texts["proposed"]
    assert TITLE in texts["adminList"]
    assert "is put to the vote" in texts["afterPut"]
    assert "is declined" in texts["afterDecline"]

    put, declined = MemberProposal.objects.get(title=TITLE), MemberProposal.objects.get(title=DECLINED)
    assert put.status == MemberProposalStatus.PUT_TO_VOTE and put.vote.status == ProposalStatus.OPEN
    assert put.vote.options == ["Lime trees", "Oaks"]
    assert declined.status == MemberProposalStatus.DECLINED
    assert report["electionCards"] == 1 and TITLE in texts["card"]
    assert "The square belongs to the municipality; we asked them." in texts["section"]
    assert report["afterLink"].endswith(f"#card-{put.vote.election_block_id}")
    assert sorted(message.to[0] for message in mailoutbox) == ["member@example.org", "member@example.org"]
    kinds = set(LogEntry.objects.filter(initiative=initiative).values_list("kind", flat=True))
    assert {"member_proposal.submitted", "member_proposal.put_to_vote", "member_proposal.declined"} <= kinds
