"""End to end in Chromium, on the initiative's own domain: a business signs up, quotes,
replaces its quote and gets its receipt; the frontrunner sees no contents before the
deadline; the clock opens the quotes; the frontrunner awards; the card shows the award; the
bidder checks its receipt's inclusion (issue 12, 5).

Needs /usr/bin/chromium, node and node_modules/playwright-core and axe-core; skipped with the
reason otherwise.
"""

import datetime
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone
from wagtail.models import Site

from governance import services as governance
from initiatives.models import HomePage, InitiativeDomain, InitiativePage
from tenders.models import Quote, QuoteStatus, Tender
from tenders.tasks import open_due_tenders
from tests.accounts.browser.test_signup_join_in_browser import wagtail_basics
from tests.accounts.conftest import link_in
from tests.browser import ROOT, skip_without_browser

from ..conftest import BLOCK_ID, tender_card

SCRIPT = Path(__file__).with_name("bidder_journey.mjs")
PASSWORD = "a-long-Passphrase-42"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser(("playwright-core", "axe-core"))


def test_a_business_bids_and_checks_its_receipt_after_the_award(live_server, tmp_path):
    root = wagtail_basics()
    home = root.add_child(instance=HomePage(title="Ctylab", slug=f"home-{time.time_ns()}"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    deadline = timezone.now() + datetime.timedelta(days=7)
    initiative = InitiativePage(
        title="Jeu de boules", slug="jeu-de-boules", summary="Een baan op het plein.",
        municipality="Utrecht", cards=[tender_card(deadline)],
    )
    home.add_child(instance=initiative)
    initiative.save_revision().publish()
    InitiativeDomain.objects.create(hostname="boules.localhost", initiative=initiative)
    frontrunner = get_user_model().objects.create_user(
        username="frontrunner", email="voorloper@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(user=frontrunner, email=frontrunner.email, verified=True, primary=True)
    frontrunner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    governance.join(initiative, frontrunner, "frontrunner")
    base = f"http://boules.localhost:{live_server.thread.port}"
    email = "jan@bakker.example"
    mail.outbox.clear()

    process = subprocess.Popen(
        [shutil.which("node"), str(SCRIPT), base, "/", BLOCK_ID, email, frontrunner.email, PASSWORD, str(tmp_path)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "SIGNED_UP", line + process.stderr.read()
        message = next(m for m in mail.outbox if email in m.to)
        process.stdin.write(link_in(message) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        assert line.strip() == "SEALED_CHECKED", line + process.stderr.read()
        # Before the deadline: one active quote, sealed; then the clock passes the deadline.
        tender = Tender.objects.get(initiative=initiative)
        assert Quote.objects.filter(tender=tender, status=QuoteStatus.ACTIVE).count() == 1
        assert Quote.objects.filter(tender=tender, status=QuoteStatus.REPLACED).count() == 1
        Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
        assert open_due_tenders.enqueue().return_value == [tender.pk]
        process.stdin.write("OPENED\n")
        process.stdin.flush()
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    # innerText keeps the no-break spaces between "€" and the amount.
    report["texts"] = {
        name: text.replace("\u00a0", " ") if isinstance(text, str) else text
        for name, text in report["texts"].items()
    }
    print(f"screenshots in {tmp_path}")

    assert set(report["hosts"]) == {f"boules.localhost:{live_server.thread.port}"}, report["hosts"]
    first, second = report["receipts"]
    assert first != second and second.startswith("0x")
    assert "7450" not in report["texts"]["adminBefore"] and "Sealed until the deadline" in report["texts"]["adminBefore"]
    assert report["texts"]["compareLinkBefore"] == 0
    assert "€ 7,450.50" in report["texts"]["adminAfter"] and "8,100" not in report["texts"]["adminAfter"]
    card = report["texts"]["cardAfter"]
    assert "Awarded to Stratenmakers Bakker BV" in card and "7,450.50" in card
    assert "Best price and drainage included." in card
    assert "Your quote was among the quotes opened." in report["texts"]["check"]
    tender.refresh_from_db()
    assert tender.awarded_quote.receipt == second
    blocking = {
        name: [v for v in violations if v["impact"] in ("serious", "critical")]
        for name, violations in report["violations"].items()
    }
    assert not any(blocking.values()), json.dumps(blocking, indent=2)
