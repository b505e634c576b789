"""The demo command builds a full platform and is safe to run again."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Site

from blocks.models import Reading
from governance.models import LogEntry, Membership, Proposal, ProposalStatus, Role
from initiatives.models import InitiativeDomain, InitiativePage


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "sites": Site.objects.count(),
        "domains": InitiativeDomain.objects.count(),
        "readings": Reading.objects.count(),
        "users": get_user_model().objects.count(),
        "proposals": Proposal.objects.count(),
        "memberships": Membership.objects.count(),
        "log": LogEntry.objects.count(),
    }


def test_demo_twice_builds_once(db, client, capsys):
    call_command("load_demo_content", "--force")
    first = snapshot()
    out = capsys.readouterr().out
    # The real sign-in, ready to use: a verified address and what the two-factor step needs.
    assert "e-mail:    admin@ctylab.localhost" in out and "password:  ctylab-demo" in out
    assert re.search(r"recovery codes: \d{8} \d{8} \d{8}", out), out
    assert "otpauth://totp/" in out
    call_command("load_demo_content", "--force")
    assert snapshot() == first
    assert "already there; nothing changed" in capsys.readouterr().out

    initiatives = InitiativePage.objects.live().child_of(Page.objects.get(slug="ctylab"))
    assert initiatives.count() >= 3
    for page in initiatives:
        kinds = {child.block_type for child in page.cards}
        assert kinds == {"news", "map", "iot", "tender", "election"}, page.title

    # One initiative on a .localhost domain, with all five cards shown there.
    html = client.get("/", HTTP_HOST="zonnedak.localhost").text
    assert sorted(set(re.findall(r'data-card-type="([a-z]+)"', html))) == ["election", "iot", "map", "news", "tender"]
    assert get_user_model().objects.get(username="admin").is_superuser


def test_demo_refuses_without_debug(db):
    with pytest.raises(CommandError, match="Demo content is for development"):
        call_command("load_demo_content")
    assert Page.objects.count() == 2  # Wagtail's root and welcome page only


def test_demo_park_runs_a_live_vote(db, client):
    call_command("load_demo_content", "--force")
    park = InitiativePage.objects.get(slug="wilhelminapark-samen")
    admin = get_user_model().objects.get(username="admin")
    [proposal] = Proposal.objects.filter(initiative=park)
    assert proposal.status == ProposalStatus.OPEN and proposal.is_accepting_ballots()
    [election] = [child for child in park.cards if child.block_type == "election"]
    assert proposal.election_block_id == election.id
    assert proposal.options == [option["label"] for option in election.value["options"]]
    assert Membership.objects.get(initiative=park, user=admin).role == Role.FRONTRUNNER

    # The card on the park's own domain is the voting form, open to its frontrunner.
    html = client.get("/", HTTP_HOST="park.localhost").text
    assert f'data-proposal="{proposal.uuid}" data-state="open"' in html
    client.force_login(admin)
    html = client.get("/", HTTP_HOST="park.localhost").text
    assert 'name="option"' in html and f'action="/governance/proposals/{proposal.uuid}/vote/"' in html


def test_the_demo_admin_signs_in_with_the_printed_details(db, client, capsys, settings):
    """README's login works as printed: address (verified), password and a printed recovery
    code lead straight to the admin, with no e-mail link and no set-up step on the way."""
    from django.test import Client

    settings.ACCOUNTS_REQUIRE_TWO_FACTOR_FOR_ADMIN = True
    call_command("load_demo_content", "--force")
    out = capsys.readouterr().out
    code = re.search(r"recovery codes: (\d{8})", out).group(1)
    browser = Client()
    response = browser.post(
        "/accounts/login/?next=/admin/pages/", {"login": "admin@ctylab.localhost", "password": "ctylab-demo"}
    )
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    response = browser.post(response["Location"], {"code": code})
    assert response["Location"] == "/admin/pages/"
    assert browser.get("/admin/pages/").status_code == 200


def test_demo_links_follow_the_port_it_is_served_on(db, client, capsys, settings):
    settings.CTYLAB_DOMAIN_PORT, settings.CTYLAB_DEMO_HOST = 8000, "127.0.0.1"
    call_command("load_demo_content", "--force")
    settings.CTYLAB_DOMAIN_PORT = 8100
    call_command("load_demo_content", "--force")
    out = capsys.readouterr().out.split("Demo platform ready:")[-1]
    assert ":8000" not in out and "http://zonnedak.localhost:8100/" in out
    assert "http://127.0.0.1:8100/admin/" in out
    page = InitiativePage.objects.get(slug="zonnedak-de-kroon")
    assert page.full_url == "http://zonnedak.localhost:8100/"
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8100"

