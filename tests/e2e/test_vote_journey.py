"""In Chromium, the whole vote with no shell and no shortcut in the product (issue 10, item 8):

an editor adds an election card to a new initiative and publishes; a member signs in on the
initiative's own domain (its sign-in form), votes and sees the receipt in the card; the vote closes at its (short)
closing time when the platform's clock runs; the worker anchors the decision on a real anvil;
the decisions page shows the deployment and that it matches the chain; the receipt check
confirms inclusion; the frontrunner posts a follow-up that appears on the page.

Between the browser phases this test does only what the platform does by itself: wait for the
closing time and run the clock (``manage.py run_schedule --once``; the test settings run the
enqueued tasks at once, as the worker would).
"""

import datetime
import io
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from accounts import services as accounts
from governance import services
from governance.models import Ballot, DeploymentStatus, Proposal, ProposalStatus, Role
from initiatives.models import HomePage, InitiativeDomain, InitiativePage
from tests.accounts.browser.test_signup_join_in_browser import wagtail_basics
from tests.browser import run_script, skip_without_browser
from tests.governance.test_anvil import anvil  # noqa: F401 - a real node, when installed
from tests.signed_in import session_cookie

SCRIPT = Path(__file__).with_name("vote_journey.mjs")
QUESTION = "Shall we plant lime trees on the Lindenlaan?"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser()


def phase(name, config, tmp_path):
    report = run_script(SCRIPT, {**config, "phase": name}, tmp_path, timeout=240)
    assert "error" not in report, report["error"] + "\n" + str(report["texts"])[:4000]
    assert report["pageErrors"] == [], report["pageErrors"]
    return report


def test_the_whole_vote_in_the_browser(anvil, live_server, tmp_path, django_user_model, settings):  # noqa: F811
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
    editor = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    member = django_user_model.objects.create_user("member", "member@example.org", "a long member password")
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    services.join(initiative, editor, Role.FRONTRUNNER)
    services.join(initiative, member, Role.PARTICIPANT)
    accounts.invite_editor(initiative, editor, by=editor)

    # A short closing time, in whole minutes as the editor's widget takes it, that leaves the
    # editor and the member at least two minutes on a slow machine.
    closes_at = (timezone.now() + datetime.timedelta(minutes=3)).replace(second=0, microsecond=0)
    port = live_server.thread.port
    config = {
        "base": live_server.url,
        "domainBase": f"http://lindenlaan.localhost:{port}",
        "editorSession": session_cookie(editor),
        "memberEmail": member.email,
        "memberPassword": "a long member password",
        "pageId": initiative.pk,
        "question": QUESTION,
        "closesAt": timezone.localtime(closes_at).strftime("%Y-%m-%d %H:%M"),
        "shots": str(tmp_path),
    }

    phase("card", config, tmp_path)
    vote = Proposal.objects.get(initiative=initiative)
    assert (vote.title, vote.status, vote.closes_at) == (QUESTION, ProposalStatus.OPEN, closes_at)

    voted = phase("vote", config, tmp_path)
    assert voted["domainUrl"].startswith(config["domainBase"])
    assert voted["receiptInCard"] and voted["receiptLink"].endswith(f"/governance/proposals/{vote.uuid}/receipt/")
    assert Ballot.objects.get(proposal=vote, voter=member).choice == 0

    # Nobody clicks: the closing time passes and the clock closes, anchors and verifies.
    while timezone.now() < closes_at:
        time.sleep(1)
    call_command("run_schedule", "--once", stdout=io.StringIO())
    vote.refresh_from_db()
    assert vote.status == ProposalStatus.CLOSED
    deployment = vote.decision.deployment
    assert deployment.status == DeploymentStatus.CONFIRMED, deployment.last_error
    assert deployment.chain_id == 31337 and deployment.verification.ok

    assert voted["memberCookie"], "the member's sign-in on the initiative's domain gave no session"
    after = phase(
        "after",
        {**config, "receiptCode": voted["receiptCode"], "proposalUuid": str(vote.uuid), "memberCookie": voted["memberCookie"]},
        tmp_path,
    )
    decisions = after["texts"]["decisions"]
    assert QUESTION in decisions and "Passed" in decisions
    assert deployment.contract_address in decisions and deployment.tx_hash in decisions
    assert "Matches." in decisions
    assert "Your ballot is included in the result." in after["texts"]["receipt"]
    assert "The municipality ordered twelve lime trees." in after["texts"]["cardWithFollowUp"]
    assert vote.decision.updates.get().status == "in_progress"
