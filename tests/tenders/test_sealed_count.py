"""A tender whose card hides how many quotes came in hides it everywhere before the deadline
(issue 12, 3): its quotes go into the governance log under the neutral kind ``withheld``, which
the open-data API withholds whole and which members' joins and departures share, the page cache is not purged by a quote, and the editors'
screens say "sealed". The bidder still finds their entry, payload and salt, in "your data"."""

import json
import runpy
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts import services as accounts
from accounts.services import export_user_data
from blocks.signals import initiative_changed
from governance import services as governance
from governance.models import LogEntry
from governance.services.log import WITHHELD_KIND, payload_digest, real_kind
from tenders import services

from .conftest import tender_card

pytestmark = pytest.mark.django_db


def api_log(client, initiative):
    response = client.get(f"/api/v2/initiatives/{initiative.pk}/governance-log/")
    assert response.status_code == 200
    return response.json()["items"]


@pytest.fixture
def three_quotes(submit, bidder, make_user, initiative, tender):
    submit(bidder, amount="7000")
    submit(bidder, amount="7100")  # a replacement
    other = make_user("tweede")
    submit(other)
    services.withdraw_quote(initiative.pk, tender.block_id, other)
    submit(make_user("derde"))
    return bidder


def test_a_hidden_count_logs_quotes_under_the_neutral_kind(three_quotes, initiative):
    entries = list(LogEntry.objects.filter(initiative=initiative).order_by("seq"))
    assert not [entry for entry in entries if entry.kind.startswith("tender.quote")]
    withheld = [entry for entry in entries if entry.kind == WITHHELD_KIND]
    assert [real_kind(entry) for entry in withheld] == ["tender.quote"] * 3 + ["tender.quote_withdrawn", "tender.quote"]
    assert all(entry.payload["bidder"] for entry in withheld)


@pytest.mark.parametrize("who", ["anonymous", "editor", "frontrunner"])
def test_before_the_deadline_the_api_and_the_page_tell_no_count(
    client, three_quotes, initiative, tender, frontrunner, make_user, who
):
    if who == "editor":
        editor = make_user("editor")
        governance.join(initiative, editor, "participant")
        accounts.invite_editor(initiative, editor, by=frontrunner)
        client.force_login(editor)
    elif who == "frontrunner":
        # The frontrunners manage the tender in the admin (Wagtail's "access admin").
        frontrunner.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(frontrunner)
    items = api_log(client, initiative)
    withheld = [item for item in items if item["kind"] == WITHHELD_KIND]
    # The five quote entries look like the members' joins, which share the neutral kind.
    kinds = {item["kind"] for item in items}
    assert not {kind for kind in kinds if kind.startswith(("tender.quote", "member."))}
    assert len(withheld) == LogEntry.objects.filter(initiative=initiative, kind=WITHHELD_KIND).count() > 5
    assert all(item["payload"] is None and item["salt"] is None and item["payload_withheld"] for item in withheld)
    body = json.dumps(items)
    assert "tender.quote" not in body and str(tender.uuid) not in body
    page = client.get(initiative.url).content.decode()
    assert 'class="tender__count"' not in page
    awards = client.get(f"/api/v2/initiatives/{initiative.pk}/tender-awards/").json()
    assert awards["meta"]["total_count"] == 0
    if who == "frontrunner":
        index = client.get(reverse("tenders_admin:index")).content.decode()
        assert "Sealed until the deadline" in index and ">sealed</td>" in index


def test_after_opening_the_count_shows(client, three_quotes, initiative, tender):
    services.open_tender(tender, now=tender.deadline)
    assert '<dd class="tender__count">2</dd>' in client.get(initiative.url).content.decode()
    opened = [item for item in api_log(client, initiative) if item["kind"] == "tender.opened"]
    assert opened[0]["payload"]["quotes"] == 2


def test_a_shown_count_logs_quotes_in_public_as_before(client, make_initiative, deadline, submit, bidder):
    page = make_initiative(cards=[tender_card(deadline, block_id="counted", show_quote_count=True)])
    quote = submit(bidder, page_id=page.pk, block_id="counted")
    entry = LogEntry.objects.get(initiative=page, kind="tender.quote")
    assert entry.payload["receipt"] == quote.receipt and "bidder" not in entry.payload
    published = [item for item in api_log(client, page) if item["kind"] == "tender.quote"]
    assert published[0]["payload"]["receipt"] == quote.receipt


def test_the_bidder_checks_their_withheld_entries_with_their_data(three_quotes, initiative):
    mine = [row for row in export_user_data(three_quotes)["governance_log"] if row["kind"] == WITHHELD_KIND]
    assert len(mine) == 2
    for row in mine:
        assert row["payload"]["kind"] == "tender.quote"
        assert payload_digest(row["salt"], row["payload"]) == row["payload_digest"]


def test_a_quote_on_a_hidden_count_purges_no_page(submit, bidder, make_initiative, deadline, django_capture_on_commit_callbacks):
    page = make_initiative(cards=[tender_card(deadline, block_id="counted", show_quote_count=True)])
    announced = []

    def listen(sender, page_ids, **kwargs):
        announced.append(set(page_ids))

    initiative_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            submit(bidder)
        hidden = list(announced)
        with django_capture_on_commit_callbacks(execute=True):
            submit(bidder, page_id=page.pk, block_id="counted")
    finally:
        initiative_changed.disconnect(listen)
    assert hidden == []
    assert {page.pk} in announced


@pytest.mark.django_db(transaction=True)
def test_verify_log_recomputes_the_withheld_quotes_and_the_bidder_checks_theirs(live_server, three_quotes, initiative, settings):
    settings.CTYLAB_OPENDATA_RATE = None
    script = runpy.run_path(str(Path(settings.BASE_DIR) / "docs" / "verify_log.py"))
    your_data = json.loads(json.dumps(export_user_data(three_quotes), default=str))
    problems, facts = script["verify"](live_server.url, initiative.pk, your_data)
    assert problems == []
    assert facts["withheld"] >= 5 and facts["yours"] == 2
