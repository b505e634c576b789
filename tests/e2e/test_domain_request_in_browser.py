"""In Chromium: an editor requests buurt2.localhost on the initiative's editor page, a site admin
approves it from the dashboard in one action, and the initiative answers there (issue 11, item 5)."""

from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.models import Site

from accounts.models import InitiativeEditors
from initiatives.models import DomainRequest, InitiativeDomain
from tests.browser import run_script, skip_without_browser
from tests.signed_in import session_cookie

SCRIPT = Path(__file__).with_name("domain_request.mjs")
HOSTNAME = "buurt2.localhost"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
skip_without_browser()


def test_an_editor_requests_a_domain_and_a_site_admin_approves_it(
    live_server, make_initiative, django_user_model, settings, tmp_path
):
    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = False
    settings.CTYLAB_DOMAIN_PORT = live_server.thread.port  # as `make run` serves it
    initiative = make_initiative(title="Buurt Twee", slug="buurt-twee")
    editor = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    editor.groups.add(InitiativeEditors.objects.get(initiative=initiative).group)
    admin = django_user_model.objects.create_superuser("siteadmin", "siteadmin@example.org", "pw")
    config = {
        "base": live_server.url,
        "editorSession": session_cookie(editor),
        "adminSession": session_cookie(admin),
        "editUrl": reverse("wagtailadmin_pages:edit", args=[initiative.pk]),
        "hostname": HOSTNAME,
        "shots": str(tmp_path),
    }

    report = run_script(SCRIPT, config, tmp_path)

    assert "error" not in report, report["error"] + str(report["texts"])[:3000]
    assert f"{HOSTNAME} has been requested" in report["texts"]["afterRequest"]
    assert HOSTNAME in report["texts"]["dashboard"]
    assert report["adminActions"] == [f"click: Approve {HOSTNAME}"]
    assert f"{HOSTNAME} now leads to “Buurt Twee”" in report["texts"]["afterApprove"]
    assert (report["publicStatus"], report["publicHeading"]) == (200, "Buurt Twee")
    assert HOSTNAME in report["texts"]["editorAfter"] and "has been requested" not in report["texts"]["editorAfter"]
    assert report["consoleErrors"] == []
    request = DomainRequest.objects.get()
    assert (request.status, request.requested_by, request.decided_by) == ("approved", editor, admin)
    site = InitiativeDomain.objects.get(initiative=initiative).site
    assert (site.hostname, site.port, site.root_page_id) == (HOSTNAME, live_server.thread.port, initiative.pk)
    assert Site.objects.filter(hostname=HOSTNAME).count() == 1
