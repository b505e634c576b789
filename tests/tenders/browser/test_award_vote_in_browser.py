"""End to end in Chromium: the frontrunner puts the award to the members' vote in the admin, a
member votes on the vote's public page (reached from the tender card), the clock's task
closes the vote, and the card shows the award the members chose (issue 12, 4).

Needs /usr/bin/chromium, node and node_modules/playwright-core and axe-core; skipped with the
reason otherwise.
"""

import datetime
import json
import time
from pathlib import Path

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone
from wagtail.models import Site

from accounts import services as accounts
from governance import services as governance
from governance.models import Proposal
from governance.tasks import close_due_proposals
from initiatives.models import HomePage, InitiativePage
from tenders import services
from tenders.models import Tender
from tenders.services.bidding import new_form_token
from tenders.tasks import open_due_tenders
from tests.accounts.browser.test_signup_join_in_browser import wagtail_basics
from tests.browser import run_script, skip_without_browser
from tests.signed_in import session_cookie

from ..conftest import BLOCK_ID, tender_card

SCRIPT = Path(__file__).with_name("award_vote.mjs")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser(("playwright-core", "axe-core"))


def _person(name, **extra):
    user = get_user_model().objects.create_user(username=name, email=f"{name}@example.org", password="x", **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _quote(initiative, user, amount):
    return services.submit_quote(
        initiative.pk, BLOCK_ID, user, amount=amount, offer=f"Gravel court for {amount}.",
        delivery_date=timezone.localdate() + datetime.timedelta(days=30),
        valid_until=timezone.localdate() + datetime.timedelta(days=60), token=new_form_token(),
    )


def test_the_members_choose_the_winning_quote(live_server, tmp_path, settings):
    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False
    root = wagtail_basics()
    home = root.add_child(instance=HomePage(title="Ctylab", slug=f"home-{time.time_ns()}"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "127.0.0.1", "port": live_server.thread.port, "root_page": home}
    )
    initiative = InitiativePage(
        title="Jeu de boules", slug="jeu-de-boules", summary="Een baan op het plein.",
        municipality="Utrecht", cards=[tender_card(timezone.now() + datetime.timedelta(days=7))],
    )
    home.add_child(instance=initiative)
    initiative.save_revision().publish()
    frontrunner = _person("voorloper")
    frontrunner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    governance.join(initiative, frontrunner, "frontrunner")
    member = _person("buur")
    governance.join(initiative, member, "participant")
    _quote(initiative, _person("bakker"), "7450")  # no profile name: never named by address
    smit = _person("smit")
    accounts.create_profile(smit, display_name="Tuinman Smit")
    winner = _quote(initiative, smit, "8100")
    # The clock opens the quotes once the deadline has passed.
    tender = Tender.objects.get(initiative=initiative)
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    assert open_due_tenders.enqueue().return_value == [tender.pk]
    winner.refresh_from_db()
    config = {
        "base": live_server.url,
        "initiativePath": initiative.url,
        "blockId": BLOCK_ID,
        "frontrunnerSession": session_cookie(frontrunner),
        "memberSession": session_cookie(member),
        # Quotes are lettered by amount and never name their bidder.
        "choice": "Quote B",
        "shots": str(tmp_path),
    }

    voting = run_script(SCRIPT, {**config, "step": "vote"}, tmp_path)
    tender.refresh_from_db()
    assert tender.is_being_voted_on
    proposal = Proposal.objects.get(uuid=tender.award_vote_uuid)
    assert proposal.closes_at - proposal.opens_at == datetime.timedelta(days=14)
    assert "Simple majority" in voting["texts"]["form"]
    assert "The members are voting on the award" in voting["texts"]["adminVoting"]
    assert "the members are voting on the award" in voting["texts"]["cardVoting"]
    assert "Your vote counted" in voting["texts"]["voted"]
    voted = voting["texts"]["voted"].replace("\u00a0", " ")
    assert "Quote A" in voted and "€ 8,100.00, delivery" in voted and "smit" not in voted.casefold()
    anonymous = voting["texts"]["anonymousVoting"]
    assert "Which quote wins" in anonymous and "shown only to those who may vote" in anonymous
    assert proposal.ballots.count() == 1

    # The clock's task, run just after the vote closes.
    mail.outbox.clear()
    with time_machine.travel(proposal.closes_at + datetime.timedelta(seconds=1), tick=False):
        assert len(close_due_proposals.enqueue().return_value) == 1
    tender.refresh_from_db()
    assert tender.awarded_quote_id == winner.pk
    assert sorted(m.to[0] for m in mail.outbox) == ["bakker@example.org", "smit@example.org"]

    after = run_script(SCRIPT, {**config, "step": "after"}, tmp_path)
    card = after["texts"]["cardAfter"].replace("\u00a0", " ")
    assert "Awarded to Tuinman Smit" in card and "€ 8,100.00" in card
    assert "Chosen by the members' vote" in card
    assert "Decision: passed." in after["texts"]["voteResult"]
    assert "Awarded to Tuinman Smit" in after["texts"]["anonymousCard"]
    assert "shown only to those who could vote" in after["texts"]["anonymousResult"]
    for text in (anonymous, after["texts"]["anonymousCard"], after["texts"]["anonymousResult"]):
        for secret in ("bakker", "7,450", "7450", "@example.org", "Quote A"):
            assert secret not in text.replace("\u00a0", " "), secret
    assert set(voting["hosts"]) | set(after["hosts"]) == {f"127.0.0.1:{live_server.thread.port}"}
    blocking = {
        name: [v for v in violations if v["impact"] in ("serious", "critical")]
        for report in (voting, after)
        for name, violations in report["violations"].items()
    }
    assert not any(blocking.values()), json.dumps(blocking, indent=2)
