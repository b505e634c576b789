"""End to end in Chromium: sign up, verify the address, join an initiative — on its domain.

Needs /usr/bin/chromium, node and node_modules/playwright-core and axe-core; skipped with the
reason otherwise. The verification e-mail is read from Django's outbox (the live server runs
in this process) and handed to the browser script on stdin.
"""

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from governance import services as governance
from governance.models import Role
from initiatives.models import HomePage, InitiativeDomain, InitiativePage
from tests.browser import ROOT, skip_without_browser

from ..conftest import link_in

SCRIPT = Path(__file__).with_name("signup_join.mjs")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser(("playwright-core", "axe-core"))




def wagtail_basics():
    """What Wagtail's data migrations made, in case an earlier transactional test flushed it."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return root


def test_sign_up_verify_and_join_on_a_custom_domain(live_server, tmp_path):
    root = wagtail_basics()
    home = root.add_child(instance=HomePage(title="Ctylab", slug=f"home-{time.time_ns()}"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    initiative = InitiativePage(title="Buurtmoestuin", slug="buurtmoestuin", summary="Samen tuinieren.", municipality="Utrecht")
    home.add_child(instance=initiative)
    initiative.save_revision().publish()
    InitiativeDomain.objects.create(hostname="moestuin.localhost", initiative=initiative)
    base = f"http://moestuin.localhost:{live_server.thread.port}"
    email = "tuinier@example.org"
    mail.outbox.clear()

    process = subprocess.Popen(
        [shutil.which("node"), str(SCRIPT), base, str(initiative.pk), email, str(tmp_path)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "SIGNED_UP", line + process.stderr.read()
        message = next(m for m in mail.outbox if email in m.to)
        link = link_in(message)
        # The link in the e-mail is on the domain the resident signed up on.
        assert link.startswith(base + "/accounts/confirm-email/"), link
        process.stdin.write(link + "\n")
        process.stdin.flush()
        out, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    report = json.loads(out.strip().splitlines()[-1])
    print(f"screenshots in {tmp_path}")

    assert set(report["hosts"]) == {f"moestuin.localhost:{live_server.thread.port}"}, report["hosts"]
    assert "verify" in report["texts"]["afterSignup"].lower()
    assert "You are a member, as Participant" in report["texts"]["afterJoin"], report["texts"]["afterJoin"]
    blocking = {
        name: [v for v in violations if v["impact"] in ("serious", "critical")]
        for name, violations in report["violations"].items()
    }
    assert not any(blocking.values()), json.dumps(blocking, indent=2)
    assert not report["cspViolations"], report["cspViolations"]

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email=email)
    membership = governance.active_membership(initiative.pk, user)
    # Vote-ready: an active participant, whom proposals for participants count as eligible.
    assert membership is not None and membership.role == Role.PARTICIPANT
