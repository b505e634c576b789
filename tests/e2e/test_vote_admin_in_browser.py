"""In Chromium: a frontrunner changes a vote that has not opened (question and closing time)
in the admin, then cancels it with a reason; the card on the page follows (issue 10, item 3)."""

import datetime
import html
import time
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.models import Site

from accounts import services as accounts
from governance import services
from governance.models import LogEntry, Proposal, ProposalStatus, Role
from initiatives.models import HomePage, InitiativePage
from tests.accounts.browser.test_signup_join_in_browser import wagtail_basics
from tests.browser import run_script, skip_without_browser
from tests.conftest import card
from tests.signed_in import session_cookie

SCRIPT = Path(__file__).with_name("vote_admin.mjs")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser()


def test_the_frontrunner_edits_schedules_and_cancels_a_vote(live_server, tmp_path, django_user_model, settings):
    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False
    root = wagtail_basics()
    home = root.add_child(instance=HomePage(title="Ctylab", slug=f"home-{time.time_ns()}"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "127.0.0.1", "port": live_server.thread.port, "root_page": home}
    )
    now = timezone.now().replace(second=0, microsecond=0)
    value = {
        "title": "", "question": "Plant lime trees?", "description": "", "kind": "for_against", "options": [],
        "opens_at": (now + datetime.timedelta(days=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=8)).isoformat(),
        "rule": "simple", "qualified_percent": None, "quorum_percent": None, "electorate": "members",
    }
    initiative = InitiativePage(title="Lindenlaan", slug="lindenlaan", summary="Bomen voor de laan.",
                                municipality="Utrecht", cards=[card("election", value, "card-vote")])
    home.add_child(instance=initiative)
    initiative.save_revision().publish()
    frontrunner = django_user_model.objects.create_user("frontrunner", "f@example.org", "pw")
    services.join(initiative, frontrunner, Role.FRONTRUNNER)
    accounts.invite_editor(initiative, frontrunner, by=frontrunner)
    closes = now + datetime.timedelta(days=12)

    report = run_script(SCRIPT, {
        "base": live_server.url, "frontrunnerSession": session_cookie(frontrunner),
        "question": "Plant lime trees?", "newQuestion": "Plant oaks?",
        "closesAt": timezone.localtime(closes).strftime("%Y-%m-%d %H:%M"), "shots": str(tmp_path),
    }, tmp_path, timeout=240)
    assert "error" not in report, report["error"] + "\n" + str(report["texts"])[:4000]
    assert report["pageErrors"] == []
    texts = {key: html.unescape(value) for key, value in report["texts"].items()}
    assert "Plant lime trees?" in texts["listing"]
    assert "is changed" in texts["afterEdit"] and "is cancelled" in texts["afterCancel"]
    vote = Proposal.objects.get(initiative=initiative, election_block_id="card-vote")
    assert (vote.title, vote.closes_at, vote.status) == ("Plant oaks?", closes, ProposalStatus.CANCELLED)
    assert "Plant oaks?" in texts["card"] and "cancelled" in texts["card"].lower()
    kinds = set(LogEntry.objects.filter(initiative=initiative).values_list("kind", flat=True))
    assert {"proposal.updated", "proposal.cancelled"} <= kinds
