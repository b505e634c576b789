"""Phones and hands (issue 11, item 8): axe-core with WCAG 2.2's target-size rule (2.5.8,
targets of at least 24×24 CSS pixels) switched on finds nothing, at any impact, on the public
pages a resident uses, at a desktop width and at a 390 px phone width."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from initiatives.models import InitiativePage
from tests.browser import ROOT, skip_without_browser
from tests.signed_in import SignedInClient

from .test_demo_in_browser import describe, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser(("playwright-core", "axe-core"))

SCRIPT = Path(__file__).with_name("axe_pages.mjs")
WIDTHS = (1280, 390)


def run_axe(pages):
    run = subprocess.run(
        [shutil.which("node"), str(SCRIPT), json.dumps(pages)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, f"axe_pages.mjs failed:\n{run.stderr}"
    return json.loads(run.stdout)


def test_public_pages_have_no_axe_violations_at_desktop_and_phone_width(live_server):
    load_demo()
    port = live_server.thread.port
    platform = f"http://127.0.0.1:{port}"
    park = InitiativePage.objects.get(slug="wilhelminapark-samen")
    admin = get_user_model().objects.get(username="admin")
    client = SignedInClient()
    client.force_login(admin)
    session = client.cookies["sessionid"].value
    paths = {
        "home": (f"{platform}/", None),
        "initiative": (f"http://zonnedak.localhost:{port}/", None),
        "search": (f"{platform}/search/?q=zon", None),
        "decisions": (f"{platform}/governance/initiative/{park.pk}/decisions/", None),
        "login": (f"{platform}/accounts/login/", None),
        "sign-up": (f"{platform}/accounts/signup/", None),
        "public profile": (f"{platform}/accounts/people/{admin.pk}/", None),
        "own profile": (f"{platform}/accounts/me/", session),
    }
    pages = [
        {"url": url, "width": width, **({"cookie": cookie} if cookie else {})}
        for url, cookie in paths.values()
        for width in WIDTHS
    ]
    results = run_axe(pages)
    problems = []
    for result in results:
        assert result["status"] == 200, f"{result['url']} answered {result['status']}"
        if result["violations"]:
            problems.append(f"{result['url']} at {result['width']} px:\n" + describe(result["violations"]))
    assert not problems, "\n\n".join(problems)
