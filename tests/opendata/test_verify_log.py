"""docs/verify_log.py recomputes a whole log, withheld payloads included, from the API alone."""

import json
import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from accounts.services import export_user_data
from governance import services
from tests.governance.format1 import rechain, to_format1

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(django_settings.BASE_DIR) / "docs" / "verify_log.py"


@pytest.fixture
def script():
    return runpy.run_path(str(SCRIPT))


@pytest.fixture
def history(initiative, make_member, make_proposal, frontrunner, settings):
    """A log begun in format 1 (a decision holds a format-1 head of a private entry), re-chained,
    and continued: more than one page of entries, most of them withheld."""
    settings.CTYLAB_OPENDATA_RATE = None
    member = make_member()
    proposal = make_proposal()
    services.close_proposal(proposal, user=frontrunner, now=proposal.closes_at)
    to_format1(initiative.pk)
    rechain()
    for _ in range(3):
        make_member()
    proposal = make_proposal()
    services.close_proposal(proposal, user=frontrunner, now=proposal.closes_at)
    return member


def test_a_log_with_withheld_payloads_and_a_re_chained_past_checks_out(live_server, script, initiative, history, monkeypatch):
    monkeypatch.setitem(script["verify"].__globals__, "PAGE", 4)  # several pages
    problems, facts = script["verify"](live_server.url, initiative.pk)
    assert problems == []
    # Only the log.rechained entry names no one: the other eleven are recomputed from digests.
    assert (facts["entries"], facts["withheld"], facts["decisions"]) == (12, 11, 2)


def test_a_member_checks_their_own_withheld_entries_with_their_data(live_server, script, initiative, history):
    your_data = json.loads(json.dumps(export_user_data(history), default=str))
    problems, facts = script["verify"](live_server.url, initiative.pk, your_data)
    assert problems == [] and facts["yours"] == 1  # joining
    your_data["governance_log"][0]["payload"]["role"] = "frontrunner"
    problems, _facts = script["verify"](live_server.url, initiative.pk, your_data)
    assert problems == ["your entry 2: your payload does not give the published digest"]


def swap_a_withheld_digest(items):
    withheld = next(entry for entry in items if entry["payload_withheld"])
    withheld["payload_digest"] = "0" * 64
    return f"entry {withheld['seq']}: its hash is not the hash of its contents"


def drop_an_entry(items):
    dropped = items.pop(3)
    return f"entry {dropped['seq']} is missing"


def forget_a_format1_head(items):
    rechained = next(entry for entry in items if entry["kind"] == "log.rechained")
    rechained["payload"]["v1_heads"] = {}
    return "decision"


@pytest.mark.parametrize("lie", [swap_a_withheld_digest, drop_an_entry, forget_a_format1_head])
def test_a_site_that_lies_about_its_log_is_caught(live_server, script, initiative, history, lie):
    fetch = script["fetch_json"]
    expected = []

    def lying(url):
        answer = fetch(url)
        if "/governance-log/" in url and "offset=0" in url:
            expected.append(lie(answer["items"]))
        return answer

    problems, _facts = script["verify"](live_server.url, initiative.pk, fetch=lying)
    assert any(problem.startswith(expected[0]) for problem in problems), problems
